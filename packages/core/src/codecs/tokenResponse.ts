/**
 * io-ts decoders for the token endpoint's answers (RFC 6749 §5.1 / §5.2 plus Entra's fields).
 * Field decoders from `io-ts/Decoder`; the two answers' object shapes by {@link fieldsOf}
 * (hand-written, equivalent to io-ts's struct and partial, proved in tokenResponse.test.ts),
 * which keeps io-ts's struct machinery out of every bundle that sends token requests.
 *
 * @module
 */
import type * as D from 'io-ts/Decoder'
import type { Either } from 'fp-ts/Either'
import type { DecodeError } from '../errors/errors.js'
import { arrayOf, decodeFailure, decodeSuccess, fieldsOf, numberDecoder, stringDecoder } from './decode.js'
import { arrayCheck, checkOf, readFlatRecord, type FieldCheck } from './flatRecord.js'

/**
 * A number, or a string holding one (Entra and ADFS send both for `expires_in`).
 *
 * @category codecs
 * @since 0.1.0
 */
export const NumberLike: D.Decoder<unknown, number> = {
  decode: (u) =>
    typeof u === 'number' && Number.isFinite(u)
      ? decodeSuccess(u)
      : typeof u === 'string' && /^-?\d+(\.\d+)?$/.test(u.trim())
        ? decodeSuccess(Number(u))
        : decodeFailure(u, 'NumberLike'),
}

/**
 * The longest lifetime authfold believes: 365 days. A longer `expires_in` (an answer of
 * 1e308 would otherwise keep a token for ever and be written as `"1e+308"`, which MSAL
 * Python cannot read) is shortened to it, so the token is asked again sooner, never later.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_LIFETIME_SECONDS = 31_536_000

/**
 * A number of seconds (a number or a numeric string) that is more than zero, as a whole
 * number of seconds no larger than {@link MAX_LIFETIME_SECONDS}: fractions are dropped.
 *
 * @category codecs
 * @since 0.1.0
 */
export const PositiveSeconds: D.Decoder<unknown, number> = {
  decode: (u) => {
    const n = NumberLike.decode(u)
    if (n._tag === 'Left') return n
    const whole = Math.floor(n.right)
    return whole >= 1 ? decodeSuccess(Math.min(whole, MAX_LIFETIME_SECONDS)) : decodeFailure(u, 'a positive number of seconds')
  },
}

/**
 * A string with at least one character that is not white space.
 *
 * @category codecs
 * @since 0.1.0
 */
export const NonBlankString: D.Decoder<unknown, string> = {
  decode: (u) => (typeof u === 'string' && /\S/.test(u) ? decodeSuccess(u) : decodeFailure(u, 'a non-empty string')),
}

/**
 * A successful token answer. Unknown fields are kept. A blank `access_token` is refused,
 * and so is an `expires_in` of zero or less; lifetimes are whole seconds, at most
 * {@link MAX_LIFETIME_SECONDS}.
 *
 * @category codecs
 * @since 0.1.0
 */
export const TokenResponse = /*#__PURE__*/ fieldsOf(
  { access_token: NonBlankString },
  {
    token_type: stringDecoder,
    expires_in: PositiveSeconds,
    ext_expires_in: PositiveSeconds,
    refresh_in: PositiveSeconds,
    scope: stringDecoder,
    refresh_token: stringDecoder,
    id_token: stringDecoder,
    client_info: stringDecoder,
    foci: stringDecoder,
    refresh_token_expires_in: PositiveSeconds,
  },
)

/**
 * A decoded successful token answer.
 *
 * @category model
 * @since 0.1.0
 */
export type TokenResponse = D.TypeOf<typeof TokenResponse>

/**
 * An OAuth2 error answer with Entra's extra fields. Unknown fields are kept.
 *
 * @category codecs
 * @since 0.1.0
 */
