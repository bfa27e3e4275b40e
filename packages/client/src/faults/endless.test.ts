/**
 * Fault class: an endless answer, streamed as fast as the client reads. The transport stops
 * at its 4 MiB cap and closes the connection: HttpError too_large, never retried, in
 * bounded time and memory.
 */
import { describe, expect, it } from 'vitest'
import { faultGrants } from './grants.testkit.js'
import { expectTypedFailure, runFaultCase, useFaultWorld } from './harness.testkit.js'

const world = useFaultWorld()

describe.concurrent.each(faultGrants)('$name', (grant) => {
  it('an endless body: too_large, one attempt, in bounded time and memory', async () => {
    const heap = process.memoryUsage().heapUsed
    const c = await runFaultCase(world(), grant, 'endless', 2)
    expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'too_large' })
    expect(c.attempts).toBe(1)
    expect(c.elapsedMs).toBeLessThan(10_000)
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(256 * 1024 * 1024) // (an uncapped transport reached 2.7 GB)
  })
})
