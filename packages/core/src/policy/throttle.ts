/**
 * Client-side throttling, MSAL's service protection: a pure policy over an injectable
 * {@link HttpCacheStore}, exposed as an `HttpClient -> HttpClient` wrapper.
 *
 * - a POST answered `400` is replayed for 60 s to an identical request (same URL and
 *   body) without sending it (not for device-code polling, not when `Retry-After` came);
 * - a POST answered `429`, `5xx`, or with `Retry-After`, is replayed to the same
 *   client, scopes and account until `Retry-After` (default 60 s, at most 1 h);
 * - a GET answered `2xx` (discovery, user realm) is reused for 24 h;
 * - a connection error is retried once.
 *
 * Keys hold the URL, `client_id`, `scope` and SHA-256 hashes, never a secret.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import type { Clock, Logger } from '../env/env.js'
import type { HttpError } from '../errors/errors.js'
import { headerValue, type HttpClient, type HttpRequest, type HttpResponse } from '../http/http.js'
import { DISCOVERY_TTL_MS, cacheGetResponses, evictEntries, isHttpResponse, readEntry, writeEntry } from './httpCache.js'
import type { HttpCacheStore } from './httpCache.js'

/**
 * The device-code grant type, whose `400 authorization_pending` answers are expected.
 *
 * @category constants
 * @since 0.1.0
 * @see RFC 8628 §3.4
 */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code'

/**
 * Options of {@link throttled}.
 *
 * @category model
 * @since 0.1.0
 */
export interface ThrottleOptions {
  readonly store: HttpCacheStore
  readonly now: Clock
  /** Throttle time for a 429/5xx without a usable `Retry-After`: MSAL uses 60 s for public clients, 5 s for confidential ones. */
  readonly defaultThrottleSeconds?: number
  /** Upper bound of any `Retry-After` honoured (default 3600). */
  readonly maxThrottleSeconds?: number
  /** How long a 400 answer is replayed (default 60). */
  readonly badRequestSeconds?: number
  /** How long 2xx GET answers are reused (default 24 h). */
  readonly getTtlMs?: number
  /** Retries after a connection error (default 1). */
  readonly connectionRetries?: number
  /** Entries kept before the oldest are evicted (default 1024). */
  readonly capacity?: number
  /** SHA-256 hex of a string; defaults to WebCrypto. */
  readonly digest?: (text: string) => Promise<string>
  readonly log?: Logger
}

/**
 * Seconds to throttle after an answer: for 429, 5xx or any non-2xx answer carrying
 * `Retry-After`, the integer `Retry-After` (else `defaultSeconds`), capped at
 * `maxSeconds`; 0 otherwise.
 *
 * @category throttling
 * @since 0.1.0
 * @see MSAL Python `throttled_http_client._parse_http_429_5xx_retry_after`
 */
export const retryAfterSeconds = (response: HttpResponse, defaultSeconds = 60, maxSeconds = 3600): number => {
  const header = headerValue(response.headers, 'retry-after')
  if (response.status >= 200 && response.status < 300) return 0
  if (!(response.status === 429 || response.status >= 500 || header !== undefined)) return 0
  const parsed = header !== undefined && /^\s*\d+\s*$/.test(header) ? Number(header) : defaultSeconds
  return Math.min(maxSeconds, parsed)
}

/**
 * Seconds to replay a POST's 400 answer: `seconds` for an exact 400 without
 * `Retry-After` that is not device-code polling, else 0.
 *
 * @category throttling
 * @since 0.1.0
 * @see MSAL Python `ThrottledHttpClient` ("UI required cache")
 */
export const badRequestSeconds = (request: HttpRequest, response: HttpResponse, seconds = 60): number =>
  response.status === 400 &&
  formField(request.body, 'grant_type') !== DEVICE_CODE_GRANT_TYPE &&
  headerValue(response.headers, 'retry-after') === undefined
    ? seconds
    : 0

/**
 * The store key of the 400 rule: the URL and a hash of the whole body.
 *
 * @category throttling
 * @since 0.1.0
 */
