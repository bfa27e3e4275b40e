/**
 * `readFlatRecord` against `decodeWith(fieldsOf(...))`, the decoder it stands in for: for any
 * field tables (required and optional string, number and number-array fields) and any
 * input, the same Either, messages included, and the same key order.
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import type * as D from 'io-ts/Decoder'
import { arrayOf, decodeWith, fieldsOf, numberDecoder, stringDecoder } from './decode.js'
import { arrayCheck, checkOf, readFlatRecord, type FieldCheck } from './flatRecord.js'
import { fieldValueArb } from './equivalence.testkit.js'

const kinds = {
  string: [checkOf((u) => typeof u === 'string', 'string'), stringDecoder],
  number: [checkOf((u) => typeof u === 'number' && !Number.isNaN(u), 'number'), numberDecoder],
  numbers: [arrayCheck(checkOf((u) => typeof u === 'number' && !Number.isNaN(u), 'number')), arrayOf(numberDecoder)],
} as const satisfies Record<string, readonly [FieldCheck, D.Decoder<unknown, unknown>]>
type Kind = keyof typeof kinds

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f']
const tableArb = fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom<Kind>('string', 'number', 'numbers'), { maxKeys: 3 })
const inputArb = fc.oneof(
  fc.dictionary(fc.constantFrom(...NAMES, 'other'), fc.oneof(fieldValueArb, fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(Number.NaN)), { maxLength: 3 }))),
  fieldValueArb,
)
const checks = (t: Record<string, Kind>) => Object.fromEntries(Object.entries(t).map(([k, kind]) => [k, kinds[kind][0]]))
const decoders = (t: Record<string, Kind>) => Object.fromEntries(Object.entries(t).map(([k, kind]) => [k, kinds[kind][1]]))

describe('readFlatRecord', () => {
  it('reads as decodeWith(fieldsOf(required, optional)) for any tables and input (3,000 runs): the same Either and key order', () => {
    fc.assert(
      fc.property(tableArb, tableArb, inputArb, (required, optionalAll, u) => {
        const optional = Object.fromEntries(Object.entries(optionalAll).filter(([k]) => !(k in required)))
        const a = readFlatRecord(checks(required), checks(optional), 'answer', 'hint')(u)
        const b = decodeWith(fieldsOf(decoders(required), decoders(optional)), 'answer', 'hint')(u)
        expect(a).toStrictEqual(b)
        if (a._tag === 'Right' && b._tag === 'Right') expect(Object.keys(a.right as object)).toEqual(Object.keys(b.right as object))
      }),
      { numRuns: 3_000 },
    )
  })

  it('names the failing item of an array by its value, at the array field', () => {
    const r = readFlatRecord({ codes: kinds.numbers[0] }, {}, 'error response')({ codes: [1, 'two'] })
    expect(r._tag === 'Left' && [r.left.path, r.left.expected, r.left.actual]).toEqual(['codes', 'number', 'a string'])
  })
})
