/**
 * Finding, updating and removing refresh tokens.
 *
 * Refresh tokens are looked up through the `homeEnv` index (home account, environment):
 * an account holds a handful of them, so a lookup visits only those.
 *
 * @module
 */
import { hamtValues } from './hamt.js'
import { eqi, type RefreshTokenEntity } from './schema.js'
import { bucketKey, modifyTable, specs, tableBucket, tableKeyOf, tablePut, tableRemove, type CacheState } from './state.js'

/**
 * What to look for. `clientId` and `familyId` are alternatives: a token matches when its
 * `client_id` is `clientId` or its `family_id` is `familyId`; with neither, every refresh
 * token of the account matches. All comparisons are case-insensitive.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._acquire_token_silent_by_finding_rt_belongs_to_me_or_my_family`
 */
export interface RefreshTokenQuery {
  readonly homeAccountId: string
  /** The authority's alias group. */
  readonly environments: ReadonlyArray<string>
  readonly clientId?: string
  /** A FOCI family id (usually `'1'`). */
  readonly familyId?: string
}


/**
 * The plain predicate behind {@link findRefreshTokens}.
 *
 * @category predicates
 * @since 0.1.0
 */
export const matchesRefreshTokenQuery =
  (q: RefreshTokenQuery) =>
  (e: RefreshTokenEntity): boolean =>
    eqi(e.home_account_id, q.homeAccountId) &&
    q.environments.some((env) => eqi(e.environment, env)) &&
    ((q.clientId === undefined && q.familyId === undefined) ||
      (q.clientId !== undefined && eqi(e.client_id, q.clientId)) ||
      (q.familyId !== undefined && q.familyId !== '' && eqi(e.family_id, q.familyId)))

/**
 * The refresh tokens that answer the query, through the index. Newest first
 * (`last_modification_time` descending).
 *
 * @category queries
 * @since 0.1.0
 * @see MSAL Python `TokenCache.search(CredentialType.REFRESH_TOKEN, query=...)`
 */
export const findRefreshTokens =
  (q: RefreshTokenQuery) =>
  (s: CacheState): ReadonlyArray<RefreshTokenEntity> => {
    const seen = new Set<string>()
    const match = matchesRefreshTokenQuery(q)
    const out: Array<RefreshTokenEntity> = []
    for (const env of q.environments) {
      const b = bucketKey(q.homeAccountId, env)
      if (seen.has(b)) continue
      seen.add(b)
      for (const [, e] of tableBucket(s.refreshTokens, 'homeEnv', b)) if (match(e)) out.push(e)
    }
    return out.sort((a, b) => Number(b.last_modification_time ?? 0) - Number(a.last_modification_time ?? 0))
  }

/**
 * The same answer as {@link findRefreshTokens} by a linear scan (for tests).
 *
 * @category queries
 * @since 0.1.0
 */
export const scanRefreshTokens =
  (q: RefreshTokenQuery) =>
  (s: CacheState): ReadonlyArray<RefreshTokenEntity> =>
    Array.from(hamtValues(s.refreshTokens.entries))
      .filter(matchesRefreshTokenQuery(q))
      .sort((a, b) => Number(b.last_modification_time ?? 0) - Number(a.last_modification_time ?? 0))

/**
 * The cache key a refresh token returned by a query is stored under, if still there.
 *
 * @category queries
 * @since 0.1.0
 */
export const refreshTokenKeyOf =
  (entry: RefreshTokenEntity) =>
  (s: CacheState): string | undefined =>
    tableKeyOf(specs.refreshTokens, s.refreshTokens, 'homeEnv', entry)

/**
 * Replaces a refresh token's secret in place (same key, every other field kept) and sets
 * `last_modification_time`. No-op when the entry is no longer in the cache.
 *
 * @category updates
 * @since 0.1.0
 * @see MSAL Python `TokenCache.update_rt`
 */
export const updateRefreshToken =
  (p: { readonly entry: RefreshTokenEntity; readonly secret: string; readonly nowSeconds: number }) =>
  (s: CacheState): CacheState => {
    const key = refreshTokenKeyOf(p.entry)(s)
    if (key === undefined) return s
    const next: RefreshTokenEntity = { ...p.entry, secret: p.secret, last_modification_time: String(Math.trunc(p.nowSeconds)) }
    return modifyTable('refreshTokens', (t) => tablePut(specs.refreshTokens, t, key, next))(s)
  }

/**
 * Removes one refresh token (an entry a query returned). No-op when already gone.
 *
 * @category removal
 * @since 0.1.0
 * @see MSAL Python `TokenCache.remove_rt`
 */
export const removeRefreshToken =
  (entry: RefreshTokenEntity) =>
  (s: CacheState): CacheState => {
    const key = refreshTokenKeyOf(entry)(s)
    return key === undefined ? s : modifyTable('refreshTokens', (t) => tableRemove(specs.refreshTokens, t, key))(s)
  }
