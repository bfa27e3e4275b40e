/**
 * The cache-first policy every grant that reads the cache first shares (client
 * credentials, and the silent flow, on-behalf-of and managed identity after it).
 *
 * @module
 */
import * as O from 'fp-ts/Option'
import * as E from 'fp-ts/Either'
import { RefreshReason, type AuthError } from '@authfold/core'
import type { AccessTokenFinder, AccessTokenQuery, CacheState } from '@authfold/cache'
import type { AuthResult, Grant } from '../grant.js'
import { cachedAccessToken, refreshReasonFor } from './cachedAccessToken.js'

/**
 * What {@link cacheFirst} looks up, and whether it may.
 *
 * @category model
 * @since 0.1.0
 */
export interface CacheFirstPolicy {
  /** The access tokens that would answer this call. */
  readonly query: AccessTokenQuery
  /**
   * Skip the cached access token and go to the identity provider for this reason (a
   * claims challenge or `forceRefresh`: `RefreshReason.forceRefresh`). Absent: look first.
   */
  readonly skipCache?: RefreshReason | undefined
}

/**
 * Answers from the cache when it can, otherwise runs `fetch` with the reason it had to:
 *
 * - a cached access token with more than five minutes left and not past its `refresh_on`
 *   is returned (`token_source: "cache"`, the telemetry recorder counts a hit), no request;
 * - one past its `refresh_on` is refreshed (`atAging`), and still returned if the refresh
 *   fails, with the cache as it was;
 * - none, or only ones about to expire: `fetch(atAbsent | atExpired)`;
 * - `skipCache`: `fetch(skipCache)` without looking.
 *
 * @example
 * ```ts
 * import { cacheFirst, type AuthResult, type Grant } from '@authfold/grants'
 * import type { AccessTokenQuery } from '@authfold/cache'
 * import type { RefreshReason } from '@authfold/core'
 *
 * declare const query: AccessTokenQuery
 * declare const fetchToken: (reason: RefreshReason) => Grant<AuthResult> // request, send, fold into the cache
 * const grant = cacheFirst({ query }, (reason) => fetchToken(reason))
 * ```
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._acquire_token_silent_from_cache_and_possibly_refresh_it`
 */
export const cacheFirst =
  (policy: CacheFirstPolicy, fetch: (reason: RefreshReason) => Grant<AuthResult>): Grant<AuthResult> =>
  (cache: CacheState) =>
  (env) => {
    if (policy.skipCache !== undefined) return fetch(policy.skipCache)(cache)(env)
    // Fractional seconds, as MSAL compares with time.time(): 299.5 s left is expired.
    const cached = cachedAccessToken(policy.query, env.now() / 1000)(cache)
    if (O.isSome(cached) && !cached.value.aging) {
      env.log('info', 'Answered from the token cache', false)
      env.telemetry?.hit()
      // `TE.right` and `TE.orElse` written out: the same thunks, without TaskEither's code.
      return () => Promise.resolve(E.right<AuthError, [AuthResult, CacheState]>([cached.value.result, cache]))
    }
    const request = fetch(refreshReasonFor(policy.query, cached)(cache))(cache)(env)
    return O.isSome(cached)
      ? async () => {
          const refreshed = await request()
          if (E.isRight(refreshed)) return refreshed
          env.log('warning', `A proactive refresh failed (${refreshed.left._tag}); the cached token is still valid and is returned`, false)
          return E.right<AuthError, [AuthResult, CacheState]>([cached.value.result, cache])
        }
      : request
  }

/**
 * The answer {@link cacheFirst} gives without a request, if any: the cached access token
 * of `policy`, with more than five minutes left and not past its `refresh_on`, shaped as a
 * `token_source: "cache"` result; `undefined` when `cacheFirst` would go to the identity
 * provider (no such token, one about to expire or aging, or `skipCache`). Pure and
 * synchronous: a facade answers cache hits with it and skips the grant's machinery. `find`
 * is the lookup (default `findAccessTokens`; a facade passes a memoized one).
 *
 * @example
 * ```ts
 * import { peekCacheFirst, type CacheFirstPolicy } from '@authfold/grants'
 * import type { CacheState } from '@authfold/cache'
 *
 * declare const policy: CacheFirstPolicy, cache: CacheState
 * const hit = peekCacheFirst(policy, Date.now() / 1000)(cache) // AuthResult | undefined
 * ```
 * @category steps
 * @since 0.1.0
 */
export const peekCacheFirst =
  (policy: CacheFirstPolicy, nowSeconds: number, find?: AccessTokenFinder) =>
  (cache: CacheState): AuthResult | undefined => {
    if (policy.skipCache !== undefined) return undefined
    const cached = cachedAccessToken(policy.query, nowSeconds, find)(cache)
    return O.isSome(cached) && !cached.value.aging ? cached.value.result : undefined
  }

/**
 * `RefreshReason.forceRefresh` when a claims challenge or `forceRefresh` asks to skip the
 * cached access token, else `undefined` (look first).
 *
 * @category steps
 * @since 0.1.0
 */
export const skipCacheFor = (options: { readonly claimsChallenge?: string | undefined; readonly forceRefresh?: boolean | undefined }): RefreshReason | undefined =>
  options.claimsChallenge !== undefined || options.forceRefresh === true ? RefreshReason.forceRefresh : undefined
