/**
 * The HTTP effect. authfold never calls `fetch` itself: every request goes through an
 * {@link HttpClient} value that the caller hands in, so tests script it and apps wrap it
 * (proxies, agents, retries, logging).
 *
 * @module
 */
import type { TaskEither } from 'fp-ts/TaskEither'
import type { HttpError } from '../errors/errors.js'

/**
 * One HTTP request.
 *
 * @category model
 * @since 0.1.0
 */
export interface HttpRequest {
  readonly method: 'GET' | 'POST'
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
  /**
   * Cancels the request: a transport stops at once (connecting, sending or reading) and
   * answers an `HttpError` with code `aborted`; retries and back-off sleeps stop too.
   */
  readonly signal?: AbortSignal
}

/**
 * One HTTP response. Header names are lower-case.
 *
 * @category model
 * @since 0.1.0
 */
export interface HttpResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * The HTTP effect: a request in, a response (any status) or a transport error out.
 * A non-2xx status is a response, not an error; protocol processing decides.
 *
 * @category model
 * @since 0.1.0
 */
export type HttpClient = (request: HttpRequest) => TaskEither<HttpError, HttpResponse>

/**
 * A header's value by case-insensitive name. Transports give lower-case names; a
 * hand-written or scripted response may not.
 *
 * @category utils
 * @since 0.1.0
 */
export const headerValue = (headers: Readonly<Record<string, string>>, name: string): string | undefined => {
  const wanted = name.toLowerCase()
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v
  return undefined
}

/**
 * Encodes a flat record as `application/x-www-form-urlencoded`, skipping undefined values.
 *
 * @category utils
 * @since 0.1.0
 */
export const formEncode = (fields: Readonly<Record<string, string | undefined>>): string =>
  Object.entries(fields)
    .flatMap(([k, v]) => (v === undefined ? [] : [`${encodeURIComponent(k)}=${encodeURIComponent(v)}`]))
    .join('&')
    .replace(/%20/g, '+')

/**
 * Builds a form POST request.
 *
 * @category constructors
 * @since 0.1.0
 */
export const formPost = (
  url: string,
  fields: Readonly<Record<string, string | undefined>>,
  headers: Readonly<Record<string, string>> = {},
): HttpRequest => ({
  method: 'POST',
  url,
  headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json', ...headers },
  body: formEncode(fields),
})
