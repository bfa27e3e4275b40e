/**
 * Fuzzing the discovery decoders (`OpenIdConfiguration`, `InstanceDiscoveryResponse`,
 * `InstanceDiscoveryMetadataEntry`), alone and through `processJsonAnswer`: hostile JSON
 * with prototype-polluting keys at every level, the documents' own fields with hostile
 * values, broken copies of real documents, any JavaScript value (null prototypes, boxed
 * values, sparse arrays), deep nesting and huge strings. They never throw, answer in
 * bounded time, pollute nothing, and a Right keeps its promises (https endpoints, strings).
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import type * as D from 'io-ts/Decoder'
import { deepJsonTextArb, hostileStringArb, hugeStringArb, prototypeSnapshot } from '@authfold/testing'
import { processJsonAnswer } from '../codecs/processJsonAnswer.js'
import { decodeWith } from '../codecs/decode.js'
import { InstanceDiscoveryMetadataEntry, InstanceDiscoveryResponse, OpenIdConfiguration } from './codecs.js'
import { discoveryBodyArb } from './discoveryAnswers.testkit.js'

const isHttps = (s: unknown): boolean => {
  try {
    return typeof s === 'string' && new URL(s).protocol === 'https:'
  } catch {
    return false
  }
}

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** Decodes once, checking no throw, time, pollution and what a Right promises. */
const decodeChecked = <A>(decoder: D.Decoder<unknown, A>, input: unknown, before: string, boundMs: number, promise: (a: A) => void): boolean => {
  const started = performance.now()
  const r = decoder.decode(input)
  expect(performance.now() - started).toBeLessThan(boundMs)
  expect(prototypeSnapshot()).toBe(before)
  expect(r._tag === 'Left' || r._tag === 'Right').toBe(true)
  if (r._tag === 'Right') promise(r.right)
  return r._tag === 'Right'
}

const oidcPromise = (c: OpenIdConfiguration): void => {
  expect(typeof c.issuer === 'string' && c.issuer !== '').toBe(true)
  for (const k of ['authorization_endpoint', 'token_endpoint', 'device_authorization_endpoint', 'end_session_endpoint', 'jwks_uri', 'userinfo_endpoint'] as const)
    if (k in c && c[k] !== undefined) expect(isHttps(c[k]), k).toBe(true)
}
const instancePromise = (r: InstanceDiscoveryResponse): void => {
  expect(isHttps(r.tenant_discovery_endpoint)).toBe(true)
  for (const g of r.metadata ?? []) {
    expect(typeof g.preferred_cache).toBe('string')
    expect(g.aliases.every((a) => typeof a === 'string')).toBe(true)
  }
}

const anyValueArb = fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true, withObjectString: true, maxDepth: 4 })

describe('discovery decoders under fuzzing', () => {
  it('OpenIdConfiguration, InstanceDiscoveryResponse and a metadata entry (3 x 2,000 runs of hostile JSON, 3 x 500 of any value): no throw, no pollution, Rights keep their promises', () => {
    const before = prototypeSnapshot()
    let rights = 0
    fc.assert(
      fc.property(discoveryBodyArb, (text) => {
        const u = parsed(text)
        if (decodeChecked(OpenIdConfiguration, u, before, 1_000, oidcPromise)) rights++
        if (decodeChecked(InstanceDiscoveryResponse, u, before, 1_000, instancePromise)) rights++
        decodeChecked(InstanceDiscoveryMetadataEntry, u, before, 1_000, () => undefined)
      }),
      { numRuns: 2_000 },
    )
    fc.assert(
      fc.property(anyValueArb, (u) => {
        decodeChecked(OpenIdConfiguration, u, before, 1_000, oidcPromise)
        decodeChecked(InstanceDiscoveryResponse, u, before, 1_000, instancePromise)
        decodeChecked(InstanceDiscoveryMetadataEntry, u, before, 1_000, () => undefined)
      }),
      { numRuns: 500 },
    )
    expect(rights).toBeGreaterThan(50) // the fuzzer reached valid documents too
  })

  it('through processJsonAnswer under any status (2 x 2,000 runs): a Left or a Right, never a throw', () => {
    const before = prototypeSnapshot()
    const status = fc.oneof(fc.constantFrom(200, 200, 400, 404, 429, 500, 503), fc.integer({ min: 0, max: 999 }))
    fc.assert(
      fc.property(status, discoveryBodyArb, fc.option(hostileStringArb, { nil: undefined }), (s, body, retryAfter) => {
        const response = { status: s, headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter }, body }
        for (const decoder of [OpenIdConfiguration, InstanceDiscoveryResponse] as const) {
          const r = processJsonAnswer<unknown>({ subject: 'discovery document', url: 'https://login.example/x?q=secret', read: decodeWith<unknown>(decoder, 'discovery document') })(response)
          expect(r._tag === 'Left' || r._tag === 'Right').toBe(true)
          if (r._tag === 'Left') expect(JSON.stringify(r.left)).not.toContain('q=secret')
        }
        expect(prototypeSnapshot()).toBe(before)
      }),
      { numRuns: 2_000 },
    )
  })

  it('deep nesting (to 100,000 levels) and huge strings (to 4 MiB) (40 runs): no throw, under 3 s each', () => {
    const before = prototypeSnapshot()
    const big = fc.oneof(
      deepJsonTextArb(),
      deepJsonTextArb(['metadata']),
      deepJsonTextArb(['issuer']),
      fc.tuple(fc.constantFrom('issuer', 'token_endpoint', 'tenant_discovery_endpoint', 'unknown'), hugeStringArb).map(([k, s]) => JSON.stringify({ [k]: s })),
      hugeStringArb.map((s) => JSON.stringify({ tenant_discovery_endpoint: `https://${s.slice(0, 1_000_000)}` })),
    )
    fc.assert(
      fc.property(big, (text) => {
        const started = performance.now()
        const u = parsed(text)
        decodeChecked(OpenIdConfiguration, u, before, 3_000, oidcPromise)
        decodeChecked(InstanceDiscoveryResponse, u, before, 3_000, instancePromise)
        expect(performance.now() - started).toBeLessThan(6_000)
      }),
      { numRuns: 40 },
    )
  })
})
