/**
 * Fault class: oversized answers. A `Content-Length` of 10 GiB is refused from the headers;
 * a chunked answer (a token answer with a 5 MiB access token) is cut at the transport's
 * 4 MiB cap. Both are HttpError too_large, which is final (never retried).
 */
import { describe, expect, it } from 'vitest'
import { faultGrants } from './grants.testkit.js'
import { expectTypedFailure, runFaultCase, useFaultWorld } from './harness.testkit.js'

const world = useFaultWorld()

describe.concurrent.each(faultGrants)('$name', (grant) => {
  it('a declared Content-Length of 10 GiB: too_large at once, not retried', async () => {
    const c = await runFaultCase(world(), grant, { oversized: 'declared' }, 2)
    expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'too_large' })
    expect(c.attempts).toBe(1)
    expect(c.elapsedMs).toBeLessThan(5_000)
  })

  it('a chunked answer of 5 MiB: too_large at the 4 MiB cap, not retried', async () => {
    const c = await runFaultCase(world(), grant, { oversized: 'chunked' }, 2)
    expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'too_large' })
    expect(c.failure?.message).toMatch(/4194304|4 MiB/)
    expect(c.attempts).toBe(1)
  })
})
