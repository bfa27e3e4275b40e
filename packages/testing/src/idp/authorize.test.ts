import { createHash } from 'node:crypto'
import { formPost, type HttpClient, type HttpResponse } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIdentityProvider, type IdentityProvider } from './server.js'

const PASSWORD = 'correct horse battery staple'
const REDIRECT = 'http://localhost:3000/callback'
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'

let idp: IdentityProvider
let http: HttpClient
let clock = Date.UTC(2030, 0, 1, 12, 0, 0)

const must = async (t: ReturnType<HttpClient>): Promise<HttpResponse> => {
  const r = await t()
  if (r._tag === 'Left') throw new Error(`transport failed: ${r.left.message}`)
  return r.right
}
const authorizeUrl = (over: Record<string, string | undefined> = {}): string => {
  const q = new URLSearchParams()
  const params: Record<string, string | undefined> = {
    client_id: 'web-app',
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'User.Read offline_access openid profile',
    state: 'st-1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    nonce: 'hashed-nonce',
    client_info: '1',
    ...over,
  }
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v)
  return `${idp.url}/${idp.tenantId}/oauth2/v2.0/authorize?${q.toString()}`
}
/** The hidden inputs of an HTML page (the sign-in form's request id, a form_post's fields). */
const hiddenInputs = (html: string): Record<string, string> =>
  Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1] ?? '', (m[2] ?? '').replace(/&amp;/g, '&')]))
const formAction = (html: string): string => /<form method="POST"(?: name="hiddenform")? action="([^"]+)"/.exec(html)?.[1] ?? ''

/** Opens the authorize URL and submits the sign-in form; gives the IdP's final answer. */
const signIn = async (url: string, username: string, password: string, action = 'signin'): Promise<HttpResponse> => {
  const page = await must(http({ method: 'GET', url, headers: {} }))
  expect(page.status).toBe(200)
  expect(page.headers['content-type']).toContain('text/html')
  const fields = { ...hiddenInputs(page.body), username, password, action }
  return must(http(formPost(`${idp.url}${formAction(page.body)}`, fields, {})))
}
const redirectParams = (answer: HttpResponse): Record<string, string> => {
  expect(answer.status).toBe(302)
  const location = new URL(answer.headers['location'] ?? '')
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT)
  return Object.fromEntries(location.searchParams)
}
const redeem = async (fields: Record<string, string | undefined>): Promise<{ status: number; body: Record<string, unknown> }> => {
  const r = await must(http(formPost(idp.tokenEndpoint(), { grant_type: 'authorization_code', client_id: 'web-app', redirect_uri: REDIRECT, code_verifier: VERIFIER, scope: 'User.Read offline_access openid profile', client_info: '1', ...fields }, {})))
  return { status: r.status, body: JSON.parse(r.body) as Record<string, unknown> }
}
const codeFor = async (over: Record<string, string | undefined> = {}): Promise<string> => redirectParams(await signIn(authorizeUrl(over), 'alice@authfold.test', PASSWORD))['code'] ?? ''

beforeAll(async () => {
  idp = await startIdentityProvider({ now: () => clock })
  http = nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 })
  idp.registerClient({ clientId: 'web-app' })
  idp.registerClient({ clientId: 'other-app' })
  idp.registerUser({ username: 'alice@authfold.test', password: PASSWORD, name: 'Alice Liddell' })
})
afterAll(async () => {
  await idp.stop()
})

