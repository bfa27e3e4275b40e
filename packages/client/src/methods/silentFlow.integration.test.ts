/**
 * The silent flow, the refresh token grant and the account methods on both facades,
 * against the local IdP over real HTTPS: two tenants, a guest user, family apps and a
 * non-family app, revoked refresh tokens and answers carrying refresh_in. Expected values
 * are MSAL Python 1.21's (application.py's silent flow, token_cache.py's writes).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { clientSecret, type HttpClient } from '@authfold/core'
import { memoryStore, serialize, type CacheState, type CacheStore } from '@authfold/cache'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider, type RecordedRequest } from '@authfold/testing'
import { createConfidentialClient } from '../confidentialClient.js'
import { createPublicClient, type PublicClient } from '../publicClient.js'
import type { AuthFailure } from '../failure.js'

const PASSWORD = 'correct horse battery staple'
const FABRIKAM = '0b7c2d4e-1f3a-4b5c-8d9e-0a1b2c3d4e5f'
const START = Math.floor(Date.now() / 1000) * 1000
const SCOPES = ['User.Read']

let idp: IdentityProvider
let http: HttpClient
let clock = START

beforeAll(async () => {
  idp = await startIdentityProvider({ now: () => clock })
  http = nodeHttpClient({ ca: idp.ca, timeoutMs: 10_000 })
  idp.addTenant({ tenantId: FABRIKAM, tenantDomain: 'fabrikam.test' })
  idp.registerClient({ clientId: 'family-a', foci: true })
  idp.registerClient({ clientId: 'family-b', foci: true })
  idp.registerClient({ clientId: 'solo' })
  idp.registerClient({ clientId: 'long-lived', accessTokenLifetimeSeconds: 86_399 })
  idp.registerClient({ clientId: 'web-app', secret: 'web-app-secret' })
  for (const u of ['alice', 'bob', 'carol', 'dave', 'erin']) idp.registerUser({ username: `${u}@authfold.test`, password: PASSWORD })
  idp.inviteGuest('alice@authfold.test', FABRIKAM)
})
afterAll(async () => {
  await idp.stop()
})
beforeEach(() => {
  clock = START
})

const publicApp = (clientId: string, store: CacheStore, tenant?: string): PublicClient =>
  createPublicClient({ clientId, authority: idp.authority(tenant), validateAuthority: false, http, now: () => clock, cacheStore: store })

const failure = async (p: Promise<unknown>): Promise<AuthFailure> => {
  try {
    await p
  } catch (e: unknown) {
    return e as AuthFailure
  }
  throw new Error('expected a failure')
}

const tokenPosts = (): ReadonlyArray<RecordedRequest> => idp.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token'))
const sections = async (store: CacheStore): Promise<Record<string, Record<string, Record<string, unknown>>>> => {
  const s = await store.load()()
  if (s._tag === 'Left') throw new Error('load failed')
  return JSON.parse(serialize(s.right)) as Record<string, Record<string, Record<string, unknown>>>
}
const entries = async (store: CacheStore, section: string): Promise<ReadonlyArray<Record<string, unknown>>> => Object.values((await sections(store))[section] ?? {})
const snapshot = async (store: CacheStore): Promise<CacheState> => {
  const s = await store.load()()
  if (s._tag === 'Left') throw new Error('load failed')
  return s.right
}

/** Signs a user in with the password grant; the cache then holds what MSAL Python's would. */
const signIn = async (app: PublicClient, user: string) => {
  const r = await app.acquireTokenByUsernamePassword(`${user}@authfold.test`, PASSWORD, SCOPES)
  const [account] = await app.getAccounts(`${user}@authfold.test`)
  if (account === undefined) throw new Error('no account after sign-in')
  return { result: r, account }
}

