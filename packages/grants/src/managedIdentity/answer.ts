/**
 * Reads a managed identity source's answer into an OAuth token answer, as MSAL Python
 * normalizes them: `expires_in` from the source's `expires_in` or `expires_on` (a number,
 * a number in a string, or a date), `token_type` defaulting to `Bearer`.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import {
  decodeError,
  decodeWith,
  describeValue,
  httpError,
  parseJson,
  retryAfterOf,
  stripQuery,
  toProtocolError,
  TokenResponse,
  type AuthError,
  type HttpResponse,
} from '@authfold/core'

/**
 * How one source answers.
 *
 * @category model
 * @since 0.1.0
 */
export interface ManagedIdentityAnswerSpec {
  /** e.g. "IMDS token answer", for error messages. */
  readonly subject: string
  readonly url: string
  /** Which field carries the lifetime. */
  readonly lifetime: 'expires_in' | 'expires_on'
  /** The source's error shape as an OAuth error (`error`, `error_description`), if it is one. */
  readonly errorOf: (body: Readonly<Record<string, unknown>>, status: number) => { readonly error: string; readonly error_description?: string } | undefined
}

const MONTHS_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?: (AM|PM))? ([+-])(\d{2}):(\d{2})$/

/**
 * Epoch seconds of an `expires_on`: a number, a number in a string, an App Service /
 * Azure ML date (`"09/14/2017 00:00:00 PM +00:00"`) or an ISO 8601 date. `undefined` when it
 * is none of these.
 *
 * @category steps
 * @since 0.1.0
 * @see azure-identity `_parse_expires_on`
 */
export const expiresOnSeconds = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined
  if (typeof value !== 'string') return undefined
  const v = value.trim()
  if (/^\d{1,12}(\.\d+)?$/.test(v)) return Math.floor(Number(v))
  const m = MONTHS_DATE.exec(v)
  if (m !== null) {
    const [, mo, d, y, h, mi, s, ampm, sign, oh, om] = m
    const hour12 = Number(h)
    const hour = ampm === undefined ? hour12 : (hour12 % 12) + (ampm === 'PM' ? 12 : 0)
    const offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mi), Number(s))
    const valid = Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= 31 && hour <= 23 && Number(mi) <= 59 && Number(s) <= 59
    return valid && Number.isFinite(ms) ? ms / 1000 - offset : undefined
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    const ms = Date.parse(v)
    return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined
  }
  return undefined
}

const secondsOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value)
    ? Math.floor(value)
    : typeof value === 'string' && /^\d{1,12}$/.test(value.trim())
      ? Number(value.trim())
      : undefined

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * Reads a source's answer: a token answer with a usable lifetime, or a typed error. A body
 * that is not JSON (an HTML page) is a `DecodeError` (an `HttpError` for a status >= 400), an
 * error body a `ProtocolError`, a missing `access_token` or unreadable lifetime a
 * `DecodeError` naming the field. Tokens never appear in the errors.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_obtain_token_on_azure_vm` and its siblings
 */
export const readManagedIdentityAnswer =
  (spec: ManagedIdentityAnswerSpec) =>
  (response: HttpResponse, nowSeconds: number): E.Either<AuthError, TokenResponse> => {
    const parsed = parseJson(response.body, spec.subject, `The managed identity endpoint ${stripQuery(spec.url)} answered HTTP ${response.status} with something else than JSON; check the endpoint variable and any proxy in between.`)
    if (E.isLeft(parsed))
      return response.status >= 400
        ? E.left(httpError('status', spec.url, `The ${spec.subject} came back as HTTP ${response.status} without JSON. ${response.status >= 500 || response.status === 429 ? 'The managed identity endpoint may be busy; retry later.' : 'Check the managed identity assigned to this Azure resource and the endpoint variable.'}`, { status: response.status, ...retryAfterOf(response) }))
        : E.left(parsed.left)
    const body = parsed.right
    if (!isRecord(body)) return E.left(decodeError('invalid_shape', spec.subject, '', 'a JSON object', describeValue(body)))
    const token = body['access_token']
    if (response.status >= 400 || token === undefined || token === null) {
      const oauth = spec.errorOf(body, response.status)
      if (oauth !== undefined) return E.left(toProtocolError(response.status, oauth))
      return response.status >= 400
        ? E.left(httpError('status', spec.url, `The ${spec.subject} came back as HTTP ${response.status} without an error the source documents. Check the managed identity's configuration on the Azure resource.`, { status: response.status, ...retryAfterOf(response) }))
        : E.left(decodeError('invalid_shape', spec.subject, 'access_token', 'a non-empty string', 'nothing', 'The managed identity endpoint answered without a token.'))
    }
    const raw = body[spec.lifetime]
    const expiresIn = spec.lifetime === 'expires_in' ? secondsOf(raw) : ((s) => (s === undefined ? undefined : Math.floor(s - Math.floor(nowSeconds))))(expiresOnSeconds(raw))
    if (expiresIn === undefined || expiresIn <= 0)
      return E.left(
        decodeError(
          'invalid_shape',
          spec.subject,
          spec.lifetime,
          spec.lifetime === 'expires_in' ? 'a positive number of seconds' : 'a future time (epoch seconds or a date)',
          describeValue(raw),
          'The token cannot be used without a lifetime; nothing was cached.',
        ),
      )
    const tokenType = body['token_type']
    const resource = body['resource']
    return decodeWith(TokenResponse, spec.subject)({
      access_token: token,
      expires_in: expiresIn,
      token_type: typeof tokenType === 'string' && tokenType !== '' ? tokenType : 'Bearer',
      ...(typeof resource === 'string' ? { resource } : {}),
    })
  }

/**
 * The OAuth error in a body that carries one as `error` + `error_description` (IMDS, Arc).
 *
 * @category steps
 * @since 0.1.0
 */
export const oauthErrorOf = (body: Readonly<Record<string, unknown>>): { readonly error: string; readonly error_description?: string } | undefined => {
  const error = body['error']
  const description = body['error_description']
  return typeof error === 'string' && error !== '' ? { error, ...(typeof description === 'string' ? { error_description: description } : {}) } : undefined
}
