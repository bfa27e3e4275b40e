/**
 * Successful token answers and the cache's `TokenEvent`s built around them.
 *
 * @module
 */
import type { TokenResponse } from '@authfold/core'
import type { TokenEvent } from '@authfold/cache'
import * as fc from 'fast-check'
import { base64urlJson, idTokenArb } from './idTokenClaims.js'
import { clientIdArb, environmentArb, epochSecondsArb, realmArb, scopeArb, scopesArb, uidUtidArb } from './pools.js'

/**
 * A `client_info` value: base64url JSON with `uid` and `utid` (sometimes garbage).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const clientInfoArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: uidUtidArb.map(([uid, utid]) => base64urlJson({ uid, utid })) },
  { weight: 1, arbitrary: fc.constantFrom('%%%', base64urlJson({ uid: 'only-uid' }), base64urlJson('x')) },
)

/**
 * A successful token answer (`@authfold/core`'s `TokenResponse`): an access token, and
 * some of `expires_in` (number or string), `ext_expires_in`, `refresh_in`, `token_type`,
 * `scope`, `refresh_token`, `id_token`, `client_info`, `foci`.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const tokenResponseArb: fc.Arbitrary<TokenResponse> = fc
  .tuple(
    fc.record({ access_token: fc.string({ minLength: 1, maxLength: 12 }) }),
    fc.record(
      {
        token_type: fc.constantFrom('Bearer', 'bearer', 'pop', 'ssh-cert'),
        expires_in: fc.integer({ min: 0, max: 90_000 }),
        ext_expires_in: fc.integer({ min: 0, max: 90_000 }),
        refresh_in: fc.integer({ min: 0, max: 45_000 }),
        scope: fc.array(scopeArb, { maxLength: 3 }).map((xs) => xs.join(' ')),
        refresh_token: fc.string({ minLength: 1, maxLength: 12 }),
        id_token: idTokenArb,
        client_info: clientInfoArb,
        foci: fc.constant('1'),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([a, b]) => ({ ...a, ...b }))

/**
 * A `TokenEvent` for `addTokenResponse`, drawn from the shared identity pools. Rare
 * PoP key ids, OBO assertion hashes and FMI ext cache keys are mixed in.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const tokenEventArb: fc.Arbitrary<TokenEvent> = fc
  .tuple(
    fc.record({
      clientId: clientIdArb,
      environment: environmentArb,
      realm: realmArb,
      scopes: scopesArb,
      response: tokenResponseArb,
      nowSeconds: epochSecondsArb,
    }),
    fc.record(
      {
        grantType: fc.constantFrom('authorization_code', 'refresh_token', 'client_credentials', 'password'),
        authorityType: fc.constantFrom('MSSTS' as const, 'ADFS' as const),
        username: fc.constantFrom('ropc@contoso.com'),
      },
      { requiredKeys: [] },
    ),
    fc.oneof(
      { weight: 6, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: fc.record({ keyId: fc.constantFrom('kid-1', 'kid-2') }) },
      { weight: 1, arbitrary: fc.record({ userAssertionHash: fc.constantFrom('h1', 'H1') }) },
      { weight: 1, arbitrary: fc.record({ extCacheKey: fc.constantFrom('ext1', 'ext2') }) },
    ),
  )
  .map(([a, b, c]) => ({ ...a, ...b, ...c }))
