/**
 * One redemption of a cached refresh token (the silent flow's): the new secret replaces the
 * redeemed one in place, and the account's other refresh tokens for the same app across the
 * authority's aliases go (another library filed them under its own key layout or alias).
 */
import * as TE from 'fp-ts/TaskEither'
import { describe, expect, it } from 'vitest'
import { deserialize, findRefreshTokens, serialize, type CacheState } from '@authfold/cache'
import { ApiId, RefreshReason, silentLogger, type GrantEnv, type HttpResponse } from '@authfold/core'
import { testAuthority } from '../grant.testkit.js'
import { redeemRefreshToken } from './refreshToken.js'

const HOME = 'uid-1.utid-1'
const rt = (env: string, client: string, secret: string, key: string) => [key, { credential_type: 'RefreshToken', home_account_id: HOME, environment: env, client_id: client, secret }] as const
const cacheOf = (entries: ReadonlyArray<readonly [string, Readonly<Record<string, string>>]>): CacheState => {
  const s = deserialize(JSON.stringify({ RefreshToken: Object.fromEntries(entries) }))
  if (s._tag === 'Left') throw new Error(s.left.message)
  return s.right
}
const envAnswering = (body: Readonly<Record<string, unknown>>): GrantEnv => ({
  http: () => TE.right<never, HttpResponse>({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  now: () => 1_700_000_000_000,
  random: (n) => new Uint8Array(n).fill(7),
  sleep: () => async () => undefined,
  log: silentLogger,
})

describe('redeemRefreshToken of a cached entry', () => {
  it('keeps one refresh token for the account and app: the renewed one; another app\u2019s and another account\u2019s stay', async () => {
    const mine = rt('login.microsoftonline.com', 'app-a', 'rt-old', `${HOME}-login.microsoftonline.com-refreshtoken-app-a--user.read`)
    const cache = cacheOf([
      mine,
      rt('login.windows.net', 'app-a', 'rt-msal-node', `${HOME}-login.windows.net-refreshtoken-app-a---`),
      rt('login.microsoftonline.com', 'app-b', 'rt-other-app', `${HOME}-login.microsoftonline.com-refreshtoken-app-b--`),
      [`other.utid-1-login.microsoftonline.com-refreshtoken-app-a--`, { credential_type: 'RefreshToken', home_account_id: 'other.utid-1', environment: 'login.microsoftonline.com', client_id: 'app-a', secret: 'rt-other-user' }],
    ])
    const [entry] = findRefreshTokens({ homeAccountId: HOME, environments: ['login.microsoftonline.com'], clientId: 'app-a' })(cache)
    if (entry === undefined) throw new Error('no entry')
    const authority = testAuthority(['login.microsoftonline.com', 'login.windows.net'])
    const out = await redeemRefreshToken({
      clientId: 'app-a',
      authority,
      refreshToken: entry.secret,
      scopes: ['User.Read', 'openid', 'profile', 'offline_access'],
      call: { apiId: ApiId.acquireTokenSilent, refreshReason: RefreshReason.atExpired },
      entry,
    })(cache)(envAnswering({ token_type: 'Bearer', access_token: 'at-new', expires_in: 3600, scope: 'User.Read', refresh_token: 'rt-new' }))()
    if (out._tag === 'Left') throw new Error(out.left.message)
    const rts = JSON.parse(serialize(out.right[1])).RefreshToken as Record<string, { readonly secret: string }>
    expect(Object.entries(rts).map(([k, v]) => [k, v.secret]).sort()).toEqual(
      [
        [`${HOME}-login.microsoftonline.com-refreshtoken-app-a--user.read`, 'rt-new'],
        [`${HOME}-login.microsoftonline.com-refreshtoken-app-b--`, 'rt-other-app'],
        [`other.utid-1-login.microsoftonline.com-refreshtoken-app-a--`, 'rt-other-user'],
      ].sort(),
    )
  })
})
