/**
 * Fault class: 5xx answers, with Entra's OAuth error body and without one (an empty body,
 * a gateway's HTML page). A 5xx GET is sent once more; a token POST is not (unless
 * `retryPosts`), and MSAL's throttling then answers an identical token request from
 * memory for 5 s (confidential clients) instead of sending it again. A managed identity
 * source is not throttled; IMDS resends on every 5xx (up to three times, so the "twice"
 * cases fault it four times), the other sources send once and read the OAuth body each its
 * own way (`managedIdentityErrorOf`).
 */
import { describe, expect, it } from 'vitest'
import { faultGrants } from './grants.testkit.js'
import { expectSuccess, expectTypedFailure, IMDS_STATUS_RETRIES, managedIdentityErrorOf, runFaultCase, useFaultWorld } from './harness.testkit.js'

const world = useFaultWorld()

describe.concurrent.each(faultGrants)('$name', (grant) => {
  const imds = grant.managedIdentity === 'imds'
  const source = grant.managedIdentity
  const otherSource = source !== undefined && !imds
  /** Faults enough to exhaust the grant's retries of a 5xx, and the attempts that makes. */
  const exhaust = imds ? { times: IMDS_STATUS_RETRIES + 1, attempts: IMDS_STATUS_RETRIES + 1 } : { times: 2, attempts: grant.retried ? 2 : 1 }

  it('a 500 with an OAuth error body once: retried and fine, or a ProtocolError that is not sent again at once', async () => {
    const c = await runFaultCase(world(), grant, { status: 500 }, 1)
    if (grant.retried || imds) {
      expectSuccess(world(), c)
      expect(c.attempts).toBe(2)
      return
    }
    if (otherSource) {
      expectTypedFailure(world(), c, managedIdentityErrorOf(source, 500, 'server_error'))
      expect(c.attempts).toBe(1)
      await c.client.call() // not throttled: asked again, and fine
      expect(c.countAttempts()).toBe(2)
      return
    }
    expectTypedFailure(world(), c, { _tag: 'ProtocolError', status: 500, error: 'server_error', errorCodes: [90033] })
    expect(c.attempts).toBe(1)
    const again = await c.client.call().then(
      () => undefined,
      (e: { readonly authError: unknown }) => e.authError,
    )
    expect(again).toEqual(c.failure?.authError)
    expect(c.countAttempts()).toBe(1)
  })

  it('a 503 with an OAuth error body twice: a ProtocolError after at most one retry, the cache as it was', async () => {
    const c = await runFaultCase(world(), grant, { status: 503 }, exhaust.times)
    expectTypedFailure(world(), c, source !== undefined ? managedIdentityErrorOf(source, 503, 'server_error') : { _tag: 'ProtocolError', status: 503, error: 'server_error' })
    expect(c.attempts).toBe(exhaust.attempts)
  })

  it('a 502 with an empty body twice: an HttpError with the status', async () => {
    const c = await runFaultCase(world(), grant, { status: 502, body: '' }, exhaust.times)
    expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'status', status: 502 })
    expect(c.attempts).toBe(exhaust.attempts)
  })

  it("a 504 with a gateway's HTML page once: retried and fine, or an HttpError with the status", async () => {
    const c = await runFaultCase(world(), grant, { status: 504, body: '<html><body><h1>504 Gateway Time-out</h1></body></html>' }, 1)
    if (grant.retried || imds) {
      expectSuccess(world(), c)
      expect(c.attempts).toBe(2)
    } else {
      expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'status', status: 504 })
      expect(c.attempts).toBe(1)
    }
  })
})
