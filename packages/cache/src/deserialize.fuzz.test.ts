/**
 * Fuzzing `deserialize` with hostile cache documents: sections, entry keys and fields named
 * `__proto__`, `constructor`, `prototype` at every level, MSAL's own field names with
 * hostile values, broken copies of real MSAL caches, lone surrogates, deep nesting and huge
 * strings. It never throws, answers a Left or a Right in bounded time, pollutes no
 * prototype, never puts a secret into its error; and what it loads can be saved, loads
 * again to the same text, and keeps every section and entry it was given.
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import {
  POISON_KEYS,
  hostileDocumentTextArb,
  hostileJsonTextArb,
  hostileStringArb,
  msalCacheJsonArb,
  mutatedTextArb,
  oversizedCacheTextArb,
  prototypeSnapshot,
} from '@authfold/testing'
import { deserialize } from './deserialize.js'
import { serialize } from './serialize.js'

/** A secret that must never reach an error. */
const MARKER = 'marker-secret-Hq93kPz0'
const SECTIONS = ['AccessToken', 'RefreshToken', 'IdToken', 'Account', 'AppMetadata']
const FIELDS = [
  'credential_type',
  'secret',
  'home_account_id',
  'environment',
  'client_id',
  'realm',
  'target',
  'token_type',
  'cached_at',
  'expires_on',
  'extended_expires_on',
  'refresh_on',
  'key_id',
  'ext_cache_key',
  'family_id',
  'last_modification_time',
  'local_account_id',
  'username',
  'authority_type',
]
const GOOD: Readonly<Record<string, string>> = {
  credential_type: '"AccessToken"',
  secret: JSON.stringify(MARKER),
  home_account_id: 'null',
  environment: '"login.microsoftonline.com"',
  client_id: '"app"',
  realm: '"tenant"',
  target: '"api://x/.default"',
  cached_at: '"1700000000"',
  expires_on: '"1700003600"',
  authority_type: '"MSSTS"',
  local_account_id: '"l"',
}

const entryKeyArb = fc.oneof(fc.constantFrom(...POISON_KEYS, 'k1', 'k2'), hostileStringArb)
const sectionNameArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...SECTIONS) }, { weight: 1, arbitrary: fc.constantFrom(...POISON_KEYS, 'customized') }, { weight: 1, arbitrary: hostileStringArb })
const sectionArb = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(entryKeyArb, hostileDocumentTextArb(FIELDS, GOOD)), { maxLength: 4 }).map((es) => `{${es.map(([k, e]) => `${JSON.stringify(k)}:${e}`).join(',')}}`) },
  { weight: 1, arbitrary: hostileJsonTextArb({ keys: FIELDS, maxDepth: 3 }) },
)
/** A cache document: MSAL's sections (or other names) of hostile entries. */
const cacheDocumentArb = fc.array(fc.tuple(sectionNameArb, sectionArb), { maxLength: 6 }).map((ss) => `{${ss.map(([k, s]) => `${JSON.stringify(k)}:${s}`).join(',')}}`)

const inputArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: cacheDocumentArb },
  { weight: 2, arbitrary: hostileJsonTextArb({ keys: [...SECTIONS, ...FIELDS], maxDepth: 5 }) },
  { weight: 2, arbitrary: msalCacheJsonArb(3).chain(mutatedTextArb) },
  { weight: 1, arbitrary: hostileStringArb },
)

const objectOrUndefined = (text: string): Readonly<Record<string, unknown>> | undefined => {
  try {
    const u = JSON.parse(text) as unknown
    return typeof u === 'object' && u !== null && !Array.isArray(u) ? (u as Readonly<Record<string, unknown>>) : undefined
  } catch {
    return undefined
  }
}

describe('deserialize under fuzzing', () => {
  it('hostile cache documents (2,000 runs): no throw, a Left or a Right under 1 s (a hang, not a slowdown), no pollution, no secret in errors; what loads saves, reloads to the same text, and keeps every section and entry', () => {
    const before = prototypeSnapshot()
    const seen = { left: 0, right: 0, nonEmpty: 0 }
    fc.assert(
      fc.property(inputArb, (text) => {
        const started = performance.now()
        const r = deserialize(text)
        expect(performance.now() - started).toBeLessThan(1_000)
        expect(prototypeSnapshot()).toBe(before)
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
        if (r._tag === 'Left') {
          seen.left++
          expect(r.left._tag).toBe('DecodeError')
          expect(typeof r.left.path).toBe('string')
          expect(JSON.stringify(r.left)).not.toContain(MARKER)
          return
        }
        expect(r._tag).toBe('Right')
        seen.right++
        const saved = serialize(r.right)
        const again = deserialize(saved)
        expect(again._tag).toBe('Right')
        if (again._tag === 'Right') expect(serialize(again.right)).toBe(saved)
        expect(prototypeSnapshot()).toBe(before)
        const input = objectOrUndefined(text)
        const output = objectOrUndefined(saved) ?? {}
        if (input === undefined) return
        const lost = Object.keys(input).filter((key) => !Object.prototype.hasOwnProperty.call(output, key))
        for (const section of SECTIONS) {
          const given = input[section]
          if (typeof given !== 'object' || given === null) continue
          const kept = (output[section] ?? {}) as object
          lost.push(...Object.keys(given).filter((key) => !Object.prototype.hasOwnProperty.call(kept, key)).map((key) => `${section}.${key}`))
          if (Object.keys(given).length > 0) seen.nonEmpty++
        }
        expect(lost).toEqual([])
      }),
      { numRuns: 2_000 },
    )
    // the fuzzer reached both outcomes, and caches with entries in them
    expect(seen.left).toBeGreaterThan(100)
    expect(seen.right).toBeGreaterThan(100)
    expect(seen.nonEmpty).toBeGreaterThan(50)
  })

  it('deep nesting (to 100,000 levels) and huge strings (to 4 MiB) (60 runs): no throw, a Left or a Right under 3 s, no pollution', () => {
    const before = prototypeSnapshot()
    fc.assert(
      fc.property(oversizedCacheTextArb, (text) => {
        const started = performance.now()
        const r = deserialize(text)
        expect(performance.now() - started).toBeLessThan(3_000)
        expect(r._tag === 'Left' || r._tag === 'Right').toBe(true)
        expect(prototypeSnapshot()).toBe(before)
      }),
      { numRuns: 60 },
    )
  })
})
