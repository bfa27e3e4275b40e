/**
 * What every transport shares: the answer-size limit, the `too_large` and `aborted`
 * errors, and a description of a thrown failure that keeps its message and causes but
 * never the URL's query, a header value or a form field value of the request.
 *
 * @module
 */
import { httpError, type HttpError } from '../errors/errors.js'
import type { HttpRequest } from './http.js'

/**
 * The default largest answer a transport reads: 4 MiB. Token, discovery and metadata
 * answers are a few kilobytes; anything near this is a wrong URL or a hostile server.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024

/**
 * The host of a URL for messages (`the server` when the URL does not parse).
 *
 * @category utils
 * @since 0.1.0
 */
export const safeHost = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return 'the server'
  }
}

/**
 * Checks a `maxResponseBytes` option: a positive integer, else the default.
 *
 * @category utils
 * @since 0.1.0
 */
export const responseLimit = (maxResponseBytes: number | undefined): number =>
  maxResponseBytes !== undefined && Number.isSafeInteger(maxResponseBytes) && maxResponseBytes > 0
    ? maxResponseBytes
    : DEFAULT_MAX_RESPONSE_BYTES

/**
 * The `too_large` {@link HttpError}: the answer passed `maxResponseBytes` (or declared a
 * `Content-Length` past it) and was not read.
 *
 * @category constructors
 * @since 0.1.0
 */
export const tooLargeError = (url: string, maxBytes: number, declaredBytes?: number): HttpError =>
  httpError(
    'too_large',
    url,
    `The answer from ${safeHost(url)} ${
      declaredBytes === undefined ? 'passed' : `declares ${declaredBytes} bytes, more than`
    } the ${maxBytes}-byte limit and was not read. Check the authority URL and any proxy, or raise maxResponseBytes.`,
  )

/**
 * The `aborted` {@link HttpError}: the request's `AbortSignal` fired.
 *
 * @category constructors
 * @since 0.1.0
 */
export const abortedError = (url: string): HttpError =>
  httpError(
    'aborted',
    url,
    `The request to ${safeHost(url)} was cancelled by the caller (its AbortSignal fired); call again when the result is wanted.`,
  )

const MAX_DESCRIPTION = 300
const MIN_REDACTED = 4

const text = (u: unknown): string | undefined => (typeof u === 'string' && u !== '' ? u : undefined)

/** The fields of a thrown value this description reads (any may be missing or of another type). */
interface Thrown {
  readonly name?: unknown
  readonly code?: unknown
  readonly message?: unknown
  /** An `AggregateError`'s errors (Node's `fetch` throws one when every address was refused). */
  readonly errors?: unknown
  readonly cause?: unknown
}

const describeOne = (e: unknown, top: boolean): string => {
  if (typeof e !== 'object' || e === null) return String(e)
  const thrown: Thrown = e
  const name = text(thrown.name)
  const code = text(thrown.code)
  const inner = thrown.errors
  const message =
    text(thrown.message) ??
    (Array.isArray(inner) && inner.length > 0 ? inner.slice(0, 2).map((x) => describeOne(x, false)).join(', ') : undefined)
  if (top) return [name, message].filter((x) => x !== undefined).join(': ') || 'error'
  if (message === undefined) return code ?? name ?? 'error'
  return code === undefined || message.includes(code) ? message : `${code}: ${message}`
}

const secretsOf = (request: Pick<HttpRequest, 'url' | 'headers' | 'body'> | undefined): ReadonlyArray<string> => {
  if (request === undefined) return []
  const values: string[] = Object.values(request.headers)
  try {
    new URLSearchParams(request.body ?? '').forEach((v) => values.push(v))
    new URL(request.url).searchParams.forEach((v) => values.push(v))
  } catch {
    // an unparsable URL has no query values to hide
  }
  if (request.body !== undefined) values.push(request.body)
  return values.filter((v) => v.length >= MIN_REDACTED).sort((a, b) => b.length - a.length)
}

/**
 * Describes a thrown transport failure for an error message: `Name: message`, then each
 * cause (`; cause: ECONNREFUSED: connect ...`, two levels at most), with URL queries and
 * fragments removed, every header value, query value and form field value of the
 * request replaced by `[redacted]`, control characters dropped, and at most 300
 * characters. When a request value would still show (it overlaps the marker), only
 * `details withheld` is said.
 *
 * @example
 * ```ts
 * import { describeFailure } from '@authfold/core'
 *
 * describeFailure(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) }))
 * // 'TypeError: fetch failed; cause: connect ECONNREFUSED 127.0.0.1:1'
 * ```
 *
 * @category utils
 * @since 0.1.0
 */
export const describeFailure = (e: unknown, request?: Pick<HttpRequest, 'url' | 'headers' | 'body'>): string => {
  const parts: string[] = []
  let current: unknown = e
  for (let depth = 0; depth < 3 && current !== undefined && current !== null; depth++) {
    parts.push(describeOne(current, depth === 0))
    current = typeof current === 'object' ? (current as Thrown).cause : undefined
  }
  let out = parts
    .join('; cause: ')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\b(https?:\/\/[^\s?#'"<>]*)[?#][^\s'"<>]*/gi, '$1')
  const secrets = secretsOf(request)
  for (const secret of secrets) out = out.split(secret).join('[redacted]')
  if (out.length > MAX_DESCRIPTION) out = `${out.slice(0, MAX_DESCRIPTION - 1)}…`
  return secrets.some((secret) => out.includes(secret)) ? 'details withheld: they held request data' : out
}