describe('getAccounts and the cache hit', () => {
  it('lists the account as MSAL Python does and answers from the cache with no request', async () => {
    const store = memoryStore()
    const app = publicApp('solo', store)
    const { result, account } = await signIn(app, 'alice')
    const uid = String(result.id_token_claims?.['oid'])
    expect(account).toEqual({
      home_account_id: `${uid}.${idp.tenantId}`,
      environment: idp.host,
      username: 'alice@authfold.test',
      authority_type: 'MSSTS',
      local_account_id: uid,
      realm: idp.tenantId,
    })
    expect(await app.getAccounts('ALICE@AUTHFOLD.TEST')).toEqual([account])
    expect(await app.getAccounts('nobody@authfold.test')).toEqual([])
    idp.clearRequests()
    clock += 3599_000 - 301_000 // 301 s left (tokens live 3599 s): still good
    const hit = await app.acquireTokenSilent(SCOPES, account)
    expect(hit).toMatchObject({ access_token: result.access_token, token_source: 'cache', token_type: 'Bearer' })
    expect(hit?.expires_in).toBeGreaterThanOrEqual(300)
    expect(tokenPosts()).toHaveLength(0)
  })
})

describe('acquireTokenSilent refreshes as MSAL Python 1.21 does', () => {
  it('an access token with under five minutes left is refreshed with the app\u2019s refresh token: the form, the anchor, the telemetry reason 3', async () => {
    const store = memoryStore()
    const app = publicApp('solo', store)
    const { result, account } = await signIn(app, 'bob')
    const [rtBefore] = await entries(store, 'RefreshToken')
    const rtKeysBefore = Object.keys((await sections(store))['RefreshToken'] ?? {})
    clock += 3599_000 - 299_000 // 299 s left: expired for MSAL
    idp.clearRequests()
    const r = await app.acquireTokenSilent(SCOPES, account)
    expect(r?.token_source).toBe('identity_provider')
    expect(r?.access_token).not.toBe(result.access_token)
    const [post] = tokenPosts()
    expect(tokenPosts()).toHaveLength(1)
    expect(post?.form).toEqual({
      client_id: 'solo',
      grant_type: 'refresh_token',
      client_info: '1',
      refresh_token: '<redacted>',
      scope: 'User.Read offline_access openid profile',
    })
    expect(post?.headers['x-anchormailbox']).toBe(`Oid:${account.home_account_id.replace('.', '@')}`)
    expect(post?.headers['x-client-current-telemetry']).toMatch(/^4\|84,3\|/)
    // update_rt: the same key, a new secret; one AT for the scope; still one Account
    expect(Object.keys((await sections(store))['RefreshToken'] ?? {})).toEqual(rtKeysBefore)
    const [rtAfter] = await entries(store, 'RefreshToken')
    expect(rtAfter?.['secret']).not.toBe(rtBefore?.['secret'])
    expect(await entries(store, 'AccessToken')).toHaveLength(1)
    expect(await entries(store, 'Account')).toHaveLength(1)
    // the next call is a cache hit
    idp.clearRequests()
    expect((await app.acquireTokenSilent(SCOPES, account))?.token_source).toBe('cache')
    expect(tokenPosts()).toHaveLength(0)
  })

  it('forceRefresh sends reason 1; a claims challenge skips the cached token and is sent as claims', async () => {
    const store = memoryStore()
    const app = publicApp('solo', store)
    const { account } = await signIn(app, 'bob')
    idp.clearRequests()
    expect((await app.acquireTokenSilent(SCOPES, account, { forceRefresh: true }))?.token_source).toBe('identity_provider')
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}'
    expect((await app.acquireTokenSilent(SCOPES, account, { claimsChallenge: claims }))?.token_source).toBe('identity_provider')
    const [forced, challenged] = tokenPosts()
    expect(forced?.headers['x-client-current-telemetry']).toMatch(/^4\|84,1\|/)
    expect(challenged?.headers['x-client-current-telemetry']).toMatch(/^4\|84,1\|/)
    expect(JSON.parse(String(challenged?.form['claims']))).toEqual(JSON.parse(claims))
  })

  it('refresh_in: past refresh_on the token is refreshed (reason 4); when that refresh fails the cached token is returned and the cache stays as it was', async () => {
    const store = memoryStore()
    const app = publicApp('long-lived', store)
    const { result, account } = await signIn(app, 'carol')
    expect(result.refresh_on).toBe(Math.floor(START / 1000) + 43_199)
    const [at] = await entries(store, 'AccessToken')
    expect(at?.['refresh_on']).toBe(String(Math.floor(START / 1000) + 43_199))
    clock += 43_200_000 // past refresh_on, hours before expiry
    idp.inject({ status: 503 }, 3)
    const before = await snapshot(store)
    idp.clearRequests()
    const kept = await app.acquireTokenSilentWithError(SCOPES, account)
    expect(kept).toMatchObject({ access_token: result.access_token, token_source: 'cache' })
    expect(tokenPosts().length).toBeGreaterThan(0)
    expect(await snapshot(store)).toBe(before)
    idp.clearFaults()
    clock += 61_000 // the client-side throttle replays a 5xx for 60 s (MSAL's Retry-After default)
    idp.clearRequests()
    const refreshed = await app.acquireTokenSilent(SCOPES, account)
    expect(refreshed?.token_source).toBe('identity_provider')
    expect(refreshed?.access_token).not.toBe(result.access_token)
    expect(tokenPosts()[0]?.headers['x-client-current-telemetry']).toMatch(/^4\|84,4\|/)
  })

  it('a revoked refresh token: WithError rejects with invalid_grant, acquireTokenSilent resolves undefined, the refresh token stays', async () => {
    const store = memoryStore()
    const app = publicApp('solo', store)
    const { account } = await signIn(app, 'dave')
    idp.revokeRefreshTokens('dave@authfold.test')
    clock += 3600_000
    const before = await snapshot(store)
    const e = await failure(app.acquireTokenSilentWithError(SCOPES, account))
    expect(e.authError).toMatchObject({ _tag: 'ProtocolError', error: 'invalid_grant', errorCodes: [70000] })
    expect(await app.acquireTokenSilent(SCOPES, account)).toBeUndefined()
    expect(await snapshot(store)).toBe(before)
    expect(await entries(store, 'RefreshToken')).toHaveLength(1)
  })

  it('the server\u2019s suberror becomes classification, MSAL\u2019s suppressed ones empty', async () => {
    const store = memoryStore()
    const app = publicApp('solo', store)
    const { account } = await signIn(app, 'erin')
    const answer = (suberror: string): string =>
      JSON.stringify({ error: 'invalid_grant', error_description: 'AADSTS50076: MFA needed.', error_codes: [50076], suberror })
    idp.inject({ status: 400, body: answer('basic_action') })
    expect((await failure(app.acquireTokenSilentWithError(SCOPES, account, { forceRefresh: true }))).authError).toMatchObject({ suberror: 'basic_action', classification: 'basic_action' })
    clock += 61_000 // a 400 is replayed to the identical request for 60 s (MSAL's throttle)
    idp.inject({ status: 400, body: answer('bad_token') })
    expect((await failure(app.acquireTokenSilentWithError(SCOPES, account, { forceRefresh: true }))).authError).toMatchObject({ suberror: 'bad_token', classification: '' })
  })
})

