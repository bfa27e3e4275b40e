/**
 * Fuzzing `appTokenCacheFromJson` with hostile documents, broken copies of real MSAL caches,
 * arbitrary strings, deep nesting and huge strings: it never throws, answers in bounded
 * time, pollutes no prototype, and answers what `deserialize` answers: the same
 * `Left(DecodeError)`, or a Right that `appTokenCacheToJson` writes as `serialize` writes
 * the full cache, and that the table can then be written to and looked up in without a throw.
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { POISON_KEYS, hostileDocumentTextArb, hostileJsonTextArb, hostileStringArb, msalCacheJsonArb, mutatedTextArb, oversizedCacheTextArb, prototypeSnapshot } from '@authfold/testing'
import { appTokenCacheFromJson, appTokenCacheToJson, findAppToken, putAppToken } from './appTokenTable.js'
import { deserialize } from './deserialize.js'
import { serialize } from './serialize.js'

const SECTIONS = ['AccessToken', 'RefreshToken', 'IdToken', 'Account', 'AppMetadata']
const FIELDS = ['credential_type', 'secret', 'home_account_id', 'environment', 'client_id', 'realm', 'target', 'token_type', 'expires_on', 'refresh_on', 'key_id', 'family_id']
const GOOD: Readonly<Record<string, string>> = {
  credential_type: '"AccessToken"',
  secret: '"s"',
  environment: '"login.microsoftonline.com"',
  client_id: '"app"',
  realm: '"tenant"',
  target: '"api://x/.default"',
  expires_on: '"1900000000"',
}
const keyArb = fc.oneof(fc.constantFrom(...POISON_KEYS, ...SECTIONS, 'k1', 'customized'), hostileStringArb)
const sectionArb = fc.array(fc.tuple(keyArb, hostileDocumentTextArb(FIELDS, GOOD)), { maxLength: 4 }).map((es) => `{${es.map(([k, e]) => `${JSON.stringify(k)}:${e}`).join(',')}}`)
const documentArb = fc.array(fc.tuple(keyArb, fc.oneof(sectionArb, hostileJsonTextArb({ keys: FIELDS, maxDepth: 3 }))), { maxLength: 6 }).map((ss) => `{${ss.map(([k, s]) => `${JSON.stringify(k)}:${s}`).join(',')}}`)

const inputArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: documentArb },
  { weight: 2, arbitrary: hostileJsonTextArb({ keys: [...SECTIONS, ...FIELDS], maxDepth: 5 }) },
  { weight: 2, arbitrary: msalCacheJsonArb(3).chain(mutatedTextArb) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: hostileStringArb },
)

/** Reads `text` with the table and with the full cache: the same answer, and the table still works. */
const checkAgainstFull = (text: string, maxMs: number): 'Left' | 'Right' => {
  const started = performance.now()
  const r = appTokenCacheFromJson(text)
  expect(performance.now() - started).toBeLessThan(maxMs)
  const full = deserialize(text)
  if (r._tag === 'Left') {
    expect(r.left._tag).toBe('DecodeError')
    expect(r).toStrictEqual(full)
    return 'Left'
  }
  expect(full._tag).toBe('Right')
  if (full._tag === 'Right') expect(appTokenCacheToJson(r.right)).toBe(serialize(full.right))
  const query = { clientId: 'app', environments: ['login.microsoftonline.com'], realm: 'tenant', scopes: ['api://x/.default'] }
  findAppToken(r.right, query, 1_800_000_000)
  const put = putAppToken(r.right, { clientId: 'app', environment: 'login.microsoftonline.com', realm: 'tenant', scopes: ['api://x/.default'], response: { access_token: 'at' }, nowSeconds: 1_800_000_000 })
  expect(findAppToken(put, query, 1_800_000_000)?.secret).toBe('at')
  return 'Right'
}

describe('appTokenCacheFromJson under fuzzing', () => {
  it('hostile documents, mutated MSAL caches and arbitrary strings (2,000 runs): no throw, under 1 s, no pollution, the answer deserialize gives', () => {
    const before = prototypeSnapshot()
    const seen = { Left: 0, Right: 0 }
    fc.assert(
      fc.property(inputArb, (text) => {
        seen[checkAgainstFull(text, 1_000)]++
        expect(prototypeSnapshot()).toBe(before)
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
      }),
      { numRuns: 2_000 },
    )
    expect(seen.Left).toBeGreaterThan(100)
    expect(seen.Right).toBeGreaterThan(100)
  })

  it('deep nesting (to 100,000 levels) and huge strings and keys (to 4 MiB) (40 runs): no throw, under 3 s, no pollution, the answer deserialize gives', () => {
    const before = prototypeSnapshot()
    fc.assert(
      fc.property(oversizedCacheTextArb, (text) => {
        checkAgainstFull(text, 3_000)
        expect(prototypeSnapshot()).toBe(before)
      }),
      { numRuns: 40 },
    )
  })
})
