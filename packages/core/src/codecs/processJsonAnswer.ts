/**
 * The one processor of JSON answers: token answers, discovery documents, and every later
 * endpoint (device code, user realm, instance metadata) go through it, so they all read
 * errors the same way (oauth4webapi's `process…Response`).
 *
 * @module
 */
import type { Either } from 'fp-ts/Either'
import { left } from '../errors/either.js'
import { readErrorResponse, type ErrorResponse } from './tokenResponse.js'
import { parseJson } from './decode.js'
import { printableText } from '../errors/printable.js'
import { httpError, stripQuery, type AuthError, type DecodeError, type ProtocolError } from '../errors/errors.js'
import type { HttpResponse } from '../http/http.js'

/**
 * What {@link processJsonAnswer} reads: the answer's subject (for messages), where it
 * came from, and the reader of a successful answer's JSON (`decodeWith(decoder, subject,
 * hint)` for an io-ts decoder, or a hand-written reader such as `readTokenResponse`).
 *
 * @category model
 * @since 0.1.0
 */
export interface JsonAnswerSpec<A> {
  /** What the answer is, e.g. `token response`, `OpenID configuration`. */
  readonly subject: string
  /** The URL the answer came from (its query is never shown). */
  readonly url: string
  /** Reads the JSON of an answer that is not an OAuth error; its Left is the answer's `DecodeError`. */
  readonly read: (json: unknown) => Either<DecodeError, A>
}

const SUPPRESSED_SUBERRORS: ReadonlySet<string> = new Set([
  'bad_token',
  'token_expired',
  'protection_policy_required',
  'client_mismatch',
  'device_authentication_failed',
])

/** Advice for the IdP's common error codes, appended to the message. */
const ADVICE: Readonly<Record<string, string>> = {
  invalid_client: 'Check the client id and credential (secret value, certificate thumbprint, assertion audience).',
  unauthorized_client: 'The app registration does not allow this grant; check its settings.',
  invalid_scope: 'Check the scopes; client credentials needs exactly one "<resource>/.default".',
  invalid_grant: 'The grant (code, refresh token, assertion) is invalid or expired; sign in again.',
  interaction_required: 'Interactive sign-in is needed; call an interactive flow.',
  invalid_request: 'The request is malformed; check the parameters.',
  temporarily_unavailable: 'The service is busy; retry later.',
}

/**
 * The fields of an error answer a {@link ProtocolError} carries (camelCased: `error_codes`
 * becomes `errorCodes`), in this order; a `suberror` also sets `classification`.
 */
const CARRIED_FIELDS = ['error_description', 'error_codes', 'suberror', 'correlation_id', 'trace_id', 'timestamp', 'claims', 'error_uri'] as const

const camelCase = (name: string): string => name.replace(/_(.)/g, (_, c: string) => c.toUpperCase())

/**
 * Builds a {@link ProtocolError} from a decoded OAuth2 error answer, keeping every field
 * of the answer in `response`. `classification` follows MSAL: the suberror, except the
 * ones MSAL suppresses (which become empty).
 *
 * @category token
 * @since 0.1.0
 * @see RFC 6749 §5.2
 */
export const toProtocolError = (status: number, e: ErrorResponse): ProtocolError => {
  const firstLine = printableText(e.error_description ?? '')
  const error: { -readonly [K in keyof ProtocolError]: ProtocolError[K] } = {
    _tag: 'ProtocolError',
    code: 'oauth_error',
    status,
    error: e.error,
    message: `The identity provider refused the request: ${printableText(e.error, 100)}${firstLine === '' ? '' : ` (${firstLine})`}. ${ADVICE[e.error] ?? 'See errorDescription.'}`,
    response: e,
  }
  const carried: Record<string, unknown> = error
  for (const name of CARRIED_FIELDS) {
    const value = e[name]
    if (value === undefined) continue
    carried[camelCase(name)] = value
    if (name === 'suberror') carried['classification'] = SUPPRESSED_SUBERRORS.has(String(value)) ? '' : value
  }
  return error
}

/**
 * Seconds from a `Retry-After` header given in seconds, when there is one.
 *
 * @category utils
 * @since 0.1.0
 */
export const retryAfterOf = (response: HttpResponse): { readonly retryAfter?: number } => {
  const v = response.headers['retry-after']
  const n = v === undefined || v.trim() === '' ? NaN : Number(v)
  return Number.isFinite(n) ? { retryAfter: n } : {}
}

const isErrorShape = (u: unknown): boolean => typeof u === 'object' && u !== null && 'error' in u

/**
 * Checks a JSON answer. An `error` body is a {@link ProtocolError} (whatever the status);
 * a 5xx or 429 whose body is not JSON, or any 4xx/5xx without an `error`, is an
 * `HttpError` (with `Retry-After`); a body that is not JSON, or JSON the decoder refuses,
 * is a `DecodeError` naming what is wrong (never the value).
 *
 * @category token
 * @since 0.1.0
 * @see RFC 6749 §5.1, §5.2
 */
export const processJsonAnswer =
  <A>(spec: JsonAnswerSpec<A>) =>
  (response: HttpResponse): Either<AuthError, A> => {
    const { status } = response
    const statusError = (advice: string): AuthError =>
      httpError('status', spec.url, `The ${spec.subject} came back as HTTP ${status} without an OAuth error${advice}`, { status, ...retryAfterOf(response) })
    // parse -> mapLeft -> chain, written out (the same answers, without fp-ts's pipe and combinators).
    const parsed = parseJson(response.body, spec.subject, `The server at ${stripQuery(spec.url)} answered HTTP ${status}; check the authority URL and any proxy in between.`)
    if (parsed._tag === 'Left') return left(status >= 500 || status === 429 ? statusError('. The service may be down; retry later.') : parsed.left)
    const json = parsed.right
    if (isErrorShape(json)) {
      const err = readErrorResponse(json)
      return left(err._tag === 'Left' ? err.left : toProtocolError(status, err.right))
    }
    return status >= 400 ? left(statusError(' body. Check the authority URL.')) : spec.read(json)
  }
