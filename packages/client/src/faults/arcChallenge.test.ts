/**
 * Fault class by class, on Azure Arc's challenge round: the first request, which must be
 * answered `401` with `WWW-Authenticate: Basic realm=<key file>`. Any other answer (a page,
 * JSON, a 5xx, a 429) is no challenge: a ValidationError saying to check the Arc agent, as
 * MSAL Python raises `ManagedIdentityError` for an unrecognizable `WWW-Authenticate`. Transport
 * faults are the transport's typed errors. In every case no key file is read, no second
 * request carries a key, nothing is sent again, and the cache is as it was. (The token round
 * runs every fault file through the Azure Arc entry of `grants.testkit.ts`.)
 */
import { describe, expect, it } from 'vitest'
import type { Fault } from '@authfold/testing'
import { faultGrants } from './grants.testkit.js'
import { expectTypedFailure, runFaultCase, useFaultWorld, type FaultCase, type FaultGrant } from './harness.testkit.js'

const world = useFaultWorld({ timeoutMs: 500 })

const arcEntry = faultGrants.find((g) => g.managedIdentity === 'arc')
if (arcEntry === undefined) throw new Error('the Azure Arc entry is missing from grants.testkit.ts')
const challengeRound: FaultGrant = { ...arcEntry, name: 'Azure Arc, the challenge round', faultedScope: { lacking: 'authorization' } }

/** Requests of the case's client that carried a key (the second round). */
const keyRounds = (c: FaultCase): number => world().idp.requests.filter((r) => r.headers['x-app-name'] === c.tag && r.headers['authorization'] !== undefined).length

const run = async (fault: Fault, times = 2): Promise<FaultCase & { readonly keyRounds: number }> => {
  const c = await runFaultCase(world(), challengeRound, fault, times)
  return { ...c, keyRounds: keyRounds(c) }
}

const NO_CHALLENGE = { _tag: 'ValidationError', code: 'tampered' } as const

describe.concurrent('Azure Arc: the challenge round faulted', () => {
  const answers: ReadonlyArray<readonly [string, Fault, RegExp]> = [
    ['a 200 HTML page', 'html', /answered HTTP 200 without a "Basic realm=<key file>" challenge/],
    ['a 200 token answer without a challenge', 'missing_access_token', /answered HTTP 200 without/],
    ['a 500 with an OAuth error body', { status: 500 }, /answered HTTP 500 without/],
    ['a 429 with Retry-After', { status: 429, retryAfter: 30 }, /answered HTTP 429 without/],
    ['a 401 without WWW-Authenticate (an empty body)', { status: 401, body: '' }, /answered HTTP 401 without/],
  ]
  for (const [what, fault, message] of answers)
    it(`${what}: no challenge, a ValidationError naming the Arc agent, nothing read or sent again`, async () => {
      const c = await run(fault)
      expectTypedFailure(world(), c, NO_CHALLENGE)
      expect(c.failure?.message).toMatch(message)
      expect(c.failure?.message).toContain('Arc agent (himds)')
      expect(c.attempts).toBe(1)
      expect(c.keyRounds).toBe(0)
    })

  const transport: ReadonlyArray<readonly [string, Fault, Readonly<Record<string, unknown>>]> = [
    ['a reset', 'reset', { _tag: 'HttpError', code: 'network' }],
    ['headers later than the 500 ms transport deadline', { delayMs: 3_000 }, { _tag: 'HttpError', code: 'timeout' }],
    ['a declared Content-Length of 10 GiB', { oversized: 'declared' }, { _tag: 'HttpError', code: 'too_large' }],
    ['an endless body', 'endless', { _tag: 'HttpError', code: 'too_large' }],
  ]
  for (const [what, fault, expected] of transport)
    it(`${what}: the transport's typed error, sent once, no key read`, async () => {
      const c = await run(fault)
      expectTypedFailure(world(), c, expected)
      expect(c.attempts).toBe(1)
      expect(c.keyRounds).toBe(0)
    })

  it('after a faulted challenge the next call goes through both rounds and is served', async () => {
    const c = await run({ status: 503 }, 1)
    expectTypedFailure(world(), c, NO_CHALLENGE)
    const result = await c.client.call()
    expect(result.source).toBe('identity_provider')
    expect(c.countAttempts()).toBe(2) // two challenge rounds
    expect(keyRounds(c)).toBe(1) // one token round
  })
})
