/**
 * @module
 */
import * as O from 'fp-ts/Option'
import { findAccessTokens, optionalSecondsOf, type AccessTokenEntity, type AccessTokenFinder, type AccessTokenQuery, type CacheState } from '@authfold/cache'
import { RefreshReason } from '@authfold/core'
import type { AuthResult } from '../grant.js'

/**
 * A cached access token MSAL would use: found, and not within five minutes of expiry.
 * `aging` is true when its `refresh_on` has passed: use it only if a refresh fails.
 *
 * @category model
 * @since 0.1.0
 */
export interface CachedToken {
  readonly result: AuthResult
  readonly aging: boolean
}

/**
 * Seconds before expiry at which a cached access token counts as expired (MSAL's 5 minutes).
 *
 * @category constants
 * @since 0.1.0
 */
export const EXPIRY_MARGIN_SECONDS = 300

/**
 * The `token_source: "cache"` result of a cached access token with `expiresIn` seconds left
 * (a fraction is floored) and its `refresh_on` in seconds (`undefined`: none, and no
 * `refresh_on` in the result): the one shape every cache hit answers with
 * ({@link cachedAccessToken}, `cacheFirstHit`, the lean `appToken`).
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

/**
 * Finds a usable cached access token, shaped as a `token_source: "cache"` result.
 * `nowSeconds` may have a fraction (MSAL compares with `time.time()`): a token with 299.5 s
 * left is expired, and one whose `refresh_on` passed half a second ago is aging. `find` is
 * the lookup (default `findAccessTokens`; a facade passes a memoized one).
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_acquire_token_silent_from_cache_and_possibly_refresh_it`
 */
export const cachedAccessToken =
  (query: AccessTokenQuery, nowSeconds: number, find: AccessTokenFinder = findAccessTokens) =>
  (cache: CacheState): O.Option<CachedToken> => {
    for (const entry of find(query)(cache)) {
      const expiresIn = Number(entry.expires_on) - nowSeconds
      if (!(expiresIn >= EXPIRY_MARGIN_SECONDS)) continue
      const refreshOn = optionalSecondsOf(entry.refresh_on) // null (MSAL Java), '' or garbage: none
      return O.some({ result: cacheResultOf(entry, expiresIn, refreshOn), aging: refreshOn !== undefined && refreshOn < nowSeconds })
    }
    return O.none
  }

/**
 * Why a grant goes to the identity provider, as MSAL's telemetry reports it: no token
 * (`atAbsent`), only tokens too close to expiry (`atExpired`), or a usable token past its
 * `refresh_on` (`atAging`).
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `msal.telemetry` refresh reasons
 */
export const refreshReasonFor =
  (query: AccessTokenQuery, cached: O.Option<CachedToken>) =>
  (cache: CacheState): RefreshReason =>
    O.isSome(cached) ? RefreshReason.atAging : findAccessTokens(query)(cache).length > 0 ? RefreshReason.atExpired : RefreshReason.atAbsent
