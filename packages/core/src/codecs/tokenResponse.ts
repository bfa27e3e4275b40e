/**
 * io-ts codecs for the token endpoint's answers (RFC 6749 §5.1 / §5.2 plus Entra's fields).
 *
 * @module
 */
import * as t from 'io-ts'

/**
 * A number, or a string holding one (Entra and ADFS send both for `expires_in`).
 *
 * @category codecs
 * @since 0.1.0
 */
export const NumberLike = new t.Type<number, number, unknown>(
  'NumberLike',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    if (typeof u === 'number' && Number.isFinite(u)) return t.success(u)
    if (typeof u === 'string' && /^-?\d+(\.\d+)?$/.test(u.trim())) return t.success(Number(u))
    return t.failure(u, c)
  },
  (n) => n,
)

/**
 * A successful token answer. Unknown fields are kept (io-ts `type` does not strip on decode).
 *
 * @category codecs
 * @since 0.1.0
 */
export const TokenResponse = t.intersection([
  t.type({
    access_token: t.string,
  }),
  t.partial({
    token_type: t.string,
    expires_in: NumberLike,
    ext_expires_in: NumberLike,
    refresh_in: NumberLike,
    scope: t.string,
    refresh_token: t.string,
    id_token: t.string,
    client_info: t.string,
    foci: t.string,
    refresh_token_expires_in: NumberLike,
  }),
])

/**
 * A decoded successful token answer.
 *
 * @category model
 * @since 0.1.0
 */
export type TokenResponse = t.TypeOf<typeof TokenResponse>

/**
 * An OAuth2 error answer with Entra's extra fields.
 *
 * @category codecs
 * @since 0.1.0
 */
export const ErrorResponse = t.intersection([
  t.type({ error: t.string }),
  t.partial({
    error_description: t.string,
    error_codes: t.array(t.number),
    suberror: t.string,
    correlation_id: t.string,
    trace_id: t.string,
    timestamp: t.string,
    error_uri: t.string,
    claims: t.string,
  }),
])

/**
 * A decoded OAuth2 error answer.
 *
 * @category model
 * @since 0.1.0
 */
export type ErrorResponse = t.TypeOf<typeof ErrorResponse>
