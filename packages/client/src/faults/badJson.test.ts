/**
 * Fault class: truncated and malformed JSON, and JSON of the wrong shape. A 200 answer is
 * not retried; each is a DecodeError naming the place and the kind of value, never the
 * value. An answer that tries to pollute `Object.prototype` pollutes nothing.
 */
import { describe, expect, it } from 'vitest'
import { faultGrants } from './grants.testkit.js'
import { expectSuccess, expectTypedFailure, managedIdentityMissingToken, runFaultCase, useFaultWorld } from './harness.testkit.js'

const world = useFaultWorld()

const POISON =
  '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"token_type":"Bearer","expires_in":3599,"access_token":"opaque-token-from-a-poisoned-answer"}'

describe.concurrent.each(faultGrants)('$name', (grant) => {
  it('the real answer cut in half (a complete HTTP answer): DecodeError invalid_json, sent once', async () => {
    const c = await runFaultCase(world(), grant, 'truncated_json', 1)
    expectTypedFailure(world(), c, { _tag: 'DecodeError', code: 'invalid_json', actual: 'text that is not valid JSON' })
    expect(c.attempts).toBe(1)
  })

  it('the real answer with a ":" turned into "=": DecodeError invalid_json', async () => {
    const c = await runFaultCase(world(), grant, 'malformed_json', 1)
    expectTypedFailure(world(), c, { _tag: 'DecodeError', code: 'invalid_json' })
    expect(c.attempts).toBe(1)
  })

  it('a fixed truncated token answer ({"access_token":"eyJ): DecodeError invalid_json', async () => {
    const c = await runFaultCase(world(), grant, 'invalid_json', 1)
    expectTypedFailure(world(), c, { _tag: 'DecodeError', code: 'invalid_json' })
  })

  it('an empty 200 body: DecodeError invalid_json saying the body was empty', async () => {
    const c = await runFaultCase(world(), grant, { status: 200, body: '' }, 1)
    expectTypedFailure(world(), c, { _tag: 'DecodeError', code: 'invalid_json', actual: 'an empty body' })
  })

  it('JSON that is not an object (an array, a string, null): DecodeError invalid_shape at the top level', async () => {
    for (const body of ['[]', '"access_token"', 'null']) {
      const c = await runFaultCase(world(), grant, { status: 200, body }, 1)
      expectTypedFailure(world(), c, { _tag: 'DecodeError', code: 'invalid_shape' })
    }
  })

  it('an object without the required fields: DecodeError invalid_shape naming the field', async () => {
    const c = await runFaultCase(world(), grant, 'missing_access_token', 1)
    if (grant.managedIdentity !== undefined) return expectTypedFailure(world(), c, managedIdentityMissingToken(grant.managedIdentity))
    const path = { token: 'access_token', managedidentity: 'access_token', devicecode: 'user_code', userrealm: 'account_type', discovery: grant.faultedPath(world().idp).endsWith('/instance') ? 'tenant_discovery_endpoint' : 'issuer' }[grant.on]
    expectTypedFailure(world(), c, { _tag: 'DecodeError', code: 'invalid_shape', path, actual: 'nothing (missing)' })
  })

  it('an answer with "__proto__" and "constructor.prototype" keys pollutes nothing', async () => {
    const c = await runFaultCase(world(), grant, { status: 200, body: POISON }, 1)
    if (grant.on === 'token' || grant.managedIdentity === 'imds' || grant.managedIdentity === 'arc') {
      expect(expectSuccess(world(), c).accessToken).toBe('opaque-token-from-a-poisoned-answer')
      expect(c.after).toContain('opaque-token-from-a-poisoned-answer')
    } else expectTypedFailure(world(), c, { _tag: 'DecodeError', code: 'invalid_shape' }) // (the managed identity sources that read expires_on: none here)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.keys(Object.prototype)).toEqual([])
  })
})
