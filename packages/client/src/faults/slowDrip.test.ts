/**
 * Fault class: slow drip. The status line and headers come at once, then the body 16 bytes
 * every 150 ms: the whole answer would take seconds (even the shortest, a user realm answer
 * of some 170 bytes, takes 1.6 s), past the transport's 500 ms deadline, which covers
 * reading the body. A timed-out GET is sent once more; a token POST is not.
 */
import { describe, expect, it } from 'vitest'
import { faultGrants } from './grants.testkit.js'
import { expectSuccess, expectTypedFailure, runFaultCase, useFaultWorld } from './harness.testkit.js'

const world = useFaultWorld({ timeoutMs: 500 })
const DRIP = { dripMs: 150, bytes: 16 }

describe.concurrent.each(faultGrants)('$name', (grant) => {
  it('a drip once: a GET is sent again and succeeds; a token POST is a timeout, sent once', async () => {
    const c = await runFaultCase(world(), grant, DRIP, 1)
    if (grant.retried) {
      expectSuccess(world(), c)
      expect(c.attempts).toBe(2)
    } else {
      expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'timeout' })
      expect(c.attempts).toBe(1)
    }
  })

  it('a drip twice: a typed timeout after at most one retry, in bounded time', async () => {
    const c = await runFaultCase(world(), grant, DRIP, 2)
    expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'timeout' })
    expect(c.attempts).toBe(grant.retried ? 2 : 1)
    expect(c.elapsedMs).toBeLessThan(5_000)
  })

  it('a drip that ends within the deadline is read whole (the body arriving in pieces is not itself a fault)', async () => {
    const c = await runFaultCase(world(), grant, { dripMs: 5, bytes: 512 }, 1)
    expectSuccess(world(), c)
    expect(c.attempts).toBe(1)
  })
})
