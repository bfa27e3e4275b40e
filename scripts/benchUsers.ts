/**
 * The signed-in users `pnpm bench` and `pnpm bench:alloc` fill their caches with: user `i`'s
 * token answer (Account, IdToken, AccessToken, RefreshToken) as a `TokenEvent`, and a cache of
 * `n` of them.
 */
import { addTokenResponse, emptyCache, type CacheState, type TokenEvent } from '@authfold/cache'

/** Where the users sign in: the app, the cache environment and realm, the token issuer, the time. */
export interface BenchUsers {
  readonly clientId: string
  readonly environment: string
  readonly realm: string
  readonly tenantId: string
  readonly issuer: string
  readonly nowSeconds: number
}

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')

/** User `i`'s object id (and `uid` in `client_info`). */
export const benchUid = (i: number): string => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`

/** User `i`'s sign-in name. */
export const benchUsername = (i: number): string => `user${i}@bench.test`

/** User `i` signing in: the token answer the cache folds. */
export const benchSignIn =
  (u: BenchUsers) =>
  (i: number): TokenEvent => {
    const claims = { iss: u.issuer, aud: u.clientId, tid: u.tenantId, oid: benchUid(i), sub: `sub-${i}`, preferred_username: benchUsername(i), name: `User ${i}`, iat: u.nowSeconds, exp: u.nowSeconds + 3600, ver: '2.0' }
    return {
      clientId: u.clientId,
      environment: u.environment,
      realm: u.realm,
      scopes: ['User.Read'],
      nowSeconds: u.nowSeconds,
      response: {
        access_token: `at-${i}`,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'User.Read openid profile offline_access',
        refresh_token: `rt-${i}`,
        id_token: `${b64({ alg: 'none' })}.${b64(claims)}.`,
        client_info: b64({ uid: benchUid(i), utid: u.tenantId }),
      },
    }
  }

/** A cache with `n` signed-in users. */
export const benchCache = (u: BenchUsers, n: number): CacheState => {
  const signIn = benchSignIn(u)
  let s = emptyCache
  for (let i = 0; i < n; i++) s = addTokenResponse(signIn(i))(s)
  return s
}