export const badRequestKey = async (request: HttpRequest, digest: (s: string) => Promise<string> = sha256Hex): Promise<string> =>
  `POST ${request.url} hash=${await digest(request.body ?? '')} 400`

/**
 * The store key of the 429/5xx rule: URL, `client_id`, `scope` and a hash of the
 * account (`refresh_token`, else `code`, else `username`).
 *
 * @category throttling
 * @since 0.1.0
 */
export const retryAfterKey = async (request: HttpRequest, digest: (s: string) => Promise<string> = sha256Hex): Promise<string> => {
  const account =
    formField(request.body, 'refresh_token') ?? formField(request.body, 'code') ?? formField(request.body, 'username') ?? ''
  return `POST ${request.url} client_id=${formField(request.body, 'client_id') ?? ''} scope=${
    formField(request.body, 'scope') ?? ''
  } hash=${await digest(account)} 429/5xx/Retry-After`
}

/**
 * Retries a request after a connection error (`HttpError` code `network`), `retries` times.
 *
 * @category combinators
 * @since 0.1.0
 * @see MSAL Python `requests.adapters.HTTPAdapter(max_retries=1)`
 */
export const retryConnectionErrors =
  (retries = 1) =>
  (http: HttpClient): HttpClient =>
  (request) => {
    const attempt = (left: number): TE.TaskEither<HttpError, HttpResponse> =>
      pipe(
        http(request),
        TE.orElse((e) => (e.code === 'network' && left > 0 ? attempt(left - 1) : TE.left(e))),
      )
    return attempt(retries)
  }

/**
 * Wraps an {@link HttpClient} with MSAL's throttling (see the module notes). A replayed
 * answer is returned as it was first received.
 *
 * @category combinators
 * @since 0.1.0
 * @see MSAL Python `msal.throttled_http_client.ThrottledHttpClient`
 */
export const throttled =
  (options: ThrottleOptions) =>
  (http: HttpClient): HttpClient => {
    const { store, now } = options
    const digest = options.digest ?? sha256Hex
    const capacity = options.capacity ?? 1024
    const base = retryConnectionErrors(options.connectionRetries ?? 1)(http)
    const gets = cacheGetResponses(store, now, options.getTtlMs ?? DISCOVERY_TTL_MS, capacity)(base)
    const remember = (key: string, seconds: number, response: HttpResponse): void => {
      if (seconds <= 0) return
      writeEntry(store, key, now(), seconds * 1000, response)
      evictEntries(store, now(), capacity)
    }
    const replay = (key: string, why: string): HttpResponse | undefined => {
      const hit = readEntry(store, key, now(), isHttpResponse)
      if (hit !== undefined) options.log?.('warning', `Request not sent: ${why}; replaying the previous HTTP ${hit.status} answer.`, false)
      return hit
    }
    return (request) => {
      if (request.method !== 'POST') return gets(request)
      return pipe(
        TE.fromTask(() => Promise.all([badRequestKey(request, digest), retryAfterKey(request, digest)])),
        TE.chain(([key400, key429]) => {
          const hit =
            replay(key400, 'the same request was refused with 400 moments ago') ??
            replay(key429, 'the server asked to wait (429/5xx/Retry-After)')
          if (hit !== undefined) return TE.right(hit)
          return pipe(
            base(request),
            TE.map((response) => {
              remember(key429, retryAfterSeconds(response, options.defaultThrottleSeconds ?? 60, options.maxThrottleSeconds ?? 3600), response)
              remember(key400, badRequestSeconds(request, response, options.badRequestSeconds ?? 60), response)
              return response
            }),
          )
        }),
      )
    }
  }

/**
 * SHA-256 of a UTF-8 string as lower-case hex, via WebCrypto.
 *
 * @category utils
 * @since 0.1.0
 */
export const sha256Hex = async (text: string): Promise<string> => {
  const bytes = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

const formField = (body: string | undefined, name: string): string | undefined => {
  if (body === undefined || body === '') return undefined
  try {
    return new URLSearchParams(body).get(name) ?? undefined
  } catch {
    return undefined
  }
}
