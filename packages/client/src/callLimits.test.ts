import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serialize } from '@authfold/cache'
import { clientAssertion, clientSecret } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient, type ConfidentialClientConfig } from './confidentialClient.js'

const SECRET = 'call-limits-secret'
let idp: IdentityProvider
beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'limits-app', secret: SECRET })
})
afterAll(async () => idp.stop())

const config = (over: Partial<ConfidentialClientConfig> = {}): ConfidentialClientConfig => ({
  clientId: 'limits-app',
  authority: idp.authority(),
  credential: clientSecret(SECRET),
  http: nodeHttpClient({ ca: idp.ca, timeoutMs: 10_000 }),
  validateAuthority: false,
  ...over,
})

const snapshot = async (app: ReturnType<typeof createConfidentialClient>) => {
  const s = await app.cacheStore.load()()
  if (s._tag === 'Left') throw new Error(s.left.message)
  return serialize(s.right)
}

describe('every public call has a deadline and takes an AbortSignal', () => {
  it('an assertion callback that never settles ends at the call deadline with a typed error, and the cache is as it was', async () => {
    const app = createConfidentialClient(config({ credential: clientAssertion(() => new Promise<string>(() => undefined)) }))
    await app.resolveAuthority()
    const before = await snapshot(app)
    const started = Date.now()
    const r = await app.te.acquireTokenForClient(['api://hang/.default'], { timeoutMs: 300 })()
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'timeout' } })
    expect(r._tag === 'Left' && r.left.message).toMatch(/did not finish within 300 ms.*callback/)
    expect(await snapshot(app)).toBe(before)
  })

  it('an abort during a slow token request stops the request at once: HttpError aborted, cache as it was', async () => {
    const app = createConfidentialClient(config())
    await app.acquireTokenForClient(['api://seed/.default'])
    const before = await snapshot(app)
    idp.inject({ delayMs: 5_000 }, 1)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    const started = Date.now()
    const r = await app.te.acquireTokenForClient(['api://slow/.default'], { signal: controller.signal })()
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'aborted' } })
    expect(await snapshot(app)).toBe(before)
    idp.clearFaults()
  })

  it('a signal that already fired sends nothing', async () => {
    const app = createConfidentialClient(config())
    await app.resolveAuthority()
    idp.clearRequests()
    const r = await app.te.acquireTokenForClient(['api://never/.default'], { signal: AbortSignal.abort() })()
    expect(r).toMatchObject({ _tag: 'Left', left: { code: 'aborted' } })
    expect(idp.requests).toHaveLength(0)
  })

  it('the deadline is waited through the sleep effect, so a virtual clock drives it (no real wait)', async () => {
    const waits: number[] = []
    const app = createConfidentialClient(
      config({
        credential: clientAssertion(() => new Promise<string>(() => undefined)),
        callTimeoutMs: 3_600_000,
        sleep: (ms) => async () => {
          waits.push(ms)
        },
      }),
    )
    const r = await app.te.acquireTokenForClient(['api://virtual/.default'])()
    expect(r).toMatchObject({ _tag: 'Left', left: { code: 'timeout' } })
    expect(waits).toContain(3_600_000)
  })

  it('a call that finishes in time is not affected, and its deadline wait is released', async () => {
    const app = createConfidentialClient(config())
    const r = await app.te.acquireTokenForClient(['api://fast/.default'], { timeoutMs: 30_000 })()
    expect(r).toMatchObject({ _tag: 'Right', right: { token_source: 'identity_provider' } })
  })
})
