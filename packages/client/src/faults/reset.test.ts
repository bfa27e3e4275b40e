/**
 * Fault class: the connection is reset: before any answer (once, twice), or in the middle
 * of the body (a truncated body). MSAL resends a GET once after a connection error and
 * never resends a token POST unless asked (`retryPosts`).
 */
import { describe, expect, it } from 'vitest'
import { faultGrants } from './grants.testkit.js'
import { expectSuccess, expectTypedFailure, runFaultCase, useFaultWorld } from './harness.testkit.js'

const world = useFaultWorld()

describe.concurrent.each(faultGrants)('$name', (grant) => {
  it('one reset: a GET (or a POST with retryPosts) is sent again and succeeds; a token POST is a network error, sent once', async () => {
    const c = await runFaultCase(world(), grant, 'reset', 1)
    if (grant.retried) {
      expectSuccess(world(), c)
      expect(c.attempts).toBe(2)
    } else {
      expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'network' })
      expect(c.attempts).toBe(1)
    }
  })

  it('two resets: a typed network error after at most one retry, the cache as it was', async () => {
    const c = await runFaultCase(world(), grant, 'reset', 2)
    expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'network' })
    expect(c.attempts).toBe(grant.retried ? 2 : 1)
  })

  it('a body cut off mid-way (the socket closed before Content-Length bytes): retried like a reset', async () => {
    const c = await runFaultCase(world(), grant, 'truncated_body', 1)
    if (grant.retried) {
      expectSuccess(world(), c)
      expect(c.attempts).toBe(2)
    } else {
      expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'network' })
      expect(c.attempts).toBe(1)
    }
  })
})
