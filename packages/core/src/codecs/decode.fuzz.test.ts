/**
 * Fuzzing the pieces every JSON answer goes through: `parseJson`, the field decoders
 * (`NumberLike`, `PositiveSeconds`, `NonBlankString`), `keepUnknownFields`, `describeValue`,
 * and the error answer decoder (`ErrorResponse`, `toProtocolError`). None throws on any
 * input; a kept unknown `__proto__` field stays a plain own field (the result's prototype
 * is `Object.prototype`), and a message never carries a control or escape character.
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { hostileDocumentTextArb, hostileJsonTextArb, hostileStringArb, mutatedTextArb, prototypeSnapshot } from '@authfold/testing'
import { describeValue, keepUnknownFields, parseJson } from './decode.js'
import { toProtocolError } from './processJsonAnswer.js'
import { ErrorResponse, MAX_LIFETIME_SECONDS, NonBlankString, NumberLike, PositiveSeconds, TokenResponse } from './tokenResponse.js'

const anyValueArb = fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true, withObjectString: true, withBigInt: true, withDate: true, withMap: true, withSet: true, maxDepth: 3 })
const ERROR_FIELDS = ['error', 'error_description', 'error_codes', 'suberror', 'correlation_id', 'trace_id', 'timestamp', 'error_uri', 'claims']
const GOOD_ERROR: Readonly<Record<string, string>> = { error: '"invalid_grant"', error_codes: '[50126]', suberror: '"bad_token"' }

describe('JSON answer building blocks under fuzzing', () => {
  it('parseJson (3,000 runs of hostile and broken text): a Left or a Right, never a throw, no pollution', () => {
    const before = prototypeSnapshot()
    const text = fc.oneof(hostileJsonTextArb(), hostileStringArb, mutatedTextArb('{"access_token":"x","expires_in":3599}'))
    fc.assert(
      fc.property(text, (t) => {
        const r = parseJson(t, 'answer')
        expect(r._tag === 'Left' || r._tag === 'Right').toBe(true)
        if (r._tag === 'Left') expect(r.left.message).not.toContain(t.length > 12 ? t : '\u0000never')
        expect(prototypeSnapshot()).toBe(before)
      }),
      { numRuns: 3_000 },
    )
  })

  it('field decoders and describeValue (2,000 runs of any value): no throw; numbers finite, seconds whole and bounded, strings non-blank', () => {
    fc.assert(
      fc.property(fc.oneof(anyValueArb, hostileStringArb, fc.double()), (u) => {
        const n = NumberLike.decode(u)
        if (n._tag === 'Right') expect(Number.isFinite(n.right)).toBe(true)
        const s = PositiveSeconds.decode(u)
        if (s._tag === 'Right') expect(Number.isInteger(s.right) && s.right >= 1 && s.right <= MAX_LIFETIME_SECONDS).toBe(true)
        const b = NonBlankString.decode(u)
        if (b._tag === 'Right') expect(b.right.trim()).not.toBe('')
        expect(typeof describeValue(u)).toBe('string')
      }),
      { numRuns: 2_000 },
    )
  })

  it('keepUnknownFields (2,000 runs): "__proto__", "constructor" and "prototype" fields stay plain own fields; the result is a plain object', () => {
    const before = prototypeSnapshot()
    fc.assert(
      fc.property(hostileJsonTextArb({ keys: ['access_token'], maxDepth: 3 }), (text) => {
        const u = JSON.parse(text) as unknown
        const r = keepUnknownFields(TokenResponse).decode(u)
        if (r._tag === 'Right') {
          expect(Object.getPrototypeOf(r.right)).toBe(Object.prototype)
          for (const k of Object.keys(u as object)) expect(Object.prototype.hasOwnProperty.call(r.right, k)).toBe(true)
        }
        expect(prototypeSnapshot()).toBe(before)
      }),
      { numRuns: 2_000 },
    )
  })

  it('ErrorResponse and toProtocolError (2,000 runs of hostile error answers): a ProtocolError whose message has no control or escape character', () => {
    const before = prototypeSnapshot()
    fc.assert(
      fc.property(hostileDocumentTextArb(ERROR_FIELDS, GOOD_ERROR), fc.integer({ min: 0, max: 999 }), (text, status) => {
        const r = ErrorResponse.decode(JSON.parse(text) as unknown)
        if (r._tag === 'Left') return
        const e = toProtocolError(status, r.right)
        expect(e).toMatchObject({ _tag: 'ProtocolError', code: 'oauth_error', status })
        expect(e.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u001b]/)
        expect(prototypeSnapshot()).toBe(before)
      }),
      { numRuns: 2_000 },
    )
  })
})
