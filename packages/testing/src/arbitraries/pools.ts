/**
 * Small pools of identity values the cache arbitraries draw from. Pools are small on
 * purpose: generated entries then share clients, accounts, environments and realms
 * (and differ only in case sometimes), so properties exercise overlaps, replacements
 * and case-insensitive matching instead of a cache of strangers.
 *
 * @module
 */
import * as fc from 'fast-check'

/**
 * Client ids, including a case variant of the first.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const clientIdArb: fc.Arbitrary<string> = fc.constantFrom('client-a', 'CLIENT-A', 'client-b', '6d5e1a2b-0000-4000-8000-00000000000c')

/**
 * Cache environments (hosts): two aliases of the public cloud, a test host, an ADFS host.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const environmentArb: fc.Arbitrary<string> = fc.constantFrom(
  'login.microsoftonline.com',
  'login.windows.net',
  'login.example.com',
  'fs.contoso.com',
)

/**
 * Realms (tenants), `adfs` included.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const realmArb: fc.Arbitrary<string> = fc.constantFrom('common', 'contoso', 'Contoso', 'organizations', 'adfs', '72f988bf-86f1-41af-91ab-2d7cd011db47')

/**
 * `uid`/`utid` pairs (client_info), giving home account ids `uid.utid`.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const uidUtidArb: fc.Arbitrary<readonly [string, string]> = fc.constantFrom(
  ['uid1', 'utid1'] as const,
  ['UID1', 'utid1'] as const,
  ['uid2', 'utid2'] as const,
  ['00000000-0000-0000-0000-0000000000aa', '9188040d-6c67-4c5b-b112-36a304b66dad'] as const,
)

/**
 * Home account ids, `''` (application tokens) included.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const homeAccountIdArb: fc.Arbitrary<string> = fc.oneof(
  uidUtidArb.map(([u, t]) => `${u}.${t}`),
  fc.constant(''),
)

/**
 * Single scopes, including case variants and a `.default` scope.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const scopeArb: fc.Arbitrary<string> = fc.constantFrom(
  'User.Read',
  'user.read',
  'Mail.Send',
  'openid',
  'profile',
  'https://graph.microsoft.com/.default',
  'api://x/a',
  'b',
)

/**
 * A non-empty list of scopes (duplicates possible, as callers send them).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const scopesArb: fc.Arbitrary<ReadonlyArray<string>> = fc.array(scopeArb, { minLength: 1, maxLength: 4 })

/**
 * Epoch seconds in a realistic range.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const epochSecondsArb: fc.Arbitrary<number> = fc.integer({ min: 1_600_000_000, max: 1_900_000_000 })

/**
 * Extra JSON fields another SDK might add to an entry (names that MSAL does not use).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const unknownFieldsArb: fc.Arbitrary<Readonly<Record<string, unknown>>> = fc.dictionary(
  fc.constantFrom('x_custom', 'lastUpdatedAt', 'tenantProfiles', 'requestedClaims', 'weird key', '__proto__'),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 2 },
)
