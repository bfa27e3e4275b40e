/**
 * The cache hit of a cache-first grant, answered with nothing built but the result.
 *
 * @module
 */
import { optionalSecondsOf, type AccessTokenEntity, type AccessTokenLookup, type CacheState } from '@authfold/cache'
import type { AuthResult } from '../grant.js'
import type { CacheFirstPolicy } from './cacheFirst.js'
import { EXPIRY_MARGIN_SECONDS } from './cachedAccessToken.js'
import { cacheResultOf } from './cacheResult.js'

/**
 * What `peekCacheFirst(policy, nowSeconds, find)(cache)` answers (`find` the curried `lookup`), without its closures and
 * Option: the first token `find` lists with at least five minutes left, shaped as a
 * `token_source: "cache"` result (`lookup` is `findAccessTokens` uncurried, or a facade's memoized `memoizedAccessTokenLookup`), unless its `refresh_on` has passed (a proactive refresh
 * is due: `undefined`, as for no token, one about to expire, or `skipCache`). The one
 * object it builds is the result, so a facade answering hit after hit allocates little.
 *
 * @example
 * ```ts
 * import { cacheFirstHit, type CacheFirstPolicy } from '@authfold/grants'
 * import { memoizedAccessTokenLookup, type CacheState } from '@authfold/cache'
 *
 * declare const policy: CacheFirstPolicy, cache: CacheState
 * const lookup = memoizedAccessTokenLookup()
 * const hit = cacheFirstHit(policy, Date.now() / 1000, lookup, cache) // AuthResult | undefined
 * ```
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_acquire_token_silent_from_cache_and_possibly_refresh_it`
 */
export const cacheFirstHit = (policy: CacheFirstPolicy, nowSeconds: number, lookup: AccessTokenLookup, cache: CacheState): AuthResult | undefined => {
  if (policy.skipCache !== undefined) return undefined
  const entries = lookup(policy.query, cache)
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as AccessTokenEntity // an index loop: no iterator per hit
    const expiresIn = Number(entry.expires_on) - nowSeconds
    if (!(expiresIn >= EXPIRY_MARGIN_SECONDS)) continue
    const refreshOn = optionalSecondsOf(entry.refresh_on) // null (MSAL Java), '' or garbage: none
    // aging (past its refresh_on): the grant refreshes it (and falls back on it)
    return refreshOn !== undefined && refreshOn < nowSeconds ? undefined : cacheResultOf(entry, expiresIn, refreshOn)
  }
  return undefined
}
