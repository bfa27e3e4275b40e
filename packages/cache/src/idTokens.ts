/**
 * Finding and removing id tokens.
 *
 * @module
 */
import { hamtValues } from './hamt.js'
import { eqi, type IdTokenEntity } from './schema.js'
import { bucketKey, modifyTable, specs, tableBucket, tableKeyOf, tableRemove, type CacheState } from './state.js'

/**
 * What to look for; all comparisons case-insensitive. `realm` and `clientId` narrow the
 * answer when given.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `TokenCache.search(CredentialType.ID_TOKEN, query=...)`
 */
export interface IdTokenQuery {
  readonly homeAccountId: string
  readonly environments: ReadonlyArray<string>
  readonly clientId?: string
  readonly realm?: string
}


/**
 * The plain predicate behind {@link findIdTokens}.
 *
 * @category predicates
 * @since 0.1.0
 */
export const matchesIdTokenQuery =
  (q: IdTokenQuery) =>
  (e: IdTokenEntity): boolean =>
    eqi(e.home_account_id, q.homeAccountId) &&
    q.environments.some((env) => eqi(e.environment, env)) &&
    (q.clientId === undefined || eqi(e.client_id, q.clientId)) &&
    (q.realm === undefined || eqi(e.realm, q.realm))

/**
 * The id tokens that answer the query, through the `homeEnv` index.
 *
 * @category queries
 * @since 0.1.0
 */
export const findIdTokens =
  (q: IdTokenQuery) =>
  (s: CacheState): ReadonlyArray<IdTokenEntity> => {
    const seen = new Set<string>()
    const match = matchesIdTokenQuery(q)
    const out: Array<IdTokenEntity> = []
    for (const env of q.environments) {
      const b = bucketKey(q.homeAccountId, env)
      if (seen.has(b)) continue
      seen.add(b)
      for (const [, e] of tableBucket(s.idTokens, 'homeEnv', b)) if (match(e)) out.push(e)
    }
    return out
  }

/**
 * The same answer as {@link findIdTokens} by a linear scan (for tests).
 *
 * @category queries
 * @since 0.1.0
 */
export const scanIdTokens =
  (q: IdTokenQuery) =>
  (s: CacheState): ReadonlyArray<IdTokenEntity> =>
    Array.from(hamtValues(s.idTokens.entries)).filter(matchesIdTokenQuery(q))

/**
 * Removes one id token (an entry a query returned). No-op when already gone.
 *
 * @category removal
 * @since 0.1.0
 * @see MSAL Python `TokenCache.remove_idt`
 */
export const removeIdToken =
  (entry: IdTokenEntity) =>
  (s: CacheState): CacheState => {
    const key = tableKeyOf(specs.idTokens, s.idTokens, 'homeEnv', entry)
    return key === undefined ? s : modifyTable('idTokens', (t) => tableRemove(specs.idTokens, t, key))(s)
  }
