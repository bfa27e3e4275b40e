/**
 * What the equivalence tests of the hand-written decoders (`fieldsOf`, `arrayOf`) share:
 * answers with right, wrong, missing and undefined fields, and the check that two decoders
 * give the same `decodeWith` outcome (value with its key order, or first failure).
 *
 * @module
 */
import { expect } from 'vitest'
import * as fc from 'fast-check'
import type * as D from 'io-ts/Decoder'
import { decodeWith } from './decode.js'

/**
 * A field's value: right or wrong for any field of a wire answer, or `undefined`.
 *
 * @category testing
 * @since 0.1.0
 */
export const fieldValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '3599', ' 60 ', '-5', '0.5', '1e3', 'abc', 'https://login.example/t/oauth2/v2.0/token', 'http://x/', 'https://'),
  fc.double(),
  fc.integer({ min: -10, max: 100_000_000 }),
  fc.constantFrom(null, undefined, true, NaN, Infinity),
  fc.array(fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
)

/**
 * Objects with some of `fields` (and unknown ones, `__proto__` included), or any value at all.
 *
 * @category testing
 * @since 0.1.0
 */
export const answerArb = (fields: ReadonlyArray<string>, value: fc.Arbitrary<unknown> = fieldValueArb): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 6 }), fc.constant('__proto__')), value, { maxKeys: 12 }) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
  )

/**
 * `valid` with up to two of `fields` replaced by any {@link fieldValueArb}: reaches the failures past the first field.
 *
 * @category testing
 * @since 0.1.0
 */
export const nearlyValidArb = (valid: fc.Arbitrary<Record<string, unknown>>, fields: ReadonlyArray<string>): fc.Arbitrary<unknown> =>
  valid.chain((base) => fc.dictionary(fc.constantFrom(...fields), fieldValueArb, { maxKeys: 2 }).map((broken) => ({ ...base, ...broken })))

/**
 * Asserts that `hand` decodes `u` as `reference` does: the same `decodeWith` outcome, and the
 * same key order of a decoded object.
 *
 * @category testing
 * @since 0.1.0
 */
export const sameAs =
  (hand: D.Decoder<unknown, unknown>, reference: D.Decoder<unknown, unknown>) =>
  (u: unknown): void => {
    const a = decodeWith(hand, 'answer', 'hint')(u)
    const b = decodeWith(reference, 'answer', 'hint')(u)
    expect(a).toStrictEqual(b)
    if (a._tag === 'Right' && b._tag === 'Right') expect(Object.keys(a.right as object)).toEqual(Object.keys(b.right as object))
  }
