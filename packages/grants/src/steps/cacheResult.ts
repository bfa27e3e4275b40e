/**
 * The one shape of a cache hit's result.
 *
 * @module
 */
import type { AccessTokenEntity } from '@authfold/cache'
import type { AuthResult } from '../grant.js'

/**
 * The `token_source: "cache"` result of a cached access token with `expiresIn` seconds left
 * (a fraction is floored) and its `refresh_on` in seconds (`undefined`: none, and no
 * `refresh_on` in the result): the one shape every cache hit answers with
 * (`cachedAccessToken`, `cacheFirstHit`, the lean `appToken`).
 *
 * @example
 * ```ts
 * import { cacheResultOf } from '@authfold/grants'
 * import type { AccessTokenEntity } from '@authfold/cache'
 *
 * declare const entry: AccessTokenEntity
 * cacheResultOf(entry, 3599.5, undefined) // { access_token: entry.secret, token_type: 'Bearer', expires_in: 3599, token_source: 'cache' }
 * ```
 * @category steps
 * @since 0.1.0
 */
export const cacheResultOf = (entry: AccessTokenEntity, expiresIn: number, refreshOn: number | undefined): AuthResult =>
  // two literals rather than a spread: this runs on every cache hit
  refreshOn === undefined
    ? { access_token: entry.secret, token_type: entry.token_type ?? 'Bearer', expires_in: Math.floor(expiresIn), token_source: 'cache' }
    : { access_token: entry.secret, token_type: entry.token_type ?? 'Bearer', expires_in: Math.floor(expiresIn), token_source: 'cache', refresh_on: Math.floor(refreshOn) }