describe('family apps (FOCI)', () => {
  it('a family app new to the cache is served with the family refresh token (the probe), and AppMetadata records its family', async () => {
    const store = memoryStore()
    const a = publicApp('family-a', store)
    const { account } = await signIn(a, 'alice')
    const b = publicApp('family-b', store)
    expect(await b.getAccounts()).toEqual([account])
    idp.clearRequests()
    const r = await b.acquireTokenSilent(SCOPES, account)
    expect(r?.token_source).toBe('identity_provider')
    expect(tokenPosts()).toHaveLength(1)
    expect(tokenPosts()[0]?.form).toMatchObject({ client_id: 'family-b', grant_type: 'refresh_token' })
    const metadata = await entries(store, 'AppMetadata')
    expect(metadata.map((m) => [m['client_id'], m['family_id']]).sort()).toEqual([
      ['family-a', '1'],
      ['family-b', '1'],
    ])
    // still the one family refresh token (updated in place, owned by family-a)
    const rts = await entries(store, 'RefreshToken')
    expect(rts).toHaveLength(1)
    expect(rts[0]).toMatchObject({ client_id: 'family-a', family_id: '1' })
  })

  it('a non-family app tries the family token once, stops at client_mismatch, and misses with the cache as it was', async () => {
    const store = memoryStore()
    const { account } = await signIn(publicApp('family-a', store), 'alice')
    const solo = publicApp('solo', store)
    const before = await snapshot(store)
    idp.clearRequests()
    expect(await solo.acquireTokenSilentWithError(SCOPES, account)).toBeUndefined()
    expect(await solo.acquireTokenSilent(SCOPES, account)).toBeUndefined()
    // one probe, refused with client_mismatch; the second call's identical probe is answered
    // by the client-side throttle (MSAL replays a 400 to the identical request for 60 s)
    expect(tokenPosts()).toHaveLength(1)
    expect(tokenPosts()[0]?.form).toMatchObject({ client_id: 'solo', grant_type: 'refresh_token' })
    expect(await snapshot(store)).toBe(before)
  })
})

