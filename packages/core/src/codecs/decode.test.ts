import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as D from 'io-ts/Decoder'
import * as DE from 'io-ts/DecodeError'
import * as FS from 'io-ts/FreeSemigroup'
import { arrayOf, decodeFailure, decodeSuccess, fieldsOf, numberDecoder, stringDecoder } from './decode.js'

const anyValue = fc.oneof(fc.anything({ maxDepth: 2 }), fc.double(), fc.constantFrom(Number.NaN, Infinity, -0, '', null, undefined))

describe('the io-ts primitives written out (no io-ts module in a bundle)', () => {
  it('stringDecoder, numberDecoder, decodeSuccess and decodeFailure answer exactly as io-ts (2,000 runs of any value)', () => {
    fc.assert(
      fc.property(anyValue, fc.string(), (u, expected) => {
        expect(stringDecoder.decode(u)).toStrictEqual(D.string.decode(u))
        expect(numberDecoder.decode(u)).toStrictEqual(D.number.decode(u))
        expect(decodeSuccess(u)).toStrictEqual(D.success(u))
        expect(decodeFailure(u, expected)).toStrictEqual(D.failure(u, expected))
      }),
      { numRuns: 2_000 },
    )
  })

  it('fieldsOf and arrayOf build the error trees of io-ts DecodeError (key, index, leaf)', () => {
    const fields = fieldsOf({ a: stringDecoder }, { b: arrayOf(numberDecoder) })
    expect(fields.decode({ a: 1 })).toStrictEqual(leftOf(FS.of(DE.key('a', DE.required, FS.of(DE.leaf(1, 'string'))))))
    expect(fields.decode({ a: 'x', b: [1, 'two'] })).toStrictEqual(
      leftOf(FS.of(DE.key('b', DE.optional, FS.of(DE.index(1, DE.optional, FS.of(DE.leaf('two', 'number'))))))),
    )
    expect(fields.decode([])).toStrictEqual(leftOf(FS.of(DE.leaf([], 'Record<string, unknown>'))))
    expect(fields.decode({ a: 'x', b: 3 })).toStrictEqual(leftOf(FS.of(DE.key('b', DE.optional, FS.of(DE.leaf(3, 'Array<unknown>'))))))
  })
})

const leftOf = <E>(left: E) => ({ _tag: 'Left', left })
