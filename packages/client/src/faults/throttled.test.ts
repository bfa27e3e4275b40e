/**
 * Fault class: 429 with `Retry-After` (and a 503 with one). A token POST answered 429 is a
 * typed error, and MSAL's throttling answers the identical request from memory until
 * `Retry-After` instead of sending it (MSAL Python's ThrottledHttpClient); so is the
 * device code POST (every POST is throttled). A GET answered
 * 429 is not resent (the retry covers 5xx and connection errors only) and not remembered:
 * the next call asks again. A 503 with `Retry-After` is waited for before the one retry.
 * A 4xx answer to tenant discovery is a ConfigError, as MSAL Python raises ValueError for
 * any 4xx there. A managed identity source is not throttled: IMDS waits a 429's or 503's
 * `Retry-After` (its backoffs pass at once here; the log line says how long) and asks
 * again; the other sources answer with a typed error (each reading the OAuth body its own
 * way, `managedIdentityErrorOf`) and the next call asks again.
 */
import { describe, expect, it } from 'vitest'
import { faultGrants } from './grants.testkit.js'
import { expectSuccess, expectTypedFailure, managedIdentityErrorOf, runFaultCase, useFaultWorld, type FaultCase } from './harness.testkit.js'

const world = useFaultWorld()

const tenantDiscovery = (path: string): boolean => path.endsWith('/.well-known/openid-configuration')

const callAgain = async (c: FaultCase): Promise<unknown> =>
  c.client.call().then(
    () => undefined,
    (e: { readonly authError: unknown }) => e.authError,
  )

describe.concurrent.each(faultGrants)('$name', (grant) => {
  const path = (): string => grant.faultedPath(world().idp)
  const imds = grant.managedIdentity === 'imds'
  const source = grant.managedIdentity
  const otherSource = source !== undefined && !imds
  const imdsRetried = (c: FaultCase, delayMs: number): void => {
    expectSuccess(world(), c)
    expect(c.attempts).toBe(2)
    expect(c.lines.some((l) => l.startsWith('warning IMDS answered HTTP') && l.includes(`retrying in ${delayMs} ms`))).toBe(true)
  }

  it('a 429 with Retry-After: 30 and an OAuth body: a typed error, sent once; a token POST is then throttled, a GET asked again', async () => {
    const c = await runFaultCase(world(), grant, { status: 429, retryAfter: 30 }, 1)
    if (imds) return imdsRetried(c, 30_000)
    if (tenantDiscovery(path())) expectTypedFailure(world(), c, { _tag: 'ConfigError', code: 'invalid_authority' })
    else if (otherSource) expectTypedFailure(world(), c, managedIdentityErrorOf(source, 429, 'temporarily_unavailable'))
    else expectTypedFailure(world(), c, { _tag: 'ProtocolError', status: 429, error: 'temporarily_unavailable', errorCodes: [90055] })
    expect(c.attempts).toBe(1)
    const again = await callAgain(c)
    if (grant.on === 'token' || grant.on === 'devicecode') {
      expect(again).toEqual(c.failure?.authError)
      expect(c.countAttempts()).toBe(1)
    } else {
      expect(again).toBeUndefined() // the IdP answers normally now
      expect(c.countAttempts()).toBe(2)
    }
  })

  it('a 429 with Retry-After: 1 and no body: an HttpError carrying retryAfter (a ConfigError for tenant discovery)', async () => {
    const c = await runFaultCase(world(), grant, { status: 429, retryAfter: 1, body: '' }, 1)
    if (imds) return imdsRetried(c, 1_000)
    if (tenantDiscovery(path())) expectTypedFailure(world(), c, { _tag: 'ConfigError', code: 'invalid_authority' })
    else expectTypedFailure(world(), c, { _tag: 'HttpError', code: 'status', status: 429, retryAfter: 1 })
    expect(c.attempts).toBe(1)
  })

  it('a 503 with Retry-After: 1: a retried request waits the second out and succeeds; a token POST is a typed error, throttled', async () => {
    const c = await runFaultCase(world(), grant, { status: 503, retryAfter: 1 }, 1)
    if (grant.retried) {
      expectSuccess(world(), c)
      expect(c.attempts).toBe(2)
      expect(c.elapsedMs).toBeGreaterThanOrEqual(950)
      return
    }
    if (imds) return imdsRetried(c, 1_000)
    if (otherSource) {
      expectTypedFailure(world(), c, managedIdentityErrorOf(source, 503, 'server_error'))
      expect(c.attempts).toBe(1)
      expect(await callAgain(c)).toBeUndefined() // not throttled: asked again, and fine
      expect(c.countAttempts()).toBe(2)
      return
    }
    expectTypedFailure(world(), c, { _tag: 'ProtocolError', status: 503, error: 'server_error' })
    expect(c.attempts).toBe(1)
    expect(await callAgain(c)).toEqual(c.failure?.authError)
    expect(c.countAttempts()).toBe(1)
  })
})
