/**
 * Fault class: slow headers. The IdP waits 3 s before its status line, longer than the
 * transport's 500 ms timeout, or than the call's own deadline (`timeoutMs`), or until the
 * caller aborts. A timed-out GET is sent once more (MSAL's one retry); a token POST is not.
 */
import { describe, expect, it } from 'vitest'
import { faultGrants } from './grants.testkit.js'
import { expectSuccess, expectTypedFailure, runFaultCase, useFaultWorld } from './harness.testkit.js'

const world = useFaultWorld({ timeoutMs: 500 })
const SLOW = { delayMs: 3_000 }

describe.concurrent.each(faultGrants)('$name', (grant) => {
  it('headers late once: a GET is sent again and succeeds; a token POST is a timeout, sent once', async () => {
    const c = await runFaultCase(world(), grant, SLOW, 1)
    if (grant.retried) {
      expectSuccess(world(), c)
      expect(c.attempts).toBe(2)
    } else {
      expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'timeout' })
      expect(c.attempts).toBe(1)
    }
  })

  it('headers late twice: a typed timeout after at most one retry, in bounded time', async () => {
    const c = await runFaultCase(world(), grant, SLOW, 2)
    expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'timeout' })
    expect(c.attempts).toBe(grant.retried ? 2 : 1)
    expect(c.elapsedMs).toBeLessThan(5_000)
  })

  it("the call's own deadline (timeoutMs 250) ends it before the transport's, nothing saved", async () => {
    const c = await runFaultCase(world(), grant, SLOW, 1, { timeoutMs: 250 })
    expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'timeout' })
    expect(c.failure?.message).toContain('within 250 ms')
    expect(c.attempts).toBeLessThanOrEqual(1) // on a busy machine the deadline may come before the faulted request
    expect(c.elapsedMs).toBeLessThan(2_500) // before the delayed answer would have come
  })

  it('an AbortSignal fired while waiting for headers ends the call as aborted, nothing saved', async () => {
    const c = await runFaultCase(world(), grant, SLOW, 1, { abortOnArrival: true })
    expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'aborted' })
    expect(c.attempts).toBe(1)
    expect(c.elapsedMs).toBeLessThan(2_500) // before the delayed answer would have come
  })
})
