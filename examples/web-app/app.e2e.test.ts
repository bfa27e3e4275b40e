/**
 * End to end: headless Chromium signs a user in to the Koa web app through the local IdP's
 * sign-in page (the form filled in and submitted as a user would), the app completes the
 * flow through the confidential facade and calls its protected API with the token. With
 * `query` over HTTP, and with `form_post` over HTTPS (`https://localhost`, a certificate
 * from the IdP's CA: another site than the IdP's `https://127.0.0.1`), where the session
 * cookie is `SameSite=None; Secure`; `form_post` over HTTP shows why: the cross-site POST
 * comes without the `SameSite=Lax` cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser } from 'playwright-core'
import { clientSecret } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { issueCertificate, startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { startWebApp, type WebApp } from './app.js'

const SECRET = 'web-app-secret-e2e'
const PASSWORD = 'carol-pa55word-local'

let idp: IdentityProvider
let browser: Browser
const apps: WebApp[] = []

const appWith = async (responseMode: 'query' | 'form_post', overHttps = false): Promise<WebApp> => {
  const tls = overHttps ? await issueCertificate(idp.certificateAuthority, { commonName: 'localhost', altNames: ['localhost'] }) : undefined
  const app = await startWebApp({
    client: { clientId: 'koa-web-app', authority: idp.authority(), credential: clientSecret(SECRET), http: nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 }), validateAuthority: false },
    api: { jwks: idp.signingKeys, issuer: idp.issuer(), audience: 'api://web-api', scope: 'Things.Read' },
    responseMode,
    ...(tls === undefined ? {} : { tls: { key: tls.privateKeyPem, cert: tls.certificatePem, ca: idp.ca } }),
  })
  apps.push(app)
  return app
}

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'koa-web-app', secret: SECRET })
  idp.registerUser({ username: 'carol@authfold.test', password: PASSWORD, name: 'Carol' })
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}, 60_000)
afterAll(async () => {
  await browser?.close()
  for (const app of apps) await app.stop()
  await idp?.stop()
})

describe('examples/web-app in headless Chromium', () => {
  it('signs in through the IdP page, then calls the protected API with the token', async () => {
    const app = await appWith('query')
    const context = await browser.newContext({ ignoreHTTPSErrors: true })
    try {
      const tab = await context.newPage()
      tab.setDefaultTimeout(15_000)
      await tab.goto(app.url)
      expect(await tab.textContent('#status')).toBe('Not signed in.')
      await tab.click('#login')
      await tab.waitForURL((u) => u.toString().startsWith(idp.url))
      await tab.fill('#username', 'carol@authfold.test')
      await tab.fill('#password', 'wrong-password')
      await tab.click('#signin')
      expect(await tab.textContent('#error')).toBe('Your account or password is incorrect.')
      await tab.fill('#password', PASSWORD)
      await tab.click('#signin')
      await tab.waitForURL(`${app.url}/`)
      expect(await tab.textContent('#status')).toBe('Signed in as carol@authfold.test (Carol)')
      await tab.click('#profile')
      expect(JSON.parse((await tab.textContent('#me')) ?? '')).toEqual({ name: 'Carol', username: 'carol@authfold.test', scp: 'Things.Read' })
      const tokenRequest = idp.requests.filter((r) => r.path.endsWith('/token')).at(-1)
      expect(tokenRequest?.form).toMatchObject({ grant_type: 'authorization_code', client_id: 'koa-web-app', client_secret: '<redacted>', code_verifier: '<redacted>' })
    } finally {
      await context.close()
    }
  }, 60_000)

  it('declining on the sign-in page shows the typed error; the protected API refuses a call without a token', async () => {
    const app = await appWith('query')
    const context = await browser.newContext({ ignoreHTTPSErrors: true })
    try {
      const tab = await context.newPage()
      tab.setDefaultTimeout(15_000)
      await tab.goto(`${app.url}/login`)
      await tab.click('#decline')
      await tab.waitForURL((u) => u.toString().startsWith(`${app.url}/callback`))
      expect(await tab.textContent('#error')).toContain('ProtocolError: The identity provider refused the request: access_denied')
      const api = await context.request.get(`${app.url}/api/me`)
      expect(api.status()).toBe(401)
      expect(api.headers()['www-authenticate']).toBe('Bearer')
      const forged = await context.request.get(`${app.url}/api/me`, { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzY3AiOiJUaGluZ3MuUmVhZCJ9.' } })
      expect(forged.status()).toBe(401)
    } finally {
      await context.close()
    }
  }, 60_000)

  it('form_post across sites: the POST comes without the SameSite=Lax session cookie, and the app gets a typed error, not a sign-in', async () => {
    const app = await appWith('form_post')
    const context = await browser.newContext({ ignoreHTTPSErrors: true })
    try {
      const tab = await context.newPage()
      tab.setDefaultTimeout(15_000)
      await tab.goto(`${app.url}/login`)
      await tab.fill('#username', 'carol@authfold.test')
      await tab.fill('#password', PASSWORD)
      await tab.click('#signin')
      await tab.waitForURL(`${app.url}/callback`)
      expect(await tab.textContent('#error')).toContain('ConfigError: The flow is not one initiateAuthCodeFlow made')
    } finally {
      await context.close()
    }
  }, 60_000)

  it('form_post over HTTPS: the SameSite=None; Secure session cookie comes with the cross-site POST, the user is signed in and the API called', async () => {
    const app = await appWith('form_post', true)
    expect(app.url).toMatch(/^https:\/\/localhost:\d+$/)
    const context = await browser.newContext({ ignoreHTTPSErrors: true })
    try {
      const tab = await context.newPage()
      tab.setDefaultTimeout(15_000)
      const seen: Array<Promise<{ readonly cookie: string | undefined; readonly body: string }>> = []
      tab.on('request', (r) => {
        if (r.method() === 'POST' && r.url() === `${app.url}/callback`) seen.push(r.allHeaders().then((h) => ({ cookie: h['cookie'], body: r.postData() ?? '' })))
      })
      await tab.goto(app.url)
      const [cookie] = await context.cookies(app.url)
      expect(cookie).toMatchObject({ name: 'sid', sameSite: 'None', secure: true, httpOnly: true })
      await tab.click('#login')
      await tab.waitForURL((u) => u.toString().startsWith(idp.url))
      await tab.fill('#username', 'carol@authfold.test')
      await tab.fill('#password', PASSWORD)
      await tab.click('#signin')
      await tab.waitForURL(`${app.url}/`)
      expect(await tab.textContent('#status')).toBe('Signed in as carol@authfold.test (Carol)')
      // the code came as a form POST from the IdP's page (another site), with the session cookie
      const posts = await Promise.all(seen)
      expect(posts).toHaveLength(1)
      expect(posts[0]?.cookie).toMatch(/(^|; )sid=/)
      expect(new URLSearchParams(posts[0]?.body).get('code')).toMatch(/^1\.A/)
      const authorize = idp.requests.filter((r) => r.path.endsWith('/authorize')).at(-1)
      expect(authorize?.query).toMatchObject({ response_mode: 'form_post', redirect_uri: `${app.url}/callback` })
      await tab.click('#profile')
      expect(JSON.parse((await tab.textContent('#me')) ?? '')).toEqual({ name: 'Carol', username: 'carol@authfold.test', scp: 'Things.Read' })
    } finally {
      await context.close()
    }
  }, 60_000)
})
