/**
 * Fault class: a malformed or wrongly signed JWT in the answer. Client credentials answers
 * carry no id_token, and an access token is opaque to its client: MSAL (Python, Node)
 * accepts an access token that is not a JWT, or whose signature is wrong, as it is meant
 * for the resource, not for the client. So here each rewritten access token is accepted,
 * cached and served again from the cache. Discovery answers carry no JWT: the fault leaves
 * them as they are. Grants whose answers carry an id_token (to come, see grants.testkit.ts)
 * must refuse a malformed one with a typed error.
 */
import { describe, expect, it } from 'vitest'
import { faultGrants } from './grants.testkit.js'
import { expectSuccess, expectTypedFailure, runFaultCase, useFaultWorld } from './harness.testkit.js'

const world = useFaultWorld()

describe.concurrent.each(faultGrants)('$name', (grant) => {
  for (const jwt of ['opaque', 'malformed', 'bad_signature'] as const) {
    it(`a ${jwt} JWT: what MSAL does with it, and the cache only ever holds a whole answer`, async () => {
      const c = await runFaultCase(world(), grant, { jwt }, 1)
      if (grant.jwts.includes('id_token') && jwt !== 'bad_signature') {
        // an id_token the client cannot read is refused (MSAL Python reads it unverified, so a wrong signature passes)
        expectTypedFailure(world(), c, { _tag: expect.stringMatching(/^(DecodeError|ValidationError)$/) })
        return
      }
      const result = expectSuccess(world(), c)
      expect(c.attempts).toBe(1)
      if (!grant.jwts.includes('access_token')) return // a discovery answer: nothing to rewrite, the call works as without the fault
      const token = result.accessToken ?? ''
      expect(result.source).toBe('identity_provider')
      if (jwt === 'opaque') expect(token).toMatch(/^opaque-[0-9a-f]{32}$/)
      else expect(token.split('.')).toHaveLength(3)
      expect(c.after).toContain(token)
      const again = await c.client.call()
      expect(again).toEqual({ accessToken: token, source: 'cache' })
    })
  }
})