describe('a guest tenant', () => {
  it('is served with the home refresh token: an access token and ID token for the guest realm, no second Account', async () => {
    const store = memoryStore()
    const home = publicApp('solo', store)
    const { account } = await signIn(home, 'alice')
    const guest = publicApp('solo', store, FABRIKAM)
    const [listed] = await guest.getAccounts()
    expect(listed).toEqual(account)
    idp.clearRequests()
    const r = await guest.acquireTokenSilent(SCOPES, account)
    expect(r?.token_source).toBe('identity_provider')
    expect(tokenPosts()[0]?.path).toBe(`/${FABRIKAM}/oauth2/v2.0/token`)
    expect(r?.id_token_claims).toMatchObject({ tid: FABRIKAM, iss: idp.issuer(FABRIKAM) })
    const ats = await entries(store, 'AccessToken')
    expect(ats.map((t) => t['realm']).sort()).toEqual([idp.tenantId, FABRIKAM].sort())
    expect((await entries(store, 'IdToken')).map((t) => t['realm']).sort()).toEqual([idp.tenantId, FABRIKAM].sort())
    expect(await entries(store, 'Account')).toHaveLength(1)
    expect(ats.every((t) => t['home_account_id'] === account.home_account_id)).toBe(true)
    idp.clearRequests()
    expect((await guest.acquireTokenSilent(SCOPES, account))?.token_source).toBe('cache')
    expect((await home.acquireTokenSilent(SCOPES, account))?.token_source).toBe('cache')
    expect(tokenPosts()).toHaveLength(0)
  })
})

describe('removeAccount, and accounts from elsewhere', () => {
  it('removes the account\u2019s access, refresh and ID tokens and the Account; AppMetadata stays', async () => {
    const store = memoryStore()
    const app = publicApp('solo', store)
    const { account } = await signIn(app, 'alice')
    await app.removeAccount(account)
    const s = await sections(store)
    for (const section of ['AccessToken', 'RefreshToken', 'IdToken', 'Account']) expect(Object.keys(s[section] ?? {})).toHaveLength(0)
    expect(Object.keys(s['AppMetadata'] ?? {})).toHaveLength(1)
    expect(await app.getAccounts()).toEqual([])
    expect(await app.acquireTokenSilent(SCOPES, account)).toBeUndefined()
    await app.removeAccount(account) // idempotent
  })

  it('an account another cache listed is a miss; an object that is not an account a ConfigError', async () => {
    const mine = publicApp('solo', memoryStore())
    await signIn(mine, 'alice')
    const other = publicApp('solo', memoryStore())
    const { account: foreign } = await signIn(other, 'bob')
    idp.clearRequests()
    expect(await mine.acquireTokenSilent(SCOPES, foreign)).toBeUndefined()
    expect(await mine.acquireTokenSilentWithError(SCOPES, foreign)).toBeUndefined()
    expect(tokenPosts()).toHaveLength(0)
    const bad = { username: 'bob' } as unknown as typeof foreign
    expect((await failure(mine.acquireTokenSilent(SCOPES, bad))).authError).toMatchObject({ _tag: 'ConfigError', field: 'account' })
    expect((await failure(mine.removeAccount(bad))).authError).toMatchObject({ _tag: 'ConfigError', field: 'account' })
  })
})

