/**
 * The authorization code flow through both facades against the local IdP over real
 * HTTPS: the test is the user, reading the IdP's sign-in form and submitting it with a
 * real HTTP client, then handing the redirect's parameters to the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeJwt } from 'jose'
import { clientSecret, formPost, type AuthError, type HttpClient, type HttpResponse } from '@authfold/core'
import { serialize, type CacheStore } from '@authfold/cache'
import type { AuthCodeFlow } from '@authfold/grants'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, tokenPathTenant, tokenRoute, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient } from './confidentialClient.js'
import { createPublicClient } from './publicClient.js'
import type { AuthFailure } from './failure.js'

const PASSWORD = 'Tr0ub4dor&3-local'
const SECRET = 'web-app-secret-value'
const REDIRECT = 'http://localhost:8400/callback'

let idp: IdentityProvider
let http: HttpClient
/** When set, the IdP's token answers carry an id_token re-signed with these claims changed. */
let tamper: ((claims: Record<string, unknown>) => Record<string, unknown>) | undefined

beforeAll(async () => {
  idp = await startIdentityProvider()
  http = nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 })
  idp.registerClient({ clientId: 'desktop-app' })
  idp.registerClient({ clientId: 'web-app', secret: SECRET })
  idp.registerUser({ username: 'bob@authfold.test', password: PASSWORD, name: 'Bob' })
  idp.addRoute((request, ctx) => {
    const change = tamper
    if (change === undefined || tokenPathTenant(request.path) === undefined) return undefined
    return (async () => {
      const answer = await tokenRoute(request, ctx)
      if (answer === undefined) throw new Error('no token route')
      const body = (await answer).json as Record<string, unknown>
      if (typeof body['id_token'] !== 'string') return answer
      return { ...(await answer), json: { ...body, id_token: await ctx.signJwt(change(decodeJwt(body['id_token']))) } }
    })()
  })
})
afterAll(async () => idp.stop())

const must = async (t: ReturnType<HttpClient>): Promise<HttpResponse> => {
  const r = await t()
  if (r._tag === 'Left') throw new Error(`transport failed: ${r.left.message}`)
  return r.right
}
const hiddenInputs = (html: string): Record<string, string> =>
  Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1] ?? '', (m[2] ?? '').replace(/&amp;/g, '&')]))

/** The user: opens the auth URI, fills the form, submits; gives what the redirect URI receives. */
const userSignsIn = async (authUri: string, action: 'signin' | 'decline' = 'signin'): Promise<Record<string, string>> => {
  const page = await must(http({ method: 'GET', url: authUri, headers: {} }))
  const action_ = /<form method="POST" action="([^"]+)"/.exec(page.body)?.[1]
  const answer = await must(http(formPost(`${idp.url}${action_ ?? ''}`, { ...hiddenInputs(page.body), username: 'bob@authfold.test', password: PASSWORD, action }, {})))
  if (answer.status === 302) return Object.fromEntries(new URL(answer.headers['location'] ?? '').searchParams)
  expect(answer.body).toContain(`action="${REDIRECT}"`)
  return hiddenInputs(answer.body)
}

const publicApp = (over: Record<string, unknown> = {}) =>
  createPublicClient({ clientId: 'desktop-app', authority: idp.authority(), http, validateAuthority: false, ...over })
const webApp = (over: Record<string, unknown> = {}) =>
  createConfidentialClient({ clientId: 'web-app', authority: idp.authority(), credential: clientSecret(SECRET), http, validateAuthority: false, ...over })

const cacheOf = async (app: { readonly cacheStore: CacheStore }): Promise<string> => {
  const loaded = await app.cacheStore.load()()
  if (loaded._tag === 'Left') throw new Error(loaded.left.message)
  return serialize(loaded.right)
}
const failure = async (p: Promise<unknown>): Promise<AuthError> => {
  try {
    await p
  } catch (e) {
    return (e as AuthFailure).authError
  }
  throw new Error('expected a failure')
}

