/**
 * The device flow through the public client, against the local IdP over real HTTPS: the
 * client polls for real (interval 1 s) while the test approves or declines the code through
 * the IdP's API. The fields are MSAL Python 1.21's (measured: devicecode `client_id` +
 * decorated `scope`; each poll `client_id`, `grant_type`, `device_code`, `code`,
 * `client_info=1`, the flow's `client-request-id`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { timerSleep, type Sleep } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { DEVICE_CODE_GRANT, startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createPublicClient, type PublicClient } from '../publicClient.js'
import type { AuthFailure } from '../failure.js'
import { deviceFlowTimeoutMs, DEVICE_FLOW_GRACE_MS } from './acquireTokenByDeviceFlow.js'

const PASSWORD = 'correct horse battery staple'
let idp: IdentityProvider
/** Seconds added to the IdP's clock (to expire its codes without waiting). */
let idpSkew = 0

beforeAll(async () => {
  idp = await startIdentityProvider({ now: () => Date.now() + idpSkew * 1000 })
  idp.registerClient({ clientId: 'device-app' })
  idp.registerUser({ username: 'alice@authfold.test', password: PASSWORD })
})
afterAll(async () => idp.stop())
beforeEach(() => {
  idpSkew = 0
  idp.deviceCodes.configure({ lifetimeSeconds: 60, intervalSeconds: 1 })
  idp.clearRequests()
})

const polls = () => idp.requests.filter((r) => r.form['grant_type'] === DEVICE_CODE_GRANT)

/**
 * A sleep that sleeps for real and, once armed, runs the armed action the first time it is
 * called after the IdP has seen a poll (that is, between two polls).
 */
const trigger = () => {
  let action: (() => void) | undefined
  const sleep: Sleep = (ms, signal) => {
    if (action !== undefined && polls().length > 0) {
      const run = action
      action = undefined
      run()
    }
    return timerSleep(ms, signal)
  }
  return {
    sleep,
    /** Arms `run` and forgets the polls seen so far. */
    arm: (run: () => void) => {
      idp.clearRequests()
      action = run
    },
  }
}

const app = (sleep: Sleep = timerSleep, extra: { readonly callTimeoutMs?: number } = {}): PublicClient =>
  createPublicClient({ clientId: 'device-app', authority: idp.authority(), validateAuthority: false, http: nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 }), sleep, ...extra })

const failure = async (p: Promise<unknown>): Promise<AuthFailure['authError']> =>
  p.then(
    () => {
      throw new Error('expected a failure')
    },
    (e: AuthFailure) => e.authError,
  )

/** A client holding one signed-in account, and its serialized cache. */
const signedIn = async (a: PublicClient): Promise<string> => {
  const flow = await a.initiateDeviceFlow(['User.Read'])
  expect(idp.deviceCodes.approve(flow.user_code, 'alice@authfold.test')).toBe(true)
  await a.acquireTokenByDeviceFlow(flow)
  return a.serializeCache()
}

