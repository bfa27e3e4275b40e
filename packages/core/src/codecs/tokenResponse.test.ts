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
import { answerArb, nearlyValidArb, sameAs } from './equivalence.testkit.js'
import { ErrorResponse, NonBlankString, PositiveSeconds, TokenResponse, readErrorResponse, readTokenResponse } from './tokenResponse.js'

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

const nearlyValidTokenArb = nearlyValidArb(
  fc.record({ access_token: fc.string({ minLength: 1 }).filter((s) => /\S/.test(s)), expires_in: fc.integer({ min: 1, max: 100_000 }), token_type: fc.constant('Bearer') }),
  TOKEN_FIELDS,
)
const nearlyValidErrorArb = nearlyValidArb(fc.record({ error: fc.string(), error_codes: fc.array(fc.integer(), { maxLength: 3 }) }), ERROR_FIELDS)
const same = sameAs

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

/** `read` gives what `decodeWith(reference, subject, hint)` gives for `u`: the same Either (messages included) and the same key order. */
const readsAs =
  (read: (u: unknown) => unknown, reference: D.Decoder<unknown, unknown>, subject: string, hint?: string) =>
  (u: unknown): void => {
    const a = read(u) as ReturnType<ReturnType<typeof decodeWith>>
    const b = decodeWith(reference, subject, hint)(u)
    expect(a).toStrictEqual(b)
    if (a._tag === 'Right' && b._tag === 'Right') expect(Object.keys(a.right as object)).toEqual(Object.keys(b.right as object))
  }

describe('the flat readers (readTokenResponse, readErrorResponse) read as the io-ts decoders do, without error trees', () => {
  it('readTokenResponse (4,000 runs): the same value, key order and first DecodeError (message and hint included) as the io-ts TokenResponse', () => {
    fc.assert(
      fc.property(fc.oneof(answerArb(TOKEN_FIELDS), nearlyValidTokenArb), readsAs(readTokenResponse('the hint'), ioTsTokenResponse, 'token response', 'the hint')),
      { numRuns: 4_000 },
    )
  })

  it('readErrorResponse (4,000 runs): the same value, key order and first DecodeError as the io-ts ErrorResponse, error_codes items included', () => {
    fc.assert(fc.property(fc.oneof(answerArb(ERROR_FIELDS), nearlyValidErrorArb), readsAs(readErrorResponse, ioTsErrorResponse, 'error response')), { numRuns: 4_000 })
  })

  it('examples: a normalised lifetime, unknown fields kept, and the failures named as decodeWith names them', () => {
    expect(readTokenResponse()({ access_token: 'at', expires_in: '3599.7', ext: 1 })).toStrictEqual({ _tag: 'Right', right: { access_token: 'at', expires_in: 3599, ext: 1 } })
    const miss = (r: { readonly _tag: string; readonly left?: { readonly path: string; readonly expected: string; readonly actual: string; readonly message: string } }) =>
      r.left === undefined ? undefined : [r.left.path, r.left.expected, r.left.actual, r.left.message]
    expect(miss(readTokenResponse('Retry.')({ access_token: 'a', refresh_in: -1 }))).toEqual([
      'refresh_in',
      'a positive number of seconds',
      'a number',
      'The token response could not be read: at "refresh_in" expected a positive number of seconds but got a number. Retry.',
    ])
    expect(miss(readTokenResponse()(null))?.slice(0, 3)).toEqual(['', 'Record<string, unknown>', 'null'])
    expect(miss(readErrorResponse({ error: 'x', error_codes: [1, Number.NaN] }))?.slice(0, 3)).toEqual(['error_codes', 'number', 'a number'])
    expect(miss(readErrorResponse({ error_description: 'no error field' }))?.slice(0, 3)).toEqual(['error', 'string', 'nothing (missing)'])
  })
})
