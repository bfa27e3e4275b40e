/**
 * The device flow end to end: the client polls the local IdP for real while headless
 * Chromium (Debian's, driven by playwright-core) plays the user on the other device: it
 * opens the verification URI, types the user code, signs in with the password, and approves
 * (or declines).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import { nodeHttpClient } from '@authfold/node'
import { DEVICE_CODE_GRANT, startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createPublicClient, type PublicClient } from '../publicClient.js'
import type { AuthFailure } from '../failure.js'
import type { DeviceFlow } from '@authfold/grants'

const PASSWORD = 'correct horse battery staple'
let idp: IdentityProvider
let browser: Browser

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'tv-app' })
  idp.registerUser({ username: 'bob@authfold.test', password: PASSWORD, name: 'Bob' })
  idp.deviceCodes.configure({ lifetimeSeconds: 120, intervalSeconds: 1 })
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
})
afterAll(async () => {
  await browser?.close()
  await idp?.stop()
})

const app = (): PublicClient =>
  createPublicClient({ clientId: 'tv-app', authority: idp.authority(), validateAuthority: false, http: nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 }) })

/** The user, on another device: opens the page, types the code, signs in, decides. */
const actAsUser = async (flow: DeviceFlow, decision: 'approve' | 'decline'): Promise<string> => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true })
  try {
    const page: Page = await context.newPage()
    page.setDefaultTimeout(10_000)
    await page.goto(flow.verification_uri)
    await page.fill('#otc', flow.user_code)
    await page.click('#next')
    await page.fill('#username', 'bob@authfold.test')
    await page.fill('#password', PASSWORD)
    await page.click('#signin')
    await page.click(`#${decision}`)
    return (await page.textContent('#done')) ?? ''
  } finally {
    await context.close()
  }
}

const polls = () => idp.requests.filter((r) => r.form['grant_type'] === DEVICE_CODE_GRANT)

describe('device flow in headless Chromium', () => {
  it('the user approves on the device page while the client polls; the client gets the tokens and the account', async () => {
    const a = app()
    const flow = await a.initiateDeviceFlow(['User.Read'])
    idp.clearRequests()
    const result = a.acquireTokenByDeviceFlow(flow, { timeoutMs: 60_000 })
    await expect.poll(() => polls().length, { timeout: 10_000 }).toBeGreaterThan(0)
    expect(await actAsUser(flow, 'approve')).toContain('You have signed in')
    expect(await result).toMatchObject({
      token_source: 'identity_provider',
      id_token_claims: { aud: 'tv-app', preferred_username: 'bob@authfold.test', name: 'Bob' },
      account: { username: 'bob@authfold.test', realm: idp.tenantId },
    })
    const statuses = polls().map((p) => p.status)
    expect(statuses.at(-1)).toBe(200)
    expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true)
    expect(statuses.length).toBeGreaterThanOrEqual(2)
  })

  it('the user declines: authorization_declined, and the cache is as it was', async () => {
    const a = app()
    const first = await a.initiateDeviceFlow(['User.Read'])
    idp.deviceCodes.approve(first.user_code, 'bob@authfold.test')
    await a.acquireTokenByDeviceFlow(first)
    const before = await a.serializeCache()
    expect(before).toContain('bob@authfold.test')
    const flow = await a.initiateDeviceFlow(['User.Read'])
    const result = a.acquireTokenByDeviceFlow(flow, { timeoutMs: 60_000 }).then(
      () => undefined,
      (e: AuthFailure) => e.authError,
    )
    expect(await actAsUser(flow, 'decline')).toContain('You declined')
    expect(await result).toMatchObject({ _tag: 'ProtocolError', error: 'authorization_declined' })
    expect(await a.serializeCache()).toBe(before)
  })
})