describe('initiateDeviceFlow + acquireTokenByDeviceFlow (public client, real HTTPS)', () => {
  it('signs a user in once the code is approved, with MSAL Python\'s fields, and caches the account', async () => {
    const t = trigger()
    const a = app(t.sleep)
    const flow = await a.initiateDeviceFlow(['User.Read'])
    t.arm(() => idp.deviceCodes.approve(flow.user_code, 'alice@authfold.test'))
    expect(flow).toMatchObject({ verification_uri: `${idp.url}/common/oauth2/deviceauth`, interval: 1, expires_in: 60, message: expect.stringContaining(flow.user_code) })
    expect(JSON.parse(JSON.stringify(flow))).toEqual(flow)
    const result = await a.acquireTokenByDeviceFlow(flow)
    expect(result).toMatchObject({
      token_type: 'Bearer',
      scope: 'User.Read openid profile',
      token_source: 'identity_provider',
      id_token_claims: { aud: 'device-app', preferred_username: 'alice@authfold.test' },
      account: { username: 'alice@authfold.test', realm: idp.tenantId, authority_type: 'MSSTS' },
    })
    const seen = polls()
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect(seen[0]?.form).toEqual({ client_id: 'device-app', grant_type: DEVICE_CODE_GRANT, device_code: '<redacted>', code: '<redacted>', client_info: '1' })
    expect(new Set(seen.map((p) => p.headers['client-request-id']))).toEqual(new Set([flow._correlation_id]))
    expect(seen.map((p) => p.status)).toEqual([...Array(seen.length - 1).fill(400), 200])
    idp.clearRequests()
    const again = await a.initiateDeviceFlow(['User.Read'])
    const [initiate] = idp.requests.filter((r) => r.path.endsWith('/devicecode'))
    expect(initiate?.form).toEqual({ client_id: 'device-app', scope: 'User.Read openid profile offline_access' })
    expect(initiate?.headers['client-request-id']).toBe(again._correlation_id)
    const cache = JSON.parse(await a.serializeCache()) as Record<string, Record<string, Record<string, unknown>>>
    expect(Object.values(cache['Account'] ?? {})).toEqual([expect.objectContaining({ username: 'alice@authfold.test', realm: idp.tenantId })])
    expect(Object.keys(cache['RefreshToken'] ?? {})).toHaveLength(1)
  })

  it('a decline is a ProtocolError authorization_declined that says what to do, and the cache is as it was', async () => {
    const t = trigger()
    const a = app(t.sleep)
    const before = await signedIn(a)
    const flow = await a.initiateDeviceFlow(['User.Read'])
    t.arm(() => idp.deviceCodes.decline(flow.user_code))
    const e = await failure(a.acquireTokenByDeviceFlow(flow))
    expect(e).toMatchObject({ _tag: 'ProtocolError', error: 'authorization_declined', status: 400 })
    expect(e.message).toContain('declined')
    expect(await a.serializeCache()).toBe(before)
  })

  it('a code the IdP has expired is expired_token; one it never issued is bad_verification_code; the cache is as it was', async () => {
    const a = app()
    const before = await signedIn(a)
    const flow = await a.initiateDeviceFlow(['User.Read'])
    idpSkew = 120
    expect(await failure(a.acquireTokenByDeviceFlow(flow))).toMatchObject({ _tag: 'ProtocolError', error: 'expired_token', message: expect.stringContaining('initiateDeviceFlow again') })
    expect(await failure(a.acquireTokenByDeviceFlow({ ...flow, device_code: 'not-issued' }))).toMatchObject({ _tag: 'ProtocolError', error: 'bad_verification_code' })
    expect(await a.serializeCache()).toBe(before)
  })

  it('the flow\'s own expiry (or expires_at 0) ends it with ValidationError flow_expired and no request', async () => {
    const a = app()
    const flow = await a.initiateDeviceFlow(['User.Read'])
    expect(await failure(a.acquireTokenByDeviceFlow({ ...flow, expires_at: 0 }))).toMatchObject({ _tag: 'ValidationError', code: 'flow_expired' })
    expect(polls()).toHaveLength(0)
  })

  it('an AbortSignal stops the polling with HttpError aborted, at once, and nothing is saved', async () => {
    const controller = new AbortController()
    const t = trigger()
    const a = app(t.sleep)
    const before = await signedIn(a)
    const flow = await a.initiateDeviceFlow(['User.Read'])
    t.arm(() => controller.abort())
    const started = Date.now()
    expect(await failure(a.acquireTokenByDeviceFlow(flow, { signal: controller.signal }))).toMatchObject({ _tag: 'HttpError', code: 'aborted' })
    expect(Date.now() - started).toBeLessThan(900)
    expect(polls()).toHaveLength(1)
    expect(await a.serializeCache()).toBe(before)
  })

  it('the deadline defaults to the flow\'s expiry, not callTimeoutMs: a 300 ms client still waits for the user', async () => {
    const t = trigger()
    const a = app(t.sleep, { callTimeoutMs: 300 })
    const flow = await a.initiateDeviceFlow(['User.Read'])
    t.arm(() => idp.deviceCodes.approve(flow.user_code, 'alice@authfold.test'))
    expect(await a.acquireTokenByDeviceFlow(flow)).toMatchObject({ account: { username: 'alice@authfold.test' } })
    const short = await a.initiateDeviceFlow(['User.Read'])
    expect(await failure(a.acquireTokenByDeviceFlow(short, { timeoutMs: 300 }))).toMatchObject({ _tag: 'HttpError', code: 'timeout' })
  })

  it('deviceFlowTimeoutMs: the caller\'s timeoutMs, else the time left plus the grace', () => {
    const flow = { user_code: 'u', device_code: 'd', verification_uri: 'https://v', expires_in: 900, interval: 5, message: 'm', expires_at: 1_000 }
    expect(deviceFlowTimeoutMs(flow, 400_000, undefined)).toBe(600_000 + DEVICE_FLOW_GRACE_MS)
    expect(deviceFlowTimeoutMs(flow, 2_000_000, undefined)).toBe(DEVICE_FLOW_GRACE_MS)
    expect(deviceFlowTimeoutMs(flow, 400_000, 5)).toBe(5)
  })
})
