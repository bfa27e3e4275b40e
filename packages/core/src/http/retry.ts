/**
 * Retry as a combinator on the {@link HttpClient}: `withRetry(policy)(http)`.
 *
 * The defaults follow MSAL: MSAL Python's HTTP session retries once (`HTTPAdapter(max_retries=1)`:
 * a GET whose connection failed or was reset is sent again, a POST that may have reached
 * the server is not); a 5xx answer to a GET is retried once (msal-node retries 5xx on its
 * managed-identity endpoints; MSAL Python leaves statuses to its throttling); a token POST is never
 * sent twice unless `retryPosts` is set. One difference: MSAL Python also resends a POST
 * whose connection could not even be opened; an `HttpError` does not say whether a request
 * left, so here that too needs `retryPosts`. Waits use full-jitter exponential back-off
 * through the injected `sleep` and `random`, honour `Retry-After` up to `maxRetryAfterMs`,
 * and end at once when the request's `AbortSignal` fires. `noRetry` (or `retries: 0`)
 * turns it off, for apps that already retry on their own.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import type { TaskEither } from 'fp-ts/TaskEither'
import { systemClock, timerSleep, wakeOnAbort, webCryptoRandom, type Clock, type Logger, type RandomBytes, type Sleep } from '../env/env.js'
import { stripQuery, type HttpError } from '../errors/errors.js'
import { headerValue, type HttpClient, type HttpRequest, type HttpResponse } from './http.js'
import { abortedError } from './transportErrors.js'

/**
 * How {@link withRetry} retries. Every field is optional; see {@link DEFAULT_RETRY} for the defaults.
 *
 * @category model
 * @since 0.1.0
 */
export interface RetryPolicy {
  /** Retries after the first attempt (0 to 10). Default 1. `0` turns retrying off. */
  readonly retries?: number
  /**
   * Retry POSTs as well (token requests). Default false: a token POST whose connection
   * failed may have reached the server, and sending a code, a password or a refresh token
   * twice is the caller's choice to make.
   */
  readonly retryPosts?: boolean
  /** Which answered statuses are retried. Default: 500 to 599. */
  readonly retryStatus?: (status: number) => boolean
  /** The first retry waits a random time up to this many milliseconds; each retry doubles it. Default 100. */
  readonly baseDelayMs?: number
  /** The back-off never waits longer than this. Default 2,000. */
  readonly maxDelayMs?: number
  /** A `Retry-After` longer than this is not waited for: the answer is returned as it came. Default 60,000. */
  readonly maxRetryAfterMs?: number
  /** The wait; woken by the request's signal whether or not it honours one. Default {@link timerSleep}. */
  readonly sleep?: Sleep
  /** The jitter's source. Default WebCrypto. */
  readonly random?: RandomBytes
  /** For `Retry-After` given as an HTTP date. Default `Date.now`. */
  readonly now?: Clock
  /** Told of every retry (method, URL without query, reason, wait). */
  readonly log?: Logger
}

/**
 * The numbers of a {@link RetryPolicy} with every default filled in.
 *
 * @category model
 * @since 0.1.0
 */
export interface RetrySettings {
  readonly retries: number
  readonly retryPosts: boolean
  readonly retryStatus: (status: number) => boolean
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly maxRetryAfterMs: number
}

/**
 * MSAL's defaults: one retry, GETs only, on a connection failure, a timeout or a 5xx.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.__init__` (`requests.adapters.HTTPAdapter(max_retries=1)`)
 */
export const DEFAULT_RETRY: RetrySettings = {
  retries: 1,
  retryPosts: false,
  retryStatus: (status) => status >= 500 && status <= 599,
  baseDelayMs: 100,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 60_000,
}

/**
 * The policy that never retries: `withRetry(noRetry)(http)` behaves as `http`.
 *
 * @category constants
 * @since 0.1.0
 */
export const noRetry: RetryPolicy = { retries: 0 }

const MAX_RETRIES = 10

const nonNegative = (n: number | undefined, fallback: number): number =>
  n !== undefined && Number.isFinite(n) && n >= 0 ? n : fallback

/**
 * Fills a {@link RetryPolicy}'s numbers with the defaults, bounding `retries` to 0..10 and
 * ignoring negative or non-finite values.
 *
 * @category utils
 * @since 0.1.0
 */
export const retrySettings = (policy: RetryPolicy): RetrySettings => ({
  retries: Math.min(MAX_RETRIES, Math.floor(nonNegative(policy.retries, DEFAULT_RETRY.retries))),
  retryPosts: policy.retryPosts ?? DEFAULT_RETRY.retryPosts,
  retryStatus: policy.retryStatus ?? DEFAULT_RETRY.retryStatus,
  baseDelayMs: nonNegative(policy.baseDelayMs, DEFAULT_RETRY.baseDelayMs),
  maxDelayMs: nonNegative(policy.maxDelayMs, DEFAULT_RETRY.maxDelayMs),
  maxRetryAfterMs: nonNegative(policy.maxRetryAfterMs, DEFAULT_RETRY.maxRetryAfterMs),
})

/**
 * Milliseconds a `Retry-After` value asks for: delay-seconds (`120`, `1.5`) or an HTTP date
 * (relative to `nowMs`, never negative); `undefined` when absent or unreadable.
 *
 * @category utils
 * @since 0.1.0
 * @see RFC 9110 §10.2.3
 */
