/**
 * The request log: what each request carried, with secrets redacted, so tests can assert
 * what was (or was not) sent.
 *
 * @module
 */
import type { IncomingRequest, RecordedRequest } from './types.js'

/**
 * The placeholder written instead of a secret.
 *
 * @category idp
 * @since 0.1.0
 */
export const REDACTED = '<redacted>'

/**
 * Form and query fields whose values are never recorded.
 *
 * @category idp
 * @since 0.1.0
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'client_secret',
  'client_assertion',
  'assertion',
  'refresh_token',
  'password',
  'code',
  'code_verifier',
  'device_code',
  'access_token',
  'id_token',
  'request',
  'subject_token',
  'actor_token',
])

const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'cookie'])

const redactFields = (fields: Readonly<Record<string, string>>): Readonly<Record<string, string>> =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? REDACTED : v]))

const redactHeaders = (headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, SECRET_HEADERS.has(k) ? (/^\S+\s/.test(v) ? `${v.split(/\s/)[0] ?? ''} ${REDACTED}` : REDACTED) : v]),
  )

/**
 * The log entry for a request, secrets redacted.
 *
 * @category idp
 * @since 0.1.0
 */
export const recordRequest = (request: IncomingRequest, form: Readonly<Record<string, string>>, at: number): RecordedRequest => ({
  method: request.method,
  path: request.path,
  query: redactFields(request.query),
  form: redactFields(form),
  headers: redactHeaders(request.headers),
  at,
})