export const ErrorResponse = /*#__PURE__*/ fieldsOf(
  { error: stringDecoder },
  {
    error_description: stringDecoder,
    error_codes: /*#__PURE__*/ arrayOf(numberDecoder),
    suberror: stringDecoder,
    correlation_id: stringDecoder,
    trace_id: stringDecoder,
    timestamp: stringDecoder,
    error_uri: stringDecoder,
    claims: stringDecoder,
  },
)

/**
 * A decoded OAuth2 error answer.
 *
 * @category model
 * @since 0.1.0
 */
export type ErrorResponse = D.TypeOf<typeof ErrorResponse>

const textCheck: FieldCheck = /*#__PURE__*/ checkOf((u) => typeof u === 'string', 'string')

const secondsCheck: FieldCheck = (u) => {
  const n = NumberLike.decode(u)
  if (n._tag === 'Left') return { expected: 'NumberLike', actual: u }
  const whole = Math.floor(n.right)
  return whole >= 1 ? [Math.min(whole, MAX_LIFETIME_SECONDS)] : { expected: 'a positive number of seconds', actual: u }
}

// The field checks of the two readers, built once (in the order of the decoders above: the
// first failure is reported in that order).
const TOKEN_REQUIRED: Readonly<Record<string, FieldCheck>> = { access_token: /*#__PURE__*/ checkOf((u) => typeof u === 'string' && /\S/.test(u), 'a non-empty string') }
const TOKEN_OPTIONAL: Readonly<Record<string, FieldCheck>> = {
  token_type: textCheck,
  expires_in: secondsCheck,
  ext_expires_in: secondsCheck,
  refresh_in: secondsCheck,
  scope: textCheck,
  refresh_token: textCheck,
  id_token: textCheck,
  client_info: textCheck,
  foci: textCheck,
  refresh_token_expires_in: secondsCheck,
}
const ERROR_REQUIRED: Readonly<Record<string, FieldCheck>> = { error: textCheck }
const ERROR_OPTIONAL: Readonly<Record<string, FieldCheck>> = {
  error_description: textCheck,
  error_codes: /*#__PURE__*/ arrayCheck(/*#__PURE__*/ checkOf((x) => typeof x === 'number' && !Number.isNaN(x), 'number')),
  suberror: textCheck,
  correlation_id: textCheck,
  trace_id: textCheck,
  timestamp: textCheck,
  error_uri: textCheck,
  claims: textCheck,
}

/**
 * Reads a token endpoint's successful answer as {@link TokenResponse} decodes it (the same
 * values and the same first `DecodeError`, property-tested), without io-ts's error trees:
 * what `processTokenResponse` runs.
 *
 * @example
 * ```ts
 * import { readTokenResponse } from '@authfold/core'
 *
 * readTokenResponse('The token endpoint did not return a usable token.')({ access_token: 'eyJ0...', expires_in: '3599' })
 * // Right: { access_token: 'eyJ0...', expires_in: 3599 }
 * ```
 * @category codecs
 * @since 0.1.0
 */
export const readTokenResponse = (hint = ''): ((u: unknown) => Either<DecodeError, TokenResponse>) =>
  readFlatRecord<TokenResponse>(TOKEN_REQUIRED, TOKEN_OPTIONAL, 'token response', hint)

/**
 * Reads an OAuth error answer as {@link ErrorResponse} decodes it (the same values and the
 * same first `DecodeError`, property-tested), without io-ts's error trees: what
 * `processJsonAnswer` runs on every answer with an `error` field.
 *
 * @example
 * ```ts
 * import { readErrorResponse } from '@authfold/core'
 *
 * readErrorResponse({ error: 'invalid_client', error_codes: [7000215] })
 * // Right: { error: 'invalid_client', error_codes: [7000215] }
 * ```
 * @category codecs
 * @since 0.1.0
 */
export const readErrorResponse = (u: unknown): Either<DecodeError, ErrorResponse> => readFlatRecord<ErrorResponse>(ERROR_REQUIRED, ERROR_OPTIONAL, 'error response')(u)
