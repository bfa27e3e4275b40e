/**
 * fast-check arbitraries for property tests of code that reads, writes or queries the
 * token cache.
 *
 * - **pools**: small sets of client ids, environments, realms, home accounts and
 *   scopes, shared by all arbitraries so generated entries overlap.
 * - **id_tokens**: `idTokenClaimsArb`, `idTokenArb` (mostly well-formed unsigned JWTs,
 *   sometimes garbage), `unsignedIdToken(claims)`.
 * - **token answers**: `tokenResponseArb`, `clientInfoArb`, `tokenEventArb` (input of
 *   `addTokenResponse`).
 * - **entries**: `accessTokenEntityArb`, `refreshTokenEntityArb`, `idTokenEntityArb`,
 *   `accountEntityArb`, `appMetadataEntityArb`, with unknown fields and `null` ids.
 * - **hostile input** (fuzzing): `hostileJsonTextArb`, `hostileDocumentTextArb`, `oversizedCacheTextArb`,
 *   `deepJsonTextArb`, `mutatedTextArb`, `hostileStringArb`, `hugeStringArb`,
 *   `prototypeSnapshot`.
 * - **caches**: `msalCacheObjectArb`, `msalCacheJsonArb` (what an MSAL SDK leaves on
 *   disk), `deserializedCacheArb`, `foldedCacheArb`, `cacheStateArb`.
 *
 * @example
 * ```ts
 * import * as fc from 'fast-check'
 * import { cacheStateArb, tokenEventArb } from '@authfold/testing'
 * import { addTokenResponse, serialize } from '@authfold/cache'
 *
 * fc.assert(fc.property(cacheStateArb(), tokenEventArb, (s, e) => {
 *   const once = addTokenResponse(e)(s)
 *   return serialize(addTokenResponse(e)(once)) === serialize(once)
 * }))
 * ```
 *
 * @module
 */
export * from './pools.js'
export * from './idTokenClaims.js'
export * from './tokenResponse.js'
export * from './credentials.js'
export * from './cacheJson.js'
export * from './hostileJson.js'
