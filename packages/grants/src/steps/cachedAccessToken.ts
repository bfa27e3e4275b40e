/**
 * @module
 */
import * as O from 'fp-ts/Option'
import { findAccessTokens, optionalSecondsOf, type AccessTokenFinder, type AccessTokenQuery, type CacheState } from '@authfold/cache'
import { RefreshReason } from '@authfold/core'
import type { AuthResult } from '../grant.js'
import { cacheResultOf } from './cacheResult.js'

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
