import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ApiId, type ApiId as ApiIdType } from '@authfold/core'
import type { TokenEndpointRequest } from './authenticate.js'
import { shareKey } from './shareKey.js'

interface Call {
  readonly apiId: ApiIdType
  readonly request: TokenEndpointRequest
}

// Small alphabets so that independently drawn requests are often equal; values with quotes,
// commas and brackets to catch an encoding where two requests spell one key.
const value = fc.constantFrom('a', 'b', 'a"b', 'a","b', '[', '', 'A')
const call: fc.Arbitrary<Call> = fc.record({
  apiId: fc.constantFrom(ApiId.acquireTokenForClient, ApiId.acquireTokenByUsernamePassword),
  request: fc.record(
    {
      tokenEndpoint: fc.constantFrom('https://idp/t1/oauth2/v2.0/token', 'https://idp/t2/oauth2/v2.0/token'),
      clientId: fc.constantFrom('app-1', 'app-2'),
      fields: fc.dictionary(fc.constantFrom('grant_type', 'scope', 'claims', 'fmi_path', 'fmi_pat', 'username', 'x'), fc.option(value, { nil: undefined }), {
        maxKeys: 4,
      }),
      headers: fc.dictionary(
        fc.constantFrom('client-request-id', 'Client-Request-Id', 'x-client-current-telemetry', 'x-client-last-telemetry', 'return-client-request-id', 'x-ms-foo', 'X-Ms-Foo'),
        value,
        { maxKeys: 3 },
      ),
    },
    { requiredKeys: ['tokenEndpoint', 'clientId', 'fields'] },
  ),
})

// A plain model of "the same answer": everything sent that is not correlation or telemetry.
const NOISE = ['client-request-id', 'return-client-request-id', 'x-client-current-telemetry', 'x-client-last-telemetry']
const sent = (record: Readonly<Record<string, string | undefined>>, noise: ReadonlyArray<string>): Map<string, string> => {
  const m = new Map<string, string>()
  for (const name of Object.keys(record)) {
    const v = record[name]
    if (v !== undefined && !noise.includes(name.toLowerCase())) m.set(name, v)
  }
  return m
}
const sameMap = (a: Map<string, string>, b: Map<string, string>): boolean => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v)
const sameAnswer = (a: Call, b: Call): boolean =>
  a.apiId === b.apiId &&
  a.request.tokenEndpoint === b.request.tokenEndpoint &&
  a.request.clientId === b.request.clientId &&
  sameMap(sent(a.request.fields, []), sent(b.request.fields, [])) &&
  sameMap(sent(a.request.headers ?? {}, NOISE), sent(b.request.headers ?? {}, NOISE))

// b: drawn on its own, or a with one thing changed (so both outcomes are explored).
const pair: fc.Arbitrary<readonly [Call, Call]> = fc.oneof(
  fc.tuple(call, call),
  call.chain((a) =>
    fc.tuple(
      fc.constant(a),
      fc.oneof(
        fc.constant(a),
        fc.constantFrom('scope', 'claims', 'fmi_path', 'x').chain((f) => value.map((v) => ({ ...a, request: { ...a.request, fields: { ...a.request.fields, [f]: v } } }))),
        fc.constantFrom('client-request-id', 'x-client-current-telemetry', 'x-ms-foo').chain((h) =>
          value.map((v) => ({ ...a, request: { ...a.request, headers: { ...a.request.headers, [h]: v } } })),
        ),
        fc.constant({ ...a, request: { ...a.request, fields: { ...a.request.fields, claims: undefined } } }),
      ),
    ),
  ),
)

describe('shareKey', () => {
  it('two requests share a key iff every answer-changing part is equal (method, endpoint, client, sent fields, non-telemetry headers)', () => {
    let shared = 0
    let apart = 0
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const same = shareKey(a.request, a.apiId) === shareKey(b.request, b.apiId)
        expect(same).toBe(sameAnswer(a, b))
        if (same) shared++
        else apart++
      }),
      { numRuns: 3000 },
    )
    // both outcomes were explored, so the property is not vacuous
    expect(shared).toBeGreaterThan(300)
    expect(apart).toBeGreaterThan(300)
  })

  it('keeps apart what msal-node once mixed up: another resource, claims, fmi_path, tenant', () => {
    const base: TokenEndpointRequest = {
      tokenEndpoint: 'https://login.microsoftonline.com/t1/oauth2/v2.0/token',
      clientId: 'app',
      fields: { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' },
    }
    const key = (r: TokenEndpointRequest) => shareKey(r, ApiId.acquireTokenForClient)
    const variants = [
      base,
      { ...base, fields: { ...base.fields, scope: 'https://vault.azure.net/.default' } },
      { ...base, fields: { ...base.fields, claims: '{"access_token":{"xms_cc":{"values":["cp1"]}}}' } },
      { ...base, fields: { ...base.fields, fmi_path: 'agent/1' } },
      { ...base, fields: { ...base.fields, fmi_pat: 'hagent/1' } },
      { ...base, tokenEndpoint: 'https://login.microsoftonline.com/t2/oauth2/v2.0/token' },
      { ...base, clientId: 'app2' },
    ]
    expect(new Set(variants.map(key)).size).toBe(variants.length)
    expect(shareKey(base, ApiId.acquireTokenByUsernamePassword)).not.toBe(key(base))
    // what does not change the answer does not count
    expect(key({ ...base, fields: { ...base.fields, claims: undefined } })).toBe(key(base))
    expect(key({ ...base, headers: { 'client-request-id': 'c1', 'x-client-current-telemetry': '5|730,0|' } })).toBe(key(base))
    expect(key({ ...base, fields: { scope: base.fields['scope'], grant_type: 'client_credentials' } })).toBe(key(base))
  })
})
