/**
 * Listing and finding accounts.
 *
 * @module
 */
import { hamtEntries, hamtValues } from './hamt.js'
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

const candidates = (q: AccountQuery, s: CacheState): Iterable<readonly [string, AccountEntity]> => {
  const pick = (index: 'homeEnv' | 'home' | 'env' | 'username', buckets: ReadonlyArray<string>): ReadonlyArray<readonly [string, AccountEntity]> =>
    Array.from(new Set(buckets)).flatMap((b) => tableBucket(s.accounts, index, b))
  if (q.homeAccountId !== undefined && q.environments !== undefined) {
    const h = q.homeAccountId
    return pick('homeEnv', q.environments.map((env) => bucketKey(h, env)))
  }
  if (q.homeAccountId !== undefined) return pick('home', [bucketKey(q.homeAccountId)])
  if (q.username !== undefined) return pick('username', [bucketKey(q.username)])
  if (q.environments !== undefined) return pick('env', q.environments.map((env) => bucketKey(env)))
  return hamtEntries(s.accounts.entries)
}

const byKey = (x: readonly [string, AccountEntity], y: readonly [string, AccountEntity]): number => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)

/**
 * The accounts that pass every given filter, through the narrowest index available, in the
 * order of their cache keys (the order `serialize` writes them), so the answer does not
 * depend on how the cache was built or whether it was saved and loaded.
 *
 * @category queries
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.get_accounts` / `TokenCache.search(CredentialType.ACCOUNT, ...)`
 */
export const getAccounts =
  (q: AccountQuery = {}) =>
  (s: CacheState): ReadonlyArray<AccountEntity> =>
    Array.from(candidates(q, s))
      .filter(([, a]) => matchesAccountQuery(q)(a))
      .sort(byKey)
      .map(([, a]) => a)

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
