/**
 * The token and error answer decoders are hand-written (`fieldsOf`, `arrayOf`) to keep io-ts's
 * struct machinery out of the bundles; this proves them equivalent to the io-ts decoders they
 * replace (kept here as the reference): the same decoded value, and the same `DecodeError`
 * (path, expected, actual) from `decodeWith`, for any input.
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as D from 'io-ts/Decoder'
import { pipe } from 'fp-ts/function'
import { decodeWith, keepUnknownFields } from './decode.js'
import { ErrorResponse, NonBlankString, PositiveSeconds, TokenResponse } from './tokenResponse.js'

const ioTsTokenResponse = keepUnknownFields(
  pipe(
    D.struct({ access_token: NonBlankString }),
    D.intersect(
      D.partial({
        token_type: D.string,
        expires_in: PositiveSeconds,
        ext_expires_in: PositiveSeconds,
        refresh_in: PositiveSeconds,
        scope: D.string,
        refresh_token: D.string,
        id_token: D.string,
        client_info: D.string,
        foci: D.string,
        refresh_token_expires_in: PositiveSeconds,
      }),
    ),
  ),
)

const ioTsErrorResponse = keepUnknownFields(
  pipe(
    D.struct({ error: D.string }),
    D.intersect(
      D.partial({
        error_description: D.string,
        error_codes: D.array(D.number),
        suberror: D.string,
        correlation_id: D.string,
        trace_id: D.string,
        timestamp: D.string,
        error_uri: D.string,
        claims: D.string,
      }),
    ),
  ),
)

const TOKEN_FIELDS = ['access_token', 'token_type', 'expires_in', 'ext_expires_in', 'refresh_in', 'scope', 'refresh_token', 'id_token', 'client_info', 'foci', 'refresh_token_expires_in']
const ERROR_FIELDS = ['error', 'error_description', 'error_codes', 'suberror', 'correlation_id', 'trace_id', 'timestamp', 'error_uri', 'claims']

/** A field's value: right or wrong for any of the fields, or missing, or undefined. */
const fieldValueArb = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '3599', ' 60 ', '-5', '0.5', '1e3', 'abc'),
  fc.double(),
  fc.integer({ min: -10, max: 100_000_000 }),
  fc.constantFrom(null, undefined, true, NaN, Infinity),
  fc.array(fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
)
const answerArb = (fields: ReadonlyArray<string>) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 6 }), fc.constant('__proto__')), fieldValueArb, { maxKeys: 12 }) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
  )
/** Mostly valid answers with one or two fields broken, so the failures past the first field are reached too. */
const nearlyValidTokenArb = fc
  .record({ access_token: fc.string({ minLength: 1 }).filter((s) => /\S/.test(s)), expires_in: fc.integer({ min: 1, max: 100_000 }), token_type: fc.constant('Bearer') })
  .chain((base) => fc.dictionary(fc.constantFrom(...TOKEN_FIELDS), fieldValueArb, { maxKeys: 2 }).map((broken) => ({ ...base, ...broken })))
const nearlyValidErrorArb = fc
  .record({ error: fc.string(), error_codes: fc.array(fc.integer(), { maxLength: 3 }) })
  .chain((base) => fc.dictionary(fc.constantFrom(...ERROR_FIELDS), fieldValueArb, { maxKeys: 2 }).map((broken) => ({ ...base, ...broken })))

const same = (hand: D.Decoder<unknown, unknown>, reference: D.Decoder<unknown, unknown>) => (u: unknown) => {
  const a = decodeWith(hand, 'answer', 'hint')(u)
  const b = decodeWith(reference, 'answer', 'hint')(u)
  expect(a).toStrictEqual(b)
  if (a._tag === 'Right' && b._tag === 'Right') expect(Object.keys(a.right as object)).toEqual(Object.keys(b.right as object))
}

describe('the hand-written answer decoders decode as the io-ts ones did', () => {
  it('TokenResponse (4,000 runs): the same value (key order too) or the same first failure', () => {
    fc.assert(fc.property(fc.oneof(answerArb(TOKEN_FIELDS), nearlyValidTokenArb), same(TokenResponse, ioTsTokenResponse)), { numRuns: 4_000 })
  })

  it('ErrorResponse (4,000 runs): the same value or the same first failure, error_codes items included', () => {
    fc.assert(fc.property(fc.oneof(answerArb(ERROR_FIELDS), nearlyValidErrorArb), same(ErrorResponse, ioTsErrorResponse)), { numRuns: 4_000 })
  })

  it('examples, with the failures as MSAL callers read them', () => {
    expect(decodeWith(TokenResponse, 'token response')({ access_token: 'at', expires_in: '3599', ext: 1 })).toStrictEqual({
      _tag: 'Right',
      right: { access_token: 'at', expires_in: 3599, ext: 1 },
    })
    const fails = (d: D.Decoder<unknown, unknown>, u: unknown) => {
      const r = decodeWith(d, 's')(u)
      return r._tag === 'Left' ? [r.left.path, r.left.expected, r.left.actual] : undefined
    }
    expect(fails(TokenResponse, [])).toEqual(['', 'Record<string, unknown>', 'an array'])
    expect(fails(TokenResponse, { access_token: ' ', expires_in: 0 })).toEqual(['access_token', 'a non-empty string', 'a string'])
    expect(fails(TokenResponse, { access_token: 'a', expires_in: 0, scope: 1 })).toEqual(['expires_in', 'a positive number of seconds', 'a number'])
    expect(fails(ErrorResponse, { error: 'x', error_codes: [1, 'b'] })).toEqual(['error_codes', 'number', 'a string'])
    expect(fails(ErrorResponse, { error: 'x', error_codes: 7 })).toEqual(['error_codes', 'Array<unknown>', 'a number'])
  })
})
