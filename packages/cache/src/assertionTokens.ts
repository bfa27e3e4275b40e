/**
 * On-behalf-of lookups: the accounts whose access tokens a middle tier obtained with one
 * user assertion.
 *
 * @module
 */
import { eqi, str, userAssertionHashOf } from './schema.js'
import { tableBucket, type CacheState } from './state.js'

/**
 * The home account ids of the access tokens this client obtained on behalf of the user
 * whose assertion hashes to `userAssertionHash` (exact compare), through the `assertion`
 * index: the cost is the number of such tokens, not the size of the cache. An OBO lookup
 * does not know the user's home account until then; with it the ordinary access-token
 * query (home account, scopes, `userAssertionHash`) finds the token.
 *
 * @example
 * ```ts
 * import { homeAccountsOfAssertion, type CacheState } from '@authfold/cache'
 *
 * declare const cache: CacheState, hash: string // userAssertionHash of the incoming assertion
 * homeAccountsOfAssertion({ clientId: 'mid-tier', userAssertionHash: hash })(cache) // ['uid.utid']
 * ```
 * @category queries
 * @since 0.1.0
 * @see MSAL .NET `OnBehalfOfRequest` (access tokens filtered by `user_assertion_hash`)
 */
export const homeAccountsOfAssertion =
  (q: { readonly clientId: string; readonly userAssertionHash: string }) =>
  (s: CacheState): ReadonlyArray<string> => {
    if (q.userAssertionHash === '') return []
    const out = new Set<string>()
    for (const [, e] of tableBucket(s.accessTokens, 'assertion', `=${q.userAssertionHash}`))
      if (eqi(e.client_id, q.clientId) && userAssertionHashOf(e) === q.userAssertionHash) out.add(str(e.home_account_id))
    return [...out]
  }
