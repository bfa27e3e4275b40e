/**
 * Fuzzing the token answer processor (`processTokenResponse`, hence `processJsonAnswer`
 * with the `TokenResponse` and `ErrorResponse` decoders): hostile JSON text with
 * prototype-polluting keys at every level, the answer's own fields with hostile values,
 * broken copies of real answers, lone surrogates, deep nesting and huge bodies, under any
 * status and `Retry-After`. It never throws, always answers a Left or a Right in bounded
 * time, pollutes no prototype, keeps what a Right promises, and never puts a token into
 * an error other than the IdP's own error answer.
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import {
  deepJsonTextArb,
  hostileDocumentTextArb,
  hostileJsonTextArb,
  hostileStringArb,
  hugeStringArb,
  mutatedTextArb,
  prototypeSnapshot,
} from '@authfold/testing'
import { MAX_LIFETIME_SECONDS } from '../codecs/tokenResponse.js'
import type { HttpResponse } from '../http/http.js'
import { processTokenResponse } from './processTokenResponse.js'

const URL_ = 'https://login.example/tenant/oauth2/v2.0/token'
/** A token that must never reach an error built by authfold. */
const MARKER = 'marker-token-Qz81hN0pLw'

const TOKEN_FIELDS = [
  'access_token',
  'token_type',
  'expires_in',
  'ext_expires_in',
  'refresh_in',
  'scope',
  'refresh_token',
  'id_token',
  'client_info',
  'foci',
  'refresh_token_expires_in',
]
const ERROR_FIELDS = ['error', 'error_description', 'error_codes', 'suberror', 'correlation_id', 'trace_id', 'timestamp', 'error_uri', 'claims']
const GOOD: Readonly<Record<string, string>> = {
  access_token: JSON.stringify(MARKER),
  refresh_token: JSON.stringify(MARKER),
  id_token: JSON.stringify(MARKER),
  token_type: '"Bearer"',
  expires_in: '3599',
  ext_expires_in: '"3599"',
  refresh_in: '1800',
  scope: '"api://x/.default"',
  error: '"invalid_grant"',
  error_codes: '[50126]',
}
const VALID_ANSWER = JSON.stringify({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: MARKER, refresh_token: MARKER })
const VALID_ERROR = JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret.', error_codes: [7000215], correlation_id: 'c' })

const statusArb = fc.oneof(fc.constantFrom(200, 200, 200, 201, 204, 302, 400, 401, 403, 404, 413, 429, 500, 502, 503, 504), fc.integer({ min: 0, max: 999 }))
const headersArb: fc.Arbitrary<Readonly<Record<string, string>>> = fc.record(
  { 'retry-after': fc.oneof(hostileStringArb, fc.constantFrom('0', '1', '30', '1e308', '-5', 'Wed, 21 Oct 2015 07:28:00 GMT')), 'content-type': fc.constantFrom('application/json', 'text/html', 'text/plain') },
  { requiredKeys: [] },
)

const bodyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: hostileDocumentTextArb(TOKEN_FIELDS, GOOD) },
  { weight: 3, arbitrary: hostileDocumentTextArb(ERROR_FIELDS, GOOD) },
  { weight: 3, arbitrary: hostileJsonTextArb({ keys: [...TOKEN_FIELDS, ...ERROR_FIELDS] }) },
  { weight: 2, arbitrary: mutatedTextArb(VALID_ANSWER) },
  { weight: 2, arbitrary: mutatedTextArb(VALID_ERROR) },
  { weight: 1, arbitrary: hostileStringArb },
)

const responseArb = (body: fc.Arbitrary<string>): fc.Arbitrary<HttpResponse> => fc.record({ status: statusArb, headers: headersArb, body })

const TAGS = ['HttpError', 'ProtocolError', 'DecodeError', 'ValidationError', 'ConfigError', 'CacheError']

/** Runs the processor once and checks every invariant; the time taken is returned, the outcome counted. */
const check = (response: HttpResponse, before: string, seen: Map<string, number>): number => {
  const started = performance.now()
  const r = processTokenResponse(URL_)(response)
  const ms = performance.now() - started
  const kind = r._tag === 'Right' ? 'Right' : `${r.left._tag}/${r.left.code}`
  seen.set(kind, (seen.get(kind) ?? 0) + 1)
  expect(prototypeSnapshot()).toBe(before)
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  if (r._tag === 'Right') {
    expect(response.status).toBeLessThan(400)
    expect(typeof r.right.access_token).toBe('string')
    expect(r.right.access_token.trim()).not.toBe('')
    for (const n of [r.right.expires_in, r.right.ext_expires_in, r.right.refresh_in, r.right.refresh_token_expires_in])
      if (n !== undefined) expect(Number.isInteger(n) && n >= 1 && n <= MAX_LIFETIME_SECONDS).toBe(true)
  } else {
    expect(r._tag).toBe('Left')
    expect(TAGS).toContain(r.left._tag)
    expect(typeof r.left.message).toBe('string')
    // authfold's own errors never carry a token; the IdP's error answer is kept as data (MSAL's dict), its message never has one
    if (r.left._tag === 'ProtocolError') expect(r.left.message).not.toContain(MARKER)
    else expect(JSON.stringify(r.left)).not.toContain(MARKER)
  }
  return ms
}

describe('processTokenResponse under fuzzing', () => {
  it('hostile answers (3,000 runs): no throw, a Left or a Right, under 1 s each (a hang, not a slowdown), no pollution, no token in errors', () => {
    const before = prototypeSnapshot()
    const seen = new Map<string, number>()
    fc.assert(
      fc.property(responseArb(bodyArb), (response) => {
        expect(check(response, before, seen)).toBeLessThan(1_000)
      }),
      { numRuns: 3_000 },
    )
    // the fuzzer reached every outcome, so the checks above were exercised on each
    for (const kind of ['Right', 'ProtocolError/oauth_error', 'DecodeError/invalid_json', 'DecodeError/invalid_shape', 'HttpError/status'])
      expect(seen.get(kind), kind).toBeGreaterThan(20)
  })

  it('deep nesting (to 100,000 levels) and huge strings (to 4 MiB) (60 runs): no throw, under 3 s each', () => {
    const before = prototypeSnapshot()
    const big = fc.oneof(
      deepJsonTextArb(),
      deepJsonTextArb(['access_token']),
      deepJsonTextArb(['error_codes']),
      fc.tuple(fc.constantFrom('access_token', 'error', 'error_description', 'expires_in', 'unknown'), hugeStringArb).map(([k, s]) => JSON.stringify({ token_type: 'Bearer', [k]: s })),
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
