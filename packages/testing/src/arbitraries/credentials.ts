/**
 * Cache entries as MSAL SDKs write them, one arbitrary per section. Each may carry
 * unknown fields (another SDK's additions), `null` identity fields (MSAL Python's
 * `"home_account_id": null` for application tokens) and `null` optional fields (MSAL
 * Java writes every field, `null` when it has none). {@link unreadableEntryArb} gives
 * entries a reader must keep but not understand.
 *
 * @module
 */
import type { AccessTokenEntity, AccountEntity, AppMetadataEntity, IdTokenEntity, RefreshTokenEntity } from '@authfold/cache'
import * as fc from 'fast-check'
import { idTokenArb } from './idTokenClaims.js'
import {
  clientIdArb,
  environmentArb,
  epochSecondsArb,
  homeAccountIdArb,
  realmArb,
  scopesArb,
  unknownFieldsArb,
} from './pools.js'

const withUnknown = <A extends object>(arb: fc.Arbitrary<A>): fc.Arbitrary<A> =>
  fc.tuple(arb, fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: unknownFieldsArb })).map(([a, extra]) => {
    // Unknown fields go first so they never overwrite a known one; defineProperty keeps `__proto__` a plain key.
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(extra)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
    for (const [k, v] of Object.entries(a)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
    return out as A
  })

/** A home account id, written as `null` (MSAL Python, app tokens) or `''` (msal-node) when empty. */
const homeFieldArb: fc.Arbitrary<string | null> = fc.tuple(homeAccountIdArb, fc.boolean()).map(([h, asNull]) => (h === '' && asNull ? null : h))

/**
 * An `AccessToken` entry.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const accessTokenEntityArb: fc.Arbitrary<AccessTokenEntity> = withUnknown(
  fc
    .tuple(
      fc.record({
        credential_type: fc.constantFrom('AccessToken', 'AccessToken_With_AuthScheme'),
        secret: fc.string({ minLength: 1, maxLength: 10 }),
        home_account_id: homeFieldArb,
        environment: environmentArb,
        client_id: clientIdArb,
        realm: realmArb,
        target: scopesArb.map((s) => [...s].sort().join(' ')),
      }),
      epochSecondsArb,
      fc.integer({ min: -3600, max: 86_400 }),
      fc.record(
        {
          token_type: fc.constantFrom<string | null>('Bearer', 'bearer', 'pop', 'ssh-cert', null),
          refresh_on: fc.oneof(epochSecondsArb.map(String), fc.constant(null)),
          extended_expires_on: epochSecondsArb.map(String),
        },
        { requiredKeys: [] },
      ),
      fc.oneof(
        { weight: 6, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: fc.record({ key_id: fc.constantFrom<string | null>('kid-1', 'kid-2', '', null) }) },
        { weight: 1, arbitrary: fc.record({ keyid: fc.constantFrom('kid-1') }) },
        { weight: 1, arbitrary: fc.record({ kid: fc.constantFrom('kid-2') }) },
        { weight: 1, arbitrary: fc.record({ user_assertion_hash: fc.constantFrom<string | null>('h1', 'H1', null) }) },
        { weight: 1, arbitrary: fc.record({ userAssertionHash: fc.constantFrom('h1') }) },
        { weight: 1, arbitrary: fc.record({ ext_cache_key: fc.constantFrom<string | null>('ext1', 'ext2', null) }) },
        // MSAL Java's shape: every optional field written, null when absent.
        { weight: 1, arbitrary: fc.constant({ user_assertion_hash: null, refresh_on: null }) },
      ),
    )
    .map(([base, cachedAt, lifetime, opt, iso]) => ({
      ...base,
      cached_at: String(cachedAt),
      expires_on: String(cachedAt + lifetime),
      ...opt,
      ...iso,
    })),
)

/**
 * A `RefreshToken` entry (sometimes a family one).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const refreshTokenEntityArb: fc.Arbitrary<RefreshTokenEntity> = withUnknown(
  fc
    .tuple(
      fc.record({
        credential_type: fc.constant('RefreshToken'),
        secret: fc.string({ minLength: 1, maxLength: 10 }),
        home_account_id: homeAccountIdArb.filter((h) => h !== ''),
        environment: environmentArb,
        client_id: clientIdArb,
      }),
      fc.record(
        {
          target: scopesArb.map((s) => s.join(' ')),
          family_id: fc.constantFrom<string | null>('1', '', null),
          last_modification_time: epochSecondsArb.map(String),
          realm: fc.constantFrom<string | null>('', null),
        },
        { requiredKeys: [] },
      ),
    )
    .map(([a, b]) => ({ ...a, ...b })),
)

/**
 * An `IdToken` entry.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const idTokenEntityArb: fc.Arbitrary<IdTokenEntity> = withUnknown(
  fc.record({
    credential_type: fc.constant('IdToken'),
    secret: idTokenArb,
    home_account_id: homeAccountIdArb.filter((h) => h !== ''),
    environment: environmentArb,
    client_id: clientIdArb,
    realm: realmArb,
  }),
)

/**
 * An `Account` entry.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const accountEntityArb: fc.Arbitrary<AccountEntity> = withUnknown(
  fc
    .tuple(
      fc.record({
        home_account_id: homeAccountIdArb.filter((h) => h !== ''),
        environment: environmentArb,
        realm: realmArb,
        local_account_id: fc.oneof(fc.constantFrom('oid-1', 'oid-2'), fc.constant(null)),
        username: fc.constantFrom('john@contoso.com', 'JOHN@contoso.com', 'jane@contoso.com', ''),
        authority_type: fc.constantFrom('MSSTS', 'ADFS'),
      }),
      fc.record(
        { account_source: fc.constantFrom('authorization_code', 'device_code'), name: fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null)) },
        { requiredKeys: [] },
      ),
    )
    .map(([a, b]) => ({ ...a, ...b })),
)

/**
 * An `AppMetadata` entry.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const appMetadataEntityArb: fc.Arbitrary<AppMetadataEntity> = withUnknown(
  fc
    .tuple(fc.record({ client_id: clientIdArb, environment: environmentArb }), fc.record({ family_id: fc.constantFrom<string | null>('1', '', null) }, { requiredKeys: [] }))
    .map(([a, b]) => ({ ...a, ...b })),
)

/**
 * An entry of a known section that a reader cannot understand and must keep verbatim and
 * never serve: a readable entry with `secret`, `credential_type` or a required id
 * removed, a known field of the wrong type, a `credential_type` of another section, an
 * access token bound to parameters authfold never sends (msal-node's
 * `additionalCacheKeyComponents` / `requestedClaimsHash`, MSAL .NET's `ext`), or no
 * object at all.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const unreadableEntryArb = <E extends object>(readable: fc.Arbitrary<E>): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.tuple(readable, fc.constantFrom('secret', 'credential_type', 'home_account_id', 'environment', 'client_id')).map(([e, drop]) => {
      const out: Record<string, unknown> = { ...(e as Readonly<Record<string, unknown>>) }
      delete out[drop]
      return out
    }),
    fc.tuple(readable, fc.constantFrom<unknown>(7, true, ['x'], { a: 1 })).map(([e, v]) => ({ ...e, realm: v, secret: 5, environment: v })),
    readable.map((e) => ({ ...e, credential_type: 'Other_Credential' })),
    fc.tuple(
      readable,
      fc.constantFrom<Readonly<Record<string, unknown>>>(
        { credential_type: 'AccessToken', additionalCacheKeyComponents: { attribute_tokens: 'x' } },
        { credential_type: 'AccessToken', requestedClaimsHash: 'hash' },
        { credential_type: 'ATExt', ext: { fmi_path: 'x' } },
      ),
    ).map(([e, bound]) => ({ ...e, ...bound })),
    fc.constantFrom<unknown>(null, 'a string', 42, [], ['x']),
  )
