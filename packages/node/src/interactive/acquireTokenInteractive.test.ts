import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import { serialize } from '@authfold/cache'
import { createPublicClient, orThrow, publicContext, type AuthFailure, type ClientContext } from '@authfold/client'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { nodeHttpClient } from '../http/nodeHttpClient.js'
import { acquireTokenInteractive, loopbackListener } from './acquireTokenInteractive.js'

const PASSWORD = 'dora-pa55word-local'
let idp: IdentityProvider
let browser: Browser

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'desktop-app' })
  idp.registerUser({ username: 'dora@authfold.test', password: PASSWORD, name: 'Dora' })
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  })
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await idp?.stop()
})

const context = (authority = idp.authority()): ClientContext =>
  orThrow(publicContext({ clientId: 'desktop-app', authority, http: nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 }), validateAuthority: false }))

const cacheOf = async (ctx: ClientContext): Promise<string> => {
  const s = await ctx.store.load()()
  if (s._tag === 'Left') throw new Error(s.left.message)
  return serialize(s.right)
}

/** An opener that drives a real browser tab as the user: sign in, or decline. */
const userIn = (page: Page, action: 'sign in' | 'decline') => async (url: string): Promise<void> => {
  void (async () => {
    await page.goto(url)
    if (action === 'decline') return void (await page.click('#decline'))
    await page.fill('#username', 'dora@authfold.test')
    await page.fill('#password', PASSWORD)
    await page.click('#signin')
  })()
}

describe('acquireTokenInteractive in headless Chromium', () => {
  it('on the public facade (createPublicClient with redirectListener: loopbackListener): signs in, and the cache holds the user', async () => {
    const app = createPublicClient({
      clientId: 'desktop-app',
      authority: idp.authority(),
      http: nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 }),
      validateAuthority: false,
      redirectListener: loopbackListener,
    })
    const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage()
    const result = await app.acquireTokenInteractive(['User.Read'], { opener: userIn(page, 'sign in'), timeoutMs: 30_000 })
    expect(result).toMatchObject({ token_source: 'identity_provider', account: { username: 'dora@authfold.test' } })
    expect(await app.serializeCache()).toContain('dora@authfold.test')
  }, 60_000)

  it('a public client without a redirect listener answers a ConfigError that names loopbackListener, and opens nothing', async () => {
    const app = createPublicClient({ clientId: 'desktop-app', authority: idp.authority(), http: nodeHttpClient({ ca: idp.ca }), validateAuthority: false })
    const failure = await app.acquireTokenInteractive(['User.Read']).catch((e: AuthFailure) => e)
    expect((failure as AuthFailure).authError).toMatchObject({ _tag: 'ConfigError', field: 'redirectListener' })
    expect((failure as AuthFailure).message).toContain('loopbackListener')
  })

  it('signs the user in through the IdP page on a loopback redirect, redeems the code with PKCE, and caches the account', async () => {
    const ctx = context()
    const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage()
    idp.clearRequests()
    const r = await acquireTokenInteractive(ctx)(['User.Read'], { opener: userIn(page, 'sign in'), timeoutMs: 30_000 })()
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(r.right).toMatchObject({ token_source: 'identity_provider', account: { username: 'dora@authfold.test' } })
    const redeem = idp.requests.find((q) => q.path.endsWith('/oauth2/v2.0/token'))
    expect(redeem?.form).toMatchObject({ grant_type: 'authorization_code', client_id: 'desktop-app' })
    expect(redeem?.form['redirect_uri']).toMatch(/^http:\/\/localhost:\d+$/)
    expect(Object.keys(redeem?.form ?? {})).toContain('code_verifier') // the IdP checked it against the S256 challenge (its log redacts it)
    expect(await cacheOf(ctx)).toContain('dora@authfold.test')
    await page.waitForLoadState('load')
    expect(await page.textContent('body')).toContain('Authentication completed')
  }, 60_000)

  it('a declined sign-in is the IdP\'s access_denied, and the cache is as it was', async () => {
    const ctx = context()
    const before = await cacheOf(ctx)
    const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage()
    const r = await acquireTokenInteractive(ctx)(['User.Read'], { opener: userIn(page, 'decline'), timeoutMs: 30_000 })()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ProtocolError', error: 'access_denied' } })
    expect(await cacheOf(ctx)).toBe(before)
  }, 60_000)

  it('a browser that never comes back is a typed timeout', async () => {
    const r = await acquireTokenInteractive(context())(['User.Read'], { opener: async () => undefined, timeoutMs: 500 })()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'timeout' } })
  })

  it('an authority that cannot be resolved is its own typed error, and no browser is opened', async () => {
    let opened = false
    const r = await acquireTokenInteractive(context(idp.authority('no-such-tenant.example')))(['User.Read'], {
      opener: async () => {
        opened = true
      },
      timeoutMs: 10_000,
    })()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'invalid_authority' } })
    expect(opened).toBe(false)
  })
})
