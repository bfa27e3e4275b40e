/**
 * Fuzzing the user realm answer (`processUserRealm`: a 404 is "no user realm here", anything
 * else `processJsonAnswer` with `UserRealmDecoder`): hostile JSON with prototype-polluting
 * keys at every level, the answer's own fields with hostile values, broken copies of real
 * managed and federated answers, deep nesting and huge bodies, under any status. It never
 * throws, answers in bounded time, pollutes nothing, and a Right is a plain object whose
 * `account_type` and known fields are strings, unknown fields kept as plain own fields.
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import type { HttpResponse } from '@authfold/core'
import { deepJsonTextArb, hostileDocumentTextArb, hostileJsonTextArb, hostileStringArb, hugeStringArb, mutatedTextArb, prototypeSnapshot } from '@authfold/testing'
import { processUserRealm } from './userRealm.js'

const URL_ = 'https://login.example/common/userrealm/jane@contoso.com?api-version=1.0'
const FIELDS = ['ver', 'account_type', 'domain_name', 'cloud_instance_name', 'cloud_audience_urn', 'federation_protocol', 'federation_metadata_url', 'federation_active_auth_url']
const GOOD: Readonly<Record<string, string>> = { account_type: '"Managed"', ver: '"1.0"', domain_name: '"contoso.com"', error: '"invalid_request"' }
const MANAGED = JSON.stringify({ ver: '1.0', account_type: 'Managed', domain_name: 'contoso.com', cloud_instance_name: 'microsoftonline.com', cloud_audience_urn: 'urn:federation:MicrosoftOnline' })
const FEDERATED = JSON.stringify({
  ver: '1.0',
  account_type: 'Federated',
  domain_name: 'fabrikam.com',
  federation_protocol: 'WSTrust',
  federation_metadata_url: 'https://sts.fabrikam.com/adfs/services/trust/mex',
  federation_active_auth_url: 'https://sts.fabrikam.com/adfs/services/trust/2005/usernamemixed',
})

const statusArb = fc.oneof(fc.constantFrom(200, 200, 200, 400, 404, 429, 500, 503), fc.integer({ min: 0, max: 999 }))
const bodyArb = fc.oneof(
  { weight: 5, arbitrary: hostileDocumentTextArb(FIELDS, GOOD) },
  { weight: 1, arbitrary: hostileDocumentTextArb(['error', 'error_description', 'error_codes'], GOOD) },
  { weight: 2, arbitrary: hostileJsonTextArb({ keys: FIELDS }) },
  { weight: 1, arbitrary: mutatedTextArb(MANAGED) },
  { weight: 1, arbitrary: mutatedTextArb(FEDERATED) },
  { weight: 1, arbitrary: hostileStringArb },
)
const responseArb = (body: fc.Arbitrary<string>): fc.Arbitrary<HttpResponse> =>
  fc.record({ status: statusArb, headers: fc.constant({ 'content-type': 'application/json' }), body })

const check = (response: HttpResponse, before: string, seen: Map<string, number>): number => {
  const started = performance.now()
  const r = processUserRealm(URL_)(response)
  const ms = performance.now() - started
  const kind = r._tag === 'Left' ? `${r.left._tag}/${r.left.code}` : r.right === undefined ? 'none' : 'Right'
  seen.set(kind, (seen.get(kind) ?? 0) + 1)
  expect(prototypeSnapshot()).toBe(before)
  if (r._tag === 'Left') {
    expect(['HttpError', 'ProtocolError', 'DecodeError']).toContain(r.left._tag)
    expect(r.left.message).toMatch(/^[A-Z]/)
    return ms
  }
  if (r.right === undefined) {
    expect(response.status).toBe(404)
    return ms
  }
  const realm = r.right
  expect(response.status).toBeLessThan(400)
  expect(Object.getPrototypeOf(realm)).toBe(Object.prototype)
  expect(typeof realm.account_type).toBe('string')
  for (const k of FIELDS) if (Object.prototype.hasOwnProperty.call(realm, k) && realm[k as keyof typeof realm] !== undefined) expect(typeof realm[k as keyof typeof realm]).toBe('string')
  return ms
}

describe('the user realm answer under fuzzing', () => {
  it('hostile answers (3,000 runs): no throw, under 1 s each, no pollution, a Right has a string account_type', () => {
    const before = prototypeSnapshot()
    const seen = new Map<string, number>()
    fc.assert(
      fc.property(responseArb(bodyArb), (response) => {
        expect(check(response, before, seen)).toBeLessThan(1_000)
      }),
      { numRuns: 3_000 },
    )
    for (const kind of ['Right', 'none', 'ProtocolError/oauth_error', 'DecodeError/invalid_json', 'DecodeError/invalid_shape']) expect(seen.get(kind), kind).toBeGreaterThan(20)
  })

  it('deep nesting (to 100,000 levels) and huge strings (to 4 MiB) (60 runs): no throw, under 3 s each', () => {
    const before = prototypeSnapshot()
    const big = fc.oneof(
      deepJsonTextArb(),
      deepJsonTextArb(['account_type']),
      fc.tuple(fc.constantFrom(...FIELDS), hugeStringArb).map(([k, s]) => JSON.stringify({ ...(JSON.parse(FEDERATED) as object), [k]: s })),
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
