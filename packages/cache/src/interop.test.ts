/**
 * Interop with the real SDKs: caches written by MSAL Python (Debian's python3-msal) and
 * msal-node load here and answer lookups; caches written here load in both and answer
 * their lookups. Skipped when the SDK is not installed.
 */
import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import * as E from 'fp-ts/Either'
import { findAccessTokens } from './accessTokens.js'
import { getAccounts } from './accounts.js'
import { deserialize } from './deserialize.js'
import { addTokenResponse } from './fold.js'
import { findRefreshTokens } from './refreshTokens.js'
import { serialize } from './serialize.js'
import { emptyCache, type CacheState } from './state.js'

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const idToken = `h.${b64({ iss: 'https://login.microsoftonline.com/contoso/v2.0', sub: 'sub1', aud: 'my_client_id', oid: 'oid1', preferred_username: 'john@contoso.com', tid: 'utid', exp: 4_000_000_000, iat: 1_000_000_000 })}.s`
const clientInfo = b64({ uid: 'uid', utid: 'utid' })

const run = (exe: string, script: string, input = ''): string =>
  execFileSync(exe, ['-c', script], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })

/** The first Python that has msal (a pyenv `python3` may shadow Debian's). */
const pythonWithMsal = ['python3', '/usr/bin/python3'].find((exe) => {
  try {
    run(exe, 'import msal')
    return true
  } catch {
    return false
  }
})
const hasPythonMsal = pythonWithMsal !== undefined
const python = (script: string, input = ''): string => run(pythonWithMsal ?? 'python3', script, input)

const read = (json: string): CacheState => {
  const r = deserialize(json)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const ours = (): CacheState =>
  [
    {
      clientId: 'my_client_id',
      environment: 'login.microsoftonline.com',
      realm: 'contoso',
      scopes: ['User.Read', 'openid', 'profile'],
      nowSeconds: Math.floor(Date.now() / 1000),
      grantType: 'authorization_code',
      response: { access_token: 'user-at', expires_in: 3600, refresh_token: 'user-rt', id_token: idToken, client_info: clientInfo, token_type: 'Bearer' },
    },
    {
      clientId: 'my_client_id',
      environment: 'login.microsoftonline.com',
      realm: 'contoso',
      scopes: ['https://graph.microsoft.com/.default'],
      nowSeconds: Math.floor(Date.now() / 1000),
      response: { access_token: 'app-at', expires_in: 3600, token_type: 'Bearer' },
    },
  ].reduce((s, e) => addTokenResponse(e)(s), emptyCache)

describe('MSAL Python interop', () => {
  it('has MSAL Python to talk to (apt-get install -y python3-msal; .ci/run does this)', () => {
    expect(hasPythonMsal).toBe(true)
  })

  it('reads what MSAL Python TokenCache.add writes', () => {
    const json = python(`
import json, time, msal
c = msal.SerializableTokenCache()
now = int(time.time())
c.add({"client_id": "my_client_id", "scope": ["User.Read", "openid"], "token_endpoint": "https://login.microsoftonline.com/contoso/oauth2/v2.0/token",
       "response": {"access_token": "py-at", "expires_in": 3600, "token_type": "Bearer", "refresh_token": "py-rt", "client_info": ${JSON.stringify(clientInfo)}, "id_token": ${JSON.stringify(idToken)}},
       "grant_type": "authorization_code"}, now=now)
c.add({"client_id": "my_client_id", "scope": ["https://graph.microsoft.com/.default"], "token_endpoint": "https://login.microsoftonline.com/contoso/oauth2/v2.0/token",
       "response": {"access_token": "py-app", "expires_in": 3600, "token_type": "Bearer"}}, now=now)
print(c.serialize())
`)
    const s = read(json)
    const base = { clientId: 'my_client_id', environments: ['login.microsoftonline.com'], realm: 'contoso' }
    expect(findAccessTokens({ ...base, homeAccountId: 'uid.utid', scopes: ['user.read'] })(s).map((a) => a.secret)).toEqual(['py-at'])
    expect(findAccessTokens({ ...base, homeAccountId: '', scopes: ['https://graph.microsoft.com/.default'] })(s).map((a) => a.secret)).toEqual(['py-app'])
    expect(findRefreshTokens({ homeAccountId: 'uid.utid', environments: ['login.microsoftonline.com'], clientId: 'my_client_id' })(s).map((r) => r.secret)).toEqual(['py-rt'])
    expect(getAccounts({ username: 'JOHN@contoso.com' })(s).map((a) => a.local_account_id)).toEqual(['oid1'])
    // And a load-save cycle keeps every entry MSAL Python wrote, field for field.
    expect(JSON.parse(serialize(s))).toMatchObject(JSON.parse(json) as object)
  })

  it('MSAL Python reads what authfold writes and finds the tokens', () => {
    const out = python(
      `
import sys, json, msal
c = msal.SerializableTokenCache()
c.deserialize(sys.stdin.read())
AT, RT, ACC = c.CredentialType.ACCESS_TOKEN, c.CredentialType.REFRESH_TOKEN, c.CredentialType.ACCOUNT
f = getattr(c, "search", None) or c.find
res = {
  "user": [e["secret"] for e in f(AT, target=["User.Read"], query={"client_id": "my_client_id", "environment": "login.microsoftonline.com", "realm": "contoso", "home_account_id": "uid.utid"})],
  "app": [e["secret"] for e in f(AT, target=["https://graph.microsoft.com/.default"], query={"client_id": "my_client_id", "environment": "login.microsoftonline.com", "realm": "contoso", "home_account_id": None})],
  "rt": [e["secret"] for e in f(RT, query={"client_id": "my_client_id", "environment": "login.microsoftonline.com", "home_account_id": "uid.utid"})],
  "acc": [e["username"] for e in f(ACC, query={"environment": "login.microsoftonline.com"})],
}
print(json.dumps(res))
`,
      serialize(ours()),
    )
    expect(JSON.parse(out)).toEqual({ user: ['user-at'], app: ['app-at'], rt: ['user-rt'], acc: ['john@contoso.com'] })
  })
})

describe('msal-node interop', () => {
  it('msal-node loads authfold\'s cache (accounts visible) and authfold loads msal-node\'s', async () => {
    const { PublicClientApplication } = await import('@azure/msal-node')
    const pca = new PublicClientApplication({ auth: { clientId: 'my_client_id', authority: 'https://login.microsoftonline.com/contoso' } })
    const cache = pca.getTokenCache()
    cache.deserialize(serialize(ours()))
    const accounts = await cache.getAllAccounts()
    expect(accounts.map((a) => [a.homeAccountId, a.username])).toEqual([['uid.utid', 'john@contoso.com']])
    const back = read(cache.serialize())
    expect(findAccessTokens({ clientId: 'my_client_id', environments: ['login.microsoftonline.com'], realm: 'contoso', homeAccountId: 'uid.utid', scopes: ['openid'] })(back).map((a) => a.secret)).toEqual(['user-at'])
    expect(findRefreshTokens({ homeAccountId: 'uid.utid', environments: ['login.microsoftonline.com'], clientId: 'my_client_id' })(back)).toHaveLength(1)
  })
})
