import { describe, expect, it } from 'vitest'
import { findAccessTokens } from './accessTokens.js'
import { getAccounts } from './accounts.js'
import { addTokenResponse, type TokenEvent } from './fold.js'
import { hamtValues } from './hamt.js'
import { findIdTokens } from './idTokens.js'
import { findRefreshTokens } from './refreshTokens.js'
import { removeAccount, removeAppTokens, signOut } from './remove.js'
import { emptyCache } from './state.js'

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const ENV = 'login.microsoftonline.com'

const user = (clientId: string, realm: string, extra: Partial<TokenEvent['response']> = {}): TokenEvent => ({
  clientId,
  environment: ENV,
  realm,
  scopes: ['User.Read'],
  nowSeconds: 100,
  response: {
    access_token: `at-${clientId}-${realm}`,
    refresh_token: `rt-${clientId}`,
    client_info: b64({ uid: 'u', utid: 't' }),
    id_token: `h.${b64({ sub: 's', oid: 'o', preferred_username: 'p@x' })}.s`,
    ...extra,
  },
})
const app = (clientId: string, realm: string, environment = ENV): TokenEvent => ({
  clientId,
  environment,
  realm,
  scopes: ['https://graph.microsoft.com/.default'],
  nowSeconds: 100,
  response: { access_token: `app-${clientId}-${realm}-${environment}` },
})

describe('removeAppTokens (remove_tokens_for_client)', () => {
  it('removes only the client\'s application tokens, narrowed by environment and realm', () => {
    let s = emptyCache
    for (const e of [app('d', 't1'), app('d', 't2'), app('d', 't1', 'login.windows.net'), app('other', 't1'), user('d', 't1')]) s = addTokenResponse(e)(s)
    const secrets = (x: typeof s) => Array.from(hamtValues(x.accessTokens.entries)).map((a) => a.secret).sort()
    expect(secrets(removeAppTokens({ clientId: 'D', realm: 't1', environments: [ENV] })(s))).toEqual(
      ['app-d-t1-login.windows.net', `app-d-t2-${ENV}`, `app-other-t1-${ENV}`, 'at-d-t1'],
    )
    expect(secrets(removeAppTokens({ clientId: 'd' })(s))).toEqual([`app-other-t1-${ENV}`, 'at-d-t1'])
    const none = removeAppTokens({ clientId: 'nobody' })(s)
    expect(none).toBe(s)
  })
})

describe('removeAccount (remove_account / _forget_me) and signOut (_sign_out)', () => {
  const s0 = [user('a', 'r1'), user('a', 'r2'), user('b', 'r1'), user('fam', 'r1', { foci: '1', refresh_token: 'frt' })].reduce(
    (s, e) => addTokenResponse(e)(s),
    emptyCache,
  )

  it('signOut removes the app\'s (and its family\'s) refresh tokens and every access token of the account', () => {
    const s = signOut({ clientId: 'fam', homeAccountId: 'u.t', environment: ENV })(s0)
    expect(findRefreshTokens({ homeAccountId: 'u.t', environments: [ENV] })(s).map((r) => r.secret).sort()).toEqual(['rt-a', 'rt-b'])
    expect(s.accessTokens.entries.size).toBe(0)
    expect(getAccounts()(s)).toHaveLength(2)
    const s2 = signOut({ clientId: 'a', homeAccountId: 'u.t', environment: ENV })(s0)
    expect(findRefreshTokens({ homeAccountId: 'u.t', environments: [ENV] })(s2).map((r) => r.secret).sort()).toEqual(['frt', 'rt-b'])
  })

  it('removeAccount also forgets the account and its id tokens, in every realm; other apps\' refresh tokens stay', () => {
    const s = removeAccount({ clientId: 'a', homeAccountId: 'u.t', environment: ENV })(s0)
    expect(getAccounts({ homeAccountId: 'u.t' })(s)).toEqual([])
    expect(findIdTokens({ homeAccountId: 'u.t', environments: [ENV] })(s)).toEqual([])
    expect(findAccessTokens({ clientId: 'b', environments: [ENV], realm: 'r1', homeAccountId: 'u.t', scopes: [] })(s)).toEqual([])
    expect(findRefreshTokens({ homeAccountId: 'u.t', environments: [ENV] })(s).map((r) => r.secret).sort()).toEqual(['frt', 'rt-b'])
    expect(removeAccount({ clientId: 'a', homeAccountId: 'u.t', environment: ENV })(s)).toBe(s)
  })
})