describe('auth code flow through the public client', () => {
  it('signs in (query): tokens, claims, account; the five MSAL sections cached; the PKCE verifier and anchor sent', async () => {
    const app = publicApp()
    const flow = await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: REDIRECT, loginHint: 'bob@authfold.test' })
    const stored = JSON.parse(JSON.stringify(flow)) as AuthCodeFlow // as a web session keeps it
    const authResponse = await userSignsIn(flow.auth_uri)
    idp.clearRequests()
    const result = await app.acquireTokenByAuthCodeFlow(stored, authResponse)
    expect(result).toMatchObject({ token_type: 'Bearer', token_source: 'identity_provider', scope: 'User.Read openid profile', account: { username: 'bob@authfold.test', environment: '127.0.0.1:' + String(idp.port) } })
    expect(typeof result.refresh_token).toBe('string')
    expect(result.id_token_claims).toMatchObject({ aud: 'desktop-app', preferred_username: 'bob@authfold.test' })
    expect(typeof result.id_token_claims?.['auth_time']).toBe('number')
    const [token] = idp.requests
    expect(token?.form).toMatchObject({ grant_type: 'authorization_code', client_id: 'desktop-app', client_info: '1', redirect_uri: REDIRECT, scope: 'User.Read offline_access openid profile', code: '<redacted>', code_verifier: '<redacted>' })
    const user = idp.registerUser({ username: 'bob@authfold.test', password: PASSWORD, name: 'Bob' })
    expect(token?.headers['x-anchormailbox']).toBe(`Oid:${user.objectId}@${idp.tenantId}`)
    const doc = JSON.parse(await cacheOf(app)) as Record<string, Record<string, unknown>>
    for (const section of ['AccessToken', 'RefreshToken', 'IdToken', 'Account', 'AppMetadata']) expect(Object.keys(doc[section] ?? {})).toHaveLength(1)
  })

  it('getAuthorizationRequestUrl + acquireTokenByAuthorizationCode (no PKCE, raw nonce)', async () => {
    const app = publicApp()
    const url = await app.getAuthorizationRequestUrl(['User.Read'], { state: 'st-legacy', redirectUri: REDIRECT, nonce: 'raw-nonce-1' })
    const authResponse = await userSignsIn(url)
    expect(authResponse['state']).toBe('st-legacy')
    const result = await app.acquireTokenByAuthorizationCode(authResponse['code'] ?? '', ['User.Read'], { redirectUri: REDIRECT, nonce: 'raw-nonce-1' })
    expect(result.id_token_claims?.['nonce']).toBe('raw-nonce-1')
  })

  it('a code used twice: ProtocolError invalid_grant (AADSTS54005)', async () => {
    const app = publicApp()
    const flow = await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: REDIRECT })
    const authResponse = await userSignsIn(flow.auth_uri)
    await app.acquireTokenByAuthCodeFlow(flow, authResponse)
    const again = await app.te.acquireTokenByAuthCodeFlow(flow, authResponse)()
    expect(again).toMatchObject({ _tag: 'Left', left: { _tag: 'ProtocolError', error: 'invalid_grant', errorCodes: [54005] } })
  })

  it('a wrong state, a declined sign-in, a redirect without code: typed errors and no token request', async () => {
    const app = publicApp()
    const flow = await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: REDIRECT })
    const authResponse = await userSignsIn(flow.auth_uri)
    idp.clearRequests()
    expect(await failure(app.acquireTokenByAuthCodeFlow(flow, { ...authResponse, state: 'another-tab' }))).toMatchObject({ _tag: 'ValidationError', code: 'state_mismatch' })
    const declined = await userSignsIn((await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: REDIRECT, state: 'st-d' })).auth_uri, 'decline')
    expect(declined).toMatchObject({ error: 'access_denied', state: 'st-d' })
    const flowD = { ...flow, state: 'st-d' }
    expect(await failure(app.acquireTokenByAuthCodeFlow(flowD, declined))).toMatchObject({ _tag: 'ProtocolError', error: 'access_denied', errorDescription: 'AADSTS65004: User declined to consent to access the app.' })
    expect(await failure(app.acquireTokenByAuthCodeFlow(flow, { state: flow.state, session_state: 'x' }))).toMatchObject({ _tag: 'ValidationError', code: 'code_missing' })
    expect(idp.requests.filter((r) => r.path.endsWith('/token'))).toHaveLength(0)
  })
})

describe('auth code flow through the confidential client', () => {
  it('signs in with form_post and the secret; then a nonce mismatch (a code got with another nonce) leaves the cache as it was', async () => {
    const app = webApp()
    const flow = await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: REDIRECT, responseMode: 'form_post', maxAge: 3600 })
    idp.clearRequests()
    const result = await app.acquireTokenByAuthCodeFlow(flow, await userSignsIn(flow.auth_uri))
    expect(result).toMatchObject({ token_source: 'identity_provider', account: { username: 'bob@authfold.test' } })
    expect(idp.requests.find((r) => r.path.endsWith('/token'))?.form).toMatchObject({ client_secret: '<redacted>', client_id: 'web-app' })
    const before = await cacheOf(app)
    // Code injection: the user is sent to this flow's auth URI with another nonce.
    const flow2 = await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: REDIRECT })
    const injected = flow2.auth_uri.replace(/nonce=[0-9a-f]{64}/, `nonce=${'0'.repeat(64)}`)
    expect(injected).not.toBe(flow2.auth_uri)
    expect(await failure(app.acquireTokenByAuthCodeFlow(flow2, await userSignsIn(injected)))).toMatchObject({ _tag: 'ValidationError', code: 'nonce_mismatch' })
    expect(await cacheOf(app)).toBe(before)
  })

  it('an id_token for another audience, and an expired one: typed errors, cache as it was', async () => {
    const app = webApp()
    const before = await cacheOf(app)
    for (const [change, code] of [
      [(c: Record<string, unknown>) => ({ ...c, aud: 'someone-else' }), 'audience_mismatch'],
      [(c: Record<string, unknown>) => ({ ...c, exp: Math.floor(Date.now() / 1000) - 3600 }), 'id_token_expired'],
    ] as const) {
      const flow = await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: REDIRECT })
      const authResponse = await userSignsIn(flow.auth_uri)
      tamper = change
      try {
        expect(await failure(app.acquireTokenByAuthCodeFlow(flow, authResponse))).toMatchObject({ _tag: 'ValidationError', code })
      } finally {
        tamper = undefined
      }
      expect(await cacheOf(app)).toBe(before)
    }
  })

  it('the call takes an AbortSignal: an aborted call sends nothing', async () => {
    const app = webApp()
    const flow = await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: REDIRECT })
    const authResponse = await userSignsIn(flow.auth_uri)
    idp.clearRequests()
    const controller = new AbortController()
    controller.abort()
    expect(await failure(app.acquireTokenByAuthCodeFlow(flow, authResponse, { signal: controller.signal }))).toMatchObject({ _tag: 'HttpError', code: 'aborted' })
    expect(idp.requests).toHaveLength(0)
  })
})
