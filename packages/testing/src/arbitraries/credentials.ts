/**
 * Cache entries as MSAL SDKs write them, one arbitrary per section. Each may carry
 * unknown fields (another SDK's additions) and `null` identity fields (MSAL Python's
 * `"home_account_id": null` for application tokens).
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
          token_type: fc.constantFrom('Bearer', 'bearer', 'pop', 'ssh-cert'),
          refresh_on: epochSecondsArb.map(String),
          extended_expires_on: epochSecondsArb.map(String),
        },
        { requiredKeys: [] },
      ),
      fc.oneof(
        { weight: 6, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: fc.record({ key_id: fc.constantFrom('kid-1', 'kid-2', '') }) },
        { weight: 1, arbitrary: fc.record({ keyid: fc.constantFrom('kid-1') }) },
        { weight: 1, arbitrary: fc.record({ user_assertion_hash: fc.constantFrom('h1', 'H1') }) },
        { weight: 1, arbitrary: fc.record({ userAssertionHash: fc.constantFrom('h1') }) },
        { weight: 1, arbitrary: fc.record({ ext_cache_key: fc.constantFrom('ext1', 'ext2') }) },
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
          family_id: fc.constantFrom('1', ''),
          last_modification_time: epochSecondsArb.map(String),
          realm: fc.constant(''),
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
      fc.record({ account_source: fc.constantFrom('authorization_code', 'device_code'), name: fc.string({ maxLength: 6 }) }, { requiredKeys: [] }),
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
    .tuple(fc.record({ client_id: clientIdArb, environment: environmentArb }), fc.record({ family_id: fc.constantFrom('1', '') }, { requiredKeys: [] }))
    .map(([a, b]) => ({ ...a, ...b })),
)