describe('the confidential client', () => {
  it('acquireTokenSilent(scopes, null) finds the app token acquireTokenForClient cached, as MSAL Python does', async () => {
    const app = createConfidentialClient({ clientId: 'web-app', credential: clientSecret('web-app-secret'), authority: idp.authority(), validateAuthority: false, http, now: () => clock })
    expect(await app.acquireTokenSilent(['https://graph.authfold.test/.default'], null)).toBeUndefined()
    const token = await app.acquireTokenForClient(['https://graph.authfold.test/.default'])
    idp.clearRequests()
    expect(await app.acquireTokenSilent(['https://graph.authfold.test/.default'], null)).toMatchObject({ access_token: token.access_token, token_source: 'cache' })
    expect(tokenPosts()).toHaveLength(0)
    // and it signs users in and refreshes them with its secret
    await app.acquireTokenByUsernamePassword('bob@authfold.test', PASSWORD, SCOPES)
    const [account] = await app.getAccounts('bob@authfold.test')
    idp.clearRequests()
    expect((await app.acquireTokenSilent(SCOPES, account ?? null, { forceRefresh: true }))?.token_source).toBe('identity_provider')
    expect(tokenPosts()[0]?.form['client_secret']).toBe('<redacted>')
  })
})

describe('acquireTokenByRefreshToken', () => {
  it('migrates a refresh token from elsewhere: the account and tokens are cached; a revoked one is invalid_grant with the cache as it was', async () => {
    const elsewhere = publicApp('solo', memoryStore())
    const { result: old } = await signIn(elsewhere, 'carol')
    const store = memoryStore()
    const app = publicApp('solo', store)
    idp.clearRequests()
    const r = await app.acquireTokenByRefreshToken(String(old.refresh_token), SCOPES)
    expect(r.token_source).toBe('identity_provider')
    expect(tokenPosts()[0]?.form).toEqual({ client_id: 'solo', grant_type: 'refresh_token', client_info: '1', refresh_token: '<redacted>', scope: 'User.Read offline_access openid profile' })
    expect(tokenPosts()[0]?.headers['x-client-current-telemetry']).toMatch(/^4\|85,1\|/)
    const [account] = await app.getAccounts()
    expect(account?.username).toBe('carol@authfold.test')
    expect((await entries(store, 'RefreshToken'))[0]?.['secret']).not.toBe(old.refresh_token)
    expect((await app.acquireTokenSilent(SCOPES, account ?? null))?.token_source).toBe('cache')

    idp.revokeRefreshTokens('carol@authfold.test')
    const fresh = memoryStore()
    const again = publicApp('solo', fresh)
    const before = await snapshot(fresh)
    const e = await failure(again.acquireTokenByRefreshToken(String(old.refresh_token), SCOPES))
    expect(e.authError).toMatchObject({ _tag: 'ProtocolError', error: 'invalid_grant' })
    expect(JSON.stringify(e.authError)).not.toContain(String(old.refresh_token))
    expect(await snapshot(fresh)).toBe(before)
    expect((await failure(again.acquireTokenByRefreshToken('', SCOPES))).authError).toMatchObject({ _tag: 'ConfigError', field: 'refreshToken' })
  })
})
