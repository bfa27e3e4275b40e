/**
 * Fault class: HTML instead of JSON (a captive portal or a proxy's sign-in page answering
 * 200). Not retried (it is an answer); a DecodeError that says what came and where from.
 */
import { describe, expect, it } from 'vitest'
import { faultGrants } from './grants.testkit.js'
import { expectTypedFailure, runFaultCase, useFaultWorld } from './harness.testkit.js'

const world = useFaultWorld()

describe.concurrent.each(faultGrants)('$name', (grant) => {
  it('a 200 HTML page: a DecodeError not_json naming the server, sent once, the cache as it was', async () => {
    const c = await runFaultCase(world(), grant, 'html', 1)
    expectTypedFailure(world(), c, { _tag: 'DecodeError', code: 'not_json', actual: 'an HTML or XML document' })
    expect(c.failure?.message).toContain(grant.managedIdentity === 'imds' ? '169.254.169.254' : world().idp.host) // the address the client asked
    expect(c.attempts).toBe(1)
  })

  it('a 200 HTML page twice: still one attempt (an answer is not a connection error)', async () => {
    const c = await runFaultCase(world(), grant, 'html', 2)
    expectTypedFailure(world(), c, { _tag: 'DecodeError', code: 'not_json' })
    expect(c.attempts).toBe(1)
  })
})
