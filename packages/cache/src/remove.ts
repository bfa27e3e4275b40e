/**
 * Removing many entries at once: application tokens, and an account with its tokens.
 *
 * @module
 */
import { familyIdOf } from './appMetadata.js'
import { eqi } from './schema.js'
import { bucketKey, specs, tableBucket, tableRemove, type CacheState, type Table } from './state.js'


const removeKeys = <E, I extends string>(
  spec: { readonly [K in I]: (e: E) => string },
  table: Table<E, I>,
  keys: ReadonlyArray<string>,
): Table<E, I> => keys.reduce((t, k) => tableRemove(spec, t, k), table)

/**
 * Removes the application (client credentials) access tokens of a client: those with no
 * home account, in the given environments and realm when given. Visits only that
 * client's application tokens.
 *
 * @category removal
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.remove_tokens_for_client`
 */
export const removeAppTokens =
  (q: { readonly clientId: string; readonly environments?: ReadonlyArray<string>; readonly realm?: string }) =>
  (s: CacheState): CacheState => {
    const keys = tableBucket(s.accessTokens, 'clientHome', bucketKey(q.clientId, ''))
      .filter(
        ([, e]) =>
          (q.environments === undefined || q.environments.some((env) => eqi(e.environment, env))) &&
          (q.realm === undefined || eqi(e.realm, q.realm)),
      )
      .map(([k]) => k)
    return keys.length === 0 ? s : { ...s, accessTokens: removeKeys(specs.accessTokens, s.accessTokens, keys) }
  }

/**
 * Which account, in which environment, seen from which app.
 *
 * @category model
 * @since 0.1.0
 */
export interface AccountRef {
  readonly clientId: string
  readonly homeAccountId: string
  readonly environment: string
}

/**
 * Signs an account out of an app: removes the account's refresh tokens that belong to
 * the app (its `client_id`, or the app's FOCI family from AppMetadata) and all the
 * account's access tokens in that environment, whatever client and realm. Keeps the
 * account and its id tokens.
 *
 * @category removal
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._sign_out`
 */
export const signOut =
  (a: AccountRef) =>
  (s: CacheState): CacheState => {
    const bucket = bucketKey(a.homeAccountId, a.environment)
    const family = familyIdOf({ clientId: a.clientId, environments: [a.environment] })(s)
    const rts = tableBucket(s.refreshTokens, 'homeEnv', bucket)
      .filter(([, rt]) => eqi(rt.client_id, a.clientId) || (family !== undefined && eqi(rt.family_id, family)))
      .map(([k]) => k)
    const ats = tableBucket(s.accessTokens, 'homeEnv', bucket).map(([k]) => k)
    if (rts.length === 0 && ats.length === 0) return s
    return {
      ...s,
      refreshTokens: removeKeys(specs.refreshTokens, s.refreshTokens, rts),
      accessTokens: removeKeys(specs.accessTokens, s.accessTokens, ats),
    }
  }

/**
 * Signs the account out (see {@link signOut}) and forgets it: also removes every id
 * token and account entry of that home account in that environment (all realms, all
 * clients). Refresh tokens of other, non-family apps stay, as in MSAL Python.
 * Idempotent.
 *
 * @category removal
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.remove_account` / `_forget_me`
 */
export const removeAccount =
  (a: AccountRef) =>
  (s: CacheState): CacheState => {
    const signedOut = signOut(a)(s)
    const bucket = bucketKey(a.homeAccountId, a.environment)
    const idts = tableBucket(signedOut.idTokens, 'homeEnv', bucket).map(([k]) => k)
    const accts = tableBucket(signedOut.accounts, 'homeEnv', bucket).map(([k]) => k)
    if (idts.length === 0 && accts.length === 0) return signedOut
    return {
      ...signedOut,
      idTokens: removeKeys(specs.idTokens, signedOut.idTokens, idts),
      accounts: removeKeys(specs.accounts, signedOut.accounts, accts),
    }
  }
