/**
 * Listing and finding accounts.
 *
 * @module
 */
import { hamtValues } from './hamt.js'
import { eqi, type AccountEntity } from './schema.js'
import { bucketKey, modifyTable, specs, tableBucket, tableKeyOf, tableRemove, type CacheState } from './state.js'

/**
 * Filters for {@link getAccounts}; every given filter must hold, all case-insensitive.
 * With no filter at all, every account is listed (O(number of accounts)); with
 * `homeAccountId` or `username`, only that index bucket is visited.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.get_accounts(username)`
 */
export interface AccountQuery {
  readonly homeAccountId?: string
  readonly username?: string
  /** The authority's alias group. */
  readonly environments?: ReadonlyArray<string>
  readonly realm?: string
}


/**
 * The plain predicate behind {@link getAccounts}.
 *
 * @category predicates
 * @since 0.1.0
 */
export const matchesAccountQuery =
  (q: AccountQuery) =>
  (a: AccountEntity): boolean =>
    (q.homeAccountId === undefined || eqi(a.home_account_id, q.homeAccountId)) &&
    (q.username === undefined || eqi(a.username, q.username)) &&
    (q.environments === undefined || q.environments.some((env) => eqi(a.environment, env))) &&
    (q.realm === undefined || eqi(a.realm, q.realm))

const candidates = (q: AccountQuery, s: CacheState): Iterable<AccountEntity> => {
  const pick = (index: 'homeEnv' | 'home' | 'env' | 'username', buckets: ReadonlyArray<string>): ReadonlyArray<AccountEntity> =>
    Array.from(new Set(buckets)).flatMap((b) => tableBucket(s.accounts, index, b).map(([, a]) => a))
  if (q.homeAccountId !== undefined && q.environments !== undefined) {
    const h = q.homeAccountId
    return pick('homeEnv', q.environments.map((env) => bucketKey(h, env)))
  }
  if (q.homeAccountId !== undefined) return pick('home', [bucketKey(q.homeAccountId)])
  if (q.username !== undefined) return pick('username', [bucketKey(q.username)])
  if (q.environments !== undefined) return pick('env', q.environments.map((env) => bucketKey(env)))
  return hamtValues(s.accounts.entries)
}

/**
 * The accounts that pass every given filter, through the narrowest index available.
 *
 * @category queries
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.get_accounts` / `TokenCache.search(CredentialType.ACCOUNT, ...)`
 */
export const getAccounts =
  (q: AccountQuery = {}) =>
  (s: CacheState): ReadonlyArray<AccountEntity> =>
    Array.from(candidates(q, s)).filter(matchesAccountQuery(q))

/**
 * The same answer as {@link getAccounts} by a linear scan (for tests).
 *
 * @category queries
 * @since 0.1.0
 */
export const scanAccounts =
  (q: AccountQuery = {}) =>
  (s: CacheState): ReadonlyArray<AccountEntity> =>
    Array.from(hamtValues(s.accounts.entries)).filter(matchesAccountQuery(q))

/**
 * Removes one account entry (an entry a query returned), nothing else; see
 * `removeAccount` for MSAL's sign-out-and-forget. No-op when already gone.
 *
 * @category removal
 * @since 0.1.0
 * @see MSAL Python `TokenCache.remove_account`
 */
export const removeAccountEntity =
  (entry: AccountEntity) =>
  (s: CacheState): CacheState => {
    const key = tableKeyOf(specs.accounts, s.accounts, 'homeEnv', entry)
    return key === undefined ? s : modifyTable('accounts', (t) => tableRemove(specs.accounts, t, key))(s)
  }
