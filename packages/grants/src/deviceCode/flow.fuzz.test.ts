/**
 * Fuzzing the device code answer (`processDeviceCodeAnswer`: `processJsonAnswer` with the
 * `DeviceCodeAnswer` decoder, then `toDeviceFlow`): hostile JSON with prototype-polluting
 * keys at every level, the answer's own fields with hostile values, broken copies of a real
 * answer, deep nesting and huge bodies, under any status. It never throws, answers in
 * bounded time, pollutes nothing, and a Right is a flow that keeps its promises: non-blank
 * codes and URI, a whole interval of at least 1 s, a finite `expires_at` from the clock,
 * plain JSON that survives a round trip.
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import type { HttpResponse } from '@authfold/core'
import { deepJsonTextArb, hostileDocumentTextArb, hostileJsonTextArb, hostileStringArb, hugeStringArb, mutatedTextArb, prototypeSnapshot } from '@authfold/testing'
import { processDeviceCodeAnswer } from './flow.js'

const URL_ = 'https://login.example/t1/oauth2/v2.0/devicecode'
const NOW = 1_700_000_000
const FIELDS = ['user_code', 'device_code', 'verification_uri', 'verification_url', 'verification_uri_complete', 'expires_in', 'interval', 'message']
const ERROR_FIELDS = ['error', 'error_description', 'error_codes', 'correlation_id']
const GOOD: Readonly<Record<string, string>> = {
  user_code: '"ABCD-EFGH"',
  device_code: '"DAQABAAEAAAD"',
  verification_uri: '"https://microsoft.com/devicelogin"',
  expires_in: '"900"',
  interval: '5',
  message: '"To sign in, use a web browser."',
  error: '"invalid_client"',
}
const VALID = JSON.stringify({ user_code: 'ABCD-EFGH', device_code: 'DAQABAAEAAAD', verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900, interval: 5, message: 'To sign in, open https://microsoft.com/devicelogin and enter ABCD-EFGH.' })

const statusArb = fc.oneof(fc.constantFrom(200, 200, 200, 400, 401, 404, 429, 500, 503), fc.integer({ min: 0, max: 999 }))
const bodyArb = fc.oneof(
  { weight: 5, arbitrary: hostileDocumentTextArb(FIELDS, GOOD) },
  { weight: 2, arbitrary: hostileDocumentTextArb(ERROR_FIELDS, GOOD) },
  { weight: 2, arbitrary: hostileJsonTextArb({ keys: [...FIELDS, ...ERROR_FIELDS] }) },
  { weight: 2, arbitrary: mutatedTextArb(VALID) },
  { weight: 1, arbitrary: hostileStringArb },
)
const responseArb = (body: fc.Arbitrary<string>): fc.Arbitrary<HttpResponse> =>
  fc.record({ status: statusArb, headers: fc.constant({ 'content-type': 'application/json' }), body })

const TAGS = ['HttpError', 'ProtocolError', 'DecodeError']

const check = (response: HttpResponse, before: string, seen: Map<string, number>): number => {
  const started = performance.now()
  const r = processDeviceCodeAnswer(URL_, NOW, 'corr-1')(response)
  const ms = performance.now() - started
  seen.set(r._tag === 'Right' ? 'Right' : `${r.left._tag}/${r.left.code}`, (seen.get(r._tag === 'Right' ? 'Right' : `${r.left._tag}/${r.left.code}`) ?? 0) + 1)
  expect(prototypeSnapshot()).toBe(before)
  if (r._tag === 'Left') {
    expect(TAGS).toContain(r.left._tag)
    expect(r.left.message).toMatch(/^[A-Z]/)
    return ms
  }
  const flow = r.right
  expect(response.status).toBeLessThan(400)
  expect(Object.getPrototypeOf(flow)).toBe(Object.prototype)
  for (const s of [flow.user_code, flow.device_code, flow.verification_uri]) expect(typeof s === 'string' && s.trim() !== '').toBe(true)
  expect(typeof flow.message).toBe('string')
  expect(Number.isInteger(flow.interval) && flow.interval >= 1).toBe(true)
  expect(Number.isInteger(flow.expires_in) && flow.expires_in >= 0).toBe(true)
  expect(flow.expires_at).toBe(NOW + flow.expires_in)
  expect(Number.isFinite(flow.expires_at)).toBe(true)
  expect(JSON.parse(JSON.stringify(flow))).toEqual(flow)
  return ms
}

describe('the device code answer under fuzzing', () => {
  it('hostile answers (3,000 runs): no throw, under 1 s each, no pollution, a Right is a sound flow', () => {
    const before = prototypeSnapshot()
    const seen = new Map<string, number>()
    fc.assert(
      fc.property(responseArb(bodyArb), (response) => {
        expect(check(response, before, seen)).toBeLessThan(1_000)
      }),
      { numRuns: 3_000 },
    )
    for (const kind of ['Right', 'ProtocolError/oauth_error', 'DecodeError/invalid_json', 'DecodeError/invalid_shape']) expect(seen.get(kind), kind).toBeGreaterThan(20)
  })

  it('deep nesting (to 100,000 levels) and huge strings (to 4 MiB) (60 runs): no throw, under 3 s each', () => {
    const before = prototypeSnapshot()
    const big = fc.oneof(
      deepJsonTextArb(),
      deepJsonTextArb(['user_code']),
      fc.tuple(fc.constantFrom('user_code', 'device_code', 'message', 'verification_uri', 'interval'), hugeStringArb).map(([k, s]) => JSON.stringify({ ...(JSON.parse(VALID) as object), [k]: s })),
      hugeStringArb,
    )
    const seen = new Map<string, number>()
    fc.assert(
      fc.property(responseArb(big), (response) => {
        expect(check(response, before, seen)).toBeLessThan(3_000)
      }),
      { numRuns: 60 },
    )
  })
})