export const retryAfterMs = (header: string | undefined, nowMs: number): number | undefined => {
  if (header === undefined) return undefined
  const value = header.trim()
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000)
  const date = /^[A-Za-z]{3,9},? /.test(value) ? Date.parse(value) : Number.NaN // IMF-fixdate, RFC 850 or asctime
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/**
 * Full-jitter exponential back-off: a wait in `[0, min(maxDelayMs, baseDelayMs * 2^retry))`
 * for `fraction` in `[0, 1)`.
 *
 * @category utils
 * @since 0.1.0
 */
export const backoffMs = (retry: number, fraction: number, baseDelayMs: number, maxDelayMs: number): number =>
  Math.floor(Math.min(1, Math.max(0, fraction)) * Math.min(maxDelayMs, baseDelayMs * 2 ** retry))

/**
 * A number in `[0, 1)` from four random bytes.
 *
 * @category utils
 * @since 0.1.0
 */
export const randomFraction = (random: RandomBytes): number => {
  const b = random(4)
  return ((b[0] ?? 0) * 2 ** 24 + (b[1] ?? 0) * 2 ** 16 + (b[2] ?? 0) * 2 ** 8 + (b[3] ?? 0)) / 2 ** 32
}

const aborted = (request: HttpRequest): boolean => request.signal?.aborted === true

/**
 * Why an outcome may be retried (`undefined` when it may not): a network failure or a
 * timeout, or an answered status the policy retries. Aborts, oversized answers and every
 * other error are final.
 *
 * @category utils
 * @since 0.1.0
 */
export const retryReason = (settings: RetrySettings, outcome: Either<HttpError, HttpResponse>): string | undefined => {
  if (E.isLeft(outcome)) return outcome.left.code === 'network' || outcome.left.code === 'timeout' ? `a ${outcome.left.code} error` : undefined
  return settings.retryStatus(outcome.right.status) ? `HTTP ${outcome.right.status}` : undefined
}

/**
 * The wait before the next attempt, or `undefined` for none: no retry past
 * `settings.retries`, of a POST unless `retryPosts`, of an outcome {@link retryReason}
 * refuses, or of an answer whose `Retry-After` is longer than `maxRetryAfterMs`;
 * otherwise the larger of the jittered back-off and the `Retry-After`.
 *
 * @category utils
 * @since 0.1.0
 */
export const retryDelay = (
  settings: RetrySettings,
  request: Pick<HttpRequest, 'method'>,
  outcome: Either<HttpError, HttpResponse>,
  retry: number,
  fraction: number,
  nowMs: number,
): number | undefined => {
  if (retry >= settings.retries) return undefined
  if (request.method === 'POST' && !settings.retryPosts) return undefined
  if (retryReason(settings, outcome) === undefined) return undefined
  const backoff = backoffMs(retry, fraction, settings.baseDelayMs, settings.maxDelayMs)
  if (E.isLeft(outcome)) return backoff
  const asked = retryAfterMs(headerValue(outcome.right.headers, 'retry-after'), nowMs)
  if (asked === undefined) return backoff
  return asked > settings.maxRetryAfterMs ? undefined : Math.max(backoff, asked)
}

/**
 * Wraps an {@link HttpClient} so that failed attempts are sent again as `policy` says
 * (see the module notes for the defaults). The wait goes through `policy.sleep` and ends
 * when `request.signal` fires, answering `HttpError` `aborted`; the last outcome is
 * returned as it came.
 *
 * @example
 * ```ts
 * import { fetchHttpClient, noRetry, timerSleep, withRetry } from '@authfold/core'
 *
 * const http = withRetry({ retries: 2, sleep: timerSleep })(fetchHttpClient())
 * const off = withRetry(noRetry)(fetchHttpClient()) // the client as it is
 * ```
 *
 * @category combinators
 * @since 0.1.0
 * @see MSAL Python `requests.adapters.HTTPAdapter(max_retries=1)`; msal-node `HttpClientWithRetries`
 */
export const withRetry =
  (policy: RetryPolicy = {}) =>
  (http: HttpClient): HttpClient => {
    const settings = retrySettings(policy)
    if (settings.retries === 0) return http
    const sleep = wakeOnAbort(policy.sleep ?? timerSleep)
    const random = policy.random ?? webCryptoRandom
    const now = policy.now ?? systemClock
    return (request) => {
      const attempt =
        (retry: number): TaskEither<HttpError, HttpResponse> =>
        async () => {
          const outcome = await http(request)()
          const delay = retryDelay(settings, request, outcome, retry, randomFraction(random), now())
          if (delay === undefined || aborted(request)) return outcome
          policy.log?.(
            'warning',
            `Retrying ${request.method} ${stripQuery(request.url)} in ${delay} ms after ${retryReason(settings, outcome) ?? 'a failure'} (retry ${retry + 1} of ${settings.retries}).`,
            false,
          )
          await sleep(delay, request.signal)()
          return aborted(request) ? E.left(abortedError(request.url)) : attempt(retry + 1)()
        }
      return aborted(request) ? async () => E.left(abortedError(request.url)) : attempt(0)
    }
  }
