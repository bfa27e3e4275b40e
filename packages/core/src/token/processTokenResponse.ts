/**
 * The pure half of every token request: an {@link HttpResponse} in, a checked
 * {@link TokenResponse} or a typed error out (oauth4webapi's `process…Response`).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { ErrorResponse, TokenResponse } from '../codecs/tokenResponse.js'
import { decodeWith, parseJson } from '../codecs/decode.js'
import { httpError, type AuthError, type ProtocolError } from '../errors/errors.js'
import type { HttpResponse } from '../http/http.js'

const SUPPRESSED_SUBERRORS: ReadonlySet<string> = new Set([
  'bad_token',
  'token_expired',
  'protection_policy_required',
  'client_mismatch',
  'device_authentication_failed',
])

/**
 * Advice for the IdP's common error codes, appended to the message.
 */
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
 * Builds a {@link ProtocolError} from a decoded OAuth2 error answer. `classification`
 * follows MSAL: the suberror, except the ones MSAL suppresses (which become empty).
 *
 * @category token
 * @since 0.1.0
 * @see RFC 6749 §5.2
 */
export const toProtocolError = (status: number, e: ErrorResponse): ProtocolError => {
  const firstLine = (e.error_description ?? '').split(/\r?\n/)[0] ?? ''
  const base: ProtocolError = {
    _tag: 'ProtocolError',
    code: 'oauth_error',
    status,
    error: e.error,
    message: `The identity provider refused the request: ${e.error}${firstLine === '' ? '' : ` (${firstLine})`}. ${ADVICE[e.error] ?? 'See errorDescription.'}`,
  }
  return {
    ...base,
    ...(e.error_description === undefined ? {} : { errorDescription: e.error_description }),
    ...(e.error_codes === undefined ? {} : { errorCodes: e.error_codes }),
    ...(e.suberror === undefined ? {} : { suberror: e.suberror, classification: SUPPRESSED_SUBERRORS.has(e.suberror) ? '' : e.suberror }),
    ...(e.correlation_id === undefined ? {} : { correlationId: e.correlation_id }),
    ...(e.trace_id === undefined ? {} : { traceId: e.trace_id }),
    ...(e.timestamp === undefined ? {} : { timestamp: e.timestamp }),
    ...(e.claims === undefined ? {} : { claims: e.claims }),
  }
}

const isErrorShape = (u: unknown): boolean => typeof u === 'object' && u !== null && 'error' in u

/**
 * Checks a token endpoint answer. An `error` body is a {@link ProtocolError}; a 5xx or 429
 * without one is an {@link HttpError}; a body that is not JSON, or JSON without an
 * `access_token`, is a `DecodeError` naming what is wrong.
 *
 * @category token
 * @since 0.1.0
 * @see RFC 6749 §5.1
 */
export const processTokenResponse = (url: string) => (response: HttpResponse): E.Either<AuthError, TokenResponse> =>
  pipe(
    parseJson(response.body, 'token response', `The token endpoint answered HTTP ${response.status}; check the authority URL and any proxy in between.`),
    E.mapLeft((decodeFailure): AuthError =>
      response.status >= 500 || response.status === 429
        ? httpError('status', url, `The token endpoint answered HTTP ${response.status} without an OAuth error. The service may be down; retry later.`, {
            status: response.status,
            ...retryAfter(response),
          })
        : decodeFailure,
    ),
    E.chain((json): E.Either<AuthError, TokenResponse> =>
      isErrorShape(json)
        ? pipe(
            decodeWith(ErrorResponse, 'error response')(json),
            E.foldW(
              (d): E.Either<AuthError, TokenResponse> => E.left(d),
              (err) => E.left(toProtocolError(response.status, err)),
            ),
          )
        : response.status >= 400
          ? E.left(httpError('status', url, `The token endpoint answered HTTP ${response.status} without an OAuth error body. Check the authority URL.`, { status: response.status, ...retryAfter(response) }))
          : decodeWith(TokenResponse, 'token response', 'The token endpoint did not return a usable token.')(json),
    ),
  )

const retryAfter = (response: HttpResponse): { readonly retryAfter?: number } => {
  const v = response.headers['retry-after']
  const n = v === undefined ? NaN : Number(v)
  return Number.isFinite(n) ? { retryAfter: n } : {}
}
