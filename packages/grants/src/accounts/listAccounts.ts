/**
 * @module
 */
import { getAccounts, type AccountEntity, type CacheState } from '@authfold/cache'
import type { AccountInfo } from '../userToken/foldUserToken.js'

/**
 * The public account object of a cached Account entry, MSAL Python's account dict:
 * `home_account_id`, `environment`, `username`, `authority_type`, `local_account_id`, `realm`.
 *
 * @category accounts
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._find_msal_accounts`
 */
export const accountInfoOf = (a: AccountEntity): AccountInfo => ({
  home_account_id: a.home_account_id,
  environment: a.environment,
  username: a.username ?? '',
  authority_type: a.authority_type ?? null,
  local_account_id: a.local_account_id ?? null,
  realm: a.realm ?? null,
})

const INTERESTING_TYPES: ReadonlySet<string> = new Set(['ADFS', 'MSSTS'])

const homeTenantOf = (homeAccountId: string): string => homeAccountId.slice(homeAccountId.indexOf('.') + 1).toLowerCase()

/**
 * The accounts of one environment, one per home account (MSAL groups the tenant profiles
 * of an account into one dict): the entry of the home tenant when the cache has it (a
 * guest tenant's profile otherwise), ADFS and MSSTS accounts only.
 *
 * @category accounts
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._find_msal_accounts`
 */
export const accountsIn =
  (environment: string) =>
  (cache: CacheState): ReadonlyArray<AccountInfo> => {
    const byHome = new Map<string, AccountEntity>()
    for (const a of getAccounts({ environments: [environment] })(cache)) {
      if (!INTERESTING_TYPES.has(String(a.authority_type))) continue
      const key = a.home_account_id.toLowerCase()
      const seen = byHome.get(key)
      if (seen === undefined || (String(a.realm).toLowerCase() === homeTenantOf(key) && String(seen.realm).toLowerCase() !== homeTenantOf(key))) byHome.set(key, a)
    }
    return Array.from(byHome.values(), accountInfoOf)
  }

/**
 * Lists the signed-in accounts as MSAL Python's `get_accounts(username)`: those of the
 * authority's own host, or else of the first alias that has any; filtered by username
 * (case-insensitive) when one is given. Pure.
 *
 * @example
 * ```ts
 * import { listAccounts } from '@authfold/grants'
 * import type { CacheState } from '@authfold/cache'
 *
 * declare const cache: CacheState
 * const accounts = listAccounts({ environment: 'login.microsoftonline.com', aliases: ['login.windows.net'], username: 'jane@contoso.com' })(cache)
 * ```
 * @category accounts
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.get_accounts`
 */
export const listAccounts =
  (q: { readonly environment: string; readonly aliases: ReadonlyArray<string>; readonly username?: string | undefined }) =>
  (cache: CacheState): ReadonlyArray<AccountInfo> => {
    const order = [q.environment, ...q.aliases.filter((a) => a.toLowerCase() !== q.environment.toLowerCase())]
    let found: ReadonlyArray<AccountInfo> = []
    for (const env of order) {
      found = accountsIn(env)(cache)
      if (found.length > 0) break
    }
    const wanted = q.username
    if (wanted === undefined || wanted === '') return found
    return found.filter((a) => (a.username ?? '').toLowerCase() === wanted.toLowerCase())
  }