describe('the authorize endpoint and sign-in page', () => {
  it('shows a sign-in form (username pre-filled from login_hint), and a sign-in redirects with code, client_info, state', async () => {
    const page = await must(http({ method: 'GET', url: authorizeUrl({ login_hint: 'alice@authfold.test' }), headers: {} }))
    expect(page.body).toContain('<input type="email" name="username" id="username" autocomplete="username" value="alice@authfold.test">')
    expect(page.body).toContain('<input type="password" name="password"')
    const params = redirectParams(await signIn(authorizeUrl(), 'Alice@authfold.test', PASSWORD))
    expect(Object.keys(params)).toEqual(['code', 'client_info', 'state', 'session_state'])
    expect(params['state']).toBe('st-1')
    const user = idp.registerUser({ username: 'alice@authfold.test', password: PASSWORD, name: 'Alice Liddell' })
    expect(JSON.parse(Buffer.from(params['client_info'] ?? '', 'base64url').toString())).toEqual({ uid: user.objectId, utid: idp.tenantId })
  })

  it('form_post: an auto-submitting form posting code and state to the redirect URI', async () => {
    const answer = await signIn(authorizeUrl({ response_mode: 'form_post' }), 'alice@authfold.test', PASSWORD)
    expect(answer.status).toBe(200)
    expect(formAction(answer.body)).toBe(REDIRECT)
    expect(answer.body).toContain('<script>document.forms[0].submit()</script>')
    expect(Object.keys(hiddenInputs(answer.body))).toEqual(['code', 'client_info', 'state', 'session_state'])
  })

  it('a wrong password shows the form again with an error; declining answers access_denied with the state', async () => {
    const again = await signIn(authorizeUrl(), 'alice@authfold.test', 'wrong')
    expect(again.status).toBe(200)
    expect(again.body).toContain('Your account or password is incorrect.')
    expect(again.body).not.toContain('wrong')
    const declined = redirectParams(await signIn(authorizeUrl(), '', '', 'decline'))
    expect(declined).toEqual({ error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.', state: 'st-1' })
  })

  it('errors for the redirect URI go there (prompt=none, a bad response_type, PKCE plain); an unknown client or no redirect_uri get an error page', async () => {
    const get = (url: string) => must(http({ method: 'GET', url, headers: {} }))
    expect(redirectParams(await get(authorizeUrl({ prompt: 'none' })))).toMatchObject({ error: 'login_required', state: 'st-1' })
    expect(redirectParams(await get(authorizeUrl({ response_type: 'token' })))).toMatchObject({ error: 'unsupported_response_type' })
    expect(redirectParams(await get(authorizeUrl({ code_challenge_method: 'plain' })))).toMatchObject({ error: 'invalid_request' })
    const unknown = await get(authorizeUrl({ client_id: 'nobody' }))
    expect(unknown.status).toBe(400)
    expect(unknown.body).toContain('AADSTS700016')
    expect((await get(authorizeUrl({ redirect_uri: undefined }))).body).toContain('AADSTS50011')
  })
})

describe('the authorization_code grant', () => {
  it('redeems a code once: id_token with the nonce as sent and auth_time; the second time AADSTS54005', async () => {
    const signedInAt = Math.floor(clock / 1000)
    const code = await codeFor()
    clock += 5_000
    const { status, body } = await redeem({ code })
    expect(status).toBe(200)
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'User.Read openid profile' })
    expect(typeof body['refresh_token']).toBe('string')
    const idToken = await jwtVerify(String(body['id_token']), createLocalJWKSet(idp.signingKeys), { currentDate: new Date(clock) })
    expect(idToken.payload).toMatchObject({ aud: 'web-app', nonce: 'hashed-nonce', auth_time: signedInAt, iss: idp.issuer(), preferred_username: 'alice@authfold.test' })
    const twice = await redeem({ code })
    expect(twice).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [54005] } })
  })

  it('binds the code to the PKCE challenge, the client and the redirect URI (and spends it on a failed try)', async () => {
    const wrongVerifier = await redeem({ code: await codeFor(), code_verifier: 'x'.repeat(43) })
    expect(wrongVerifier).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [501481] } })
    expect(createHash('sha256').update(VERIFIER).digest('base64url')).toBe(CHALLENGE)
    expect(await redeem({ code: await codeFor(), code_verifier: undefined })).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    expect(await redeem({ code: await codeFor(), client_id: 'other-app' })).toMatchObject({ status: 400, body: { error_codes: [70000] } })
    const code = await codeFor()
    expect(await redeem({ code, redirect_uri: 'http://localhost:3000/other' })).toMatchObject({ status: 400, body: { error_codes: [500112] } })
    expect(await redeem({ code })).toMatchObject({ status: 400, body: { error_codes: [54005] } })
  })

  it('a code expires after ten minutes (AADSTS70008); an unknown code too', async () => {
    const code = await codeFor()
    clock += 10 * 60 * 1000 + 1
    expect(await redeem({ code })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [70008] } })
    expect(await redeem({ code: 'not-a-code' })).toMatchObject({ status: 400, body: { error_codes: [70008] } })
  })

  it('the request log redacts the password and the code', () => {
    const posts = idp.requests.filter((r) => r.path.endsWith('/login'))
    expect(posts.length).toBeGreaterThan(0)
    expect(posts.every((r) => r.form['password'] === undefined || r.form['password'] === '<redacted>' || r.form['password'] === '')).toBe(true)
    expect(JSON.stringify(idp.requests)).not.toContain(PASSWORD)
  })
})
