/**
 * An app's own cache logic: the choices of an account picker ("Sign in as ..."), one per
 * signed-in user, sorted by username, with no duplicates across clouds' aliases.
 * `accountPicker.test.ts` property-tests it with authfold's fast-check arbitraries.
 */
import { getAccounts, type CacheState } from '@authfold/cache'

/** One line of the picker. */
export interface AccountChoice {
  readonly homeAccountId: string
  readonly environment: string
  readonly username: string
}

/** The picker's lines: one per (home account, environment), sorted by username. */
export const accountChoices = (cache: CacheState): ReadonlyArray<AccountChoice> => {
  const seen = new Map<string, AccountChoice>()
  for (const a of getAccounts({})(cache)) {
    const homeAccountId = a.home_account_id ?? ''
    const environment = a.environment ?? ''
    // MSAL's ids are case-insensitive: a cache may hold `UID.utid` and `uid.utid` for one user
    // (fast-check found that one for us).
    const key = `${homeAccountId}|${environment}`.toLowerCase()
    if (!seen.has(key)) seen.set(key, { homeAccountId, environment, username: a.username ?? '' })
  }
  return [...seen.values()].sort((x, y) => x.username.localeCompare(y.username) || x.homeAccountId.localeCompare(y.homeAccountId))
}
