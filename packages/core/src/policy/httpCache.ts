/**
 * An injectable, serializable key-value store for HTTP answers that are cheap to keep
 * (discovery documents, throttling verdicts), and the GET cache built on it.
 *
 * The store is a value the application owns (MSAL Python's `http_cache`); authfold
 * keeps no module-level state. Entries carry their own expiry and hold no tokens and
 * no personal data.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import type { Clock } from '../env/env.js'
import type { HttpClient, HttpRequest, HttpResponse } from '../http/http.js'

/**
 * A string-to-string store. Values are JSON written by authfold; a store may persist
 * them anywhere (a `Map`, a file, `localStorage`).
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `ClientApplication(http_cache=...)`
 */
export interface HttpCacheStore {
  readonly get: (key: string) => string | undefined
  readonly set: (key: string, value: string) => void
  readonly delete: (key: string) => void
  /** The keys held, so expired entries can be swept. */
  readonly keys: () => ReadonlyArray<string>
}

/**
 * A store over a fresh `Map` (or the one given). Each call creates its own map.
 *
 * @category constructors
 * @since 0.1.0
 */
export const memoryHttpCache = (map: Map<string, string> = new Map()): HttpCacheStore => ({
  get: (key) => map.get(key),
  set: (key, value) => {
    map.set(key, value)
  },
  delete: (key) => {
    map.delete(key)
  },
  keys: () => Array.from(map.keys()),
})

/**
 * What an entry of the store holds.
 *
 * @category model
 * @since 0.1.0
 */
export interface CachedEntry<A> {
  /** Epoch milliseconds after which the entry is ignored and removed. */
  readonly expiresAt: number
  readonly value: A
}

/**
 * Reads an unexpired entry; an expired or unreadable entry is removed and ignored.
 *
 * @category utils
 * @since 0.1.0
 */
export const readEntry = <A>(
  store: HttpCacheStore,
  key: string,
  now: number,
  isValue: (u: unknown) => u is A,
): A | undefined => {
  const raw = store.get(key)
  if (raw === undefined) return undefined
  const parsed = safeJson(raw)
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    typeof (parsed as { expiresAt?: unknown }).expiresAt === 'number' &&
    (parsed as { expiresAt: number }).expiresAt > now &&
    isValue((parsed as { value?: unknown }).value)
  ) {
    return (parsed as { value: A }).value
  }
  store.delete(key)
  return undefined
}

/**
 * Writes an entry that expires `ttlMs` from `now`.
 *
 * @category utils
 * @since 0.1.0
 */
export const writeEntry = <A>(store: HttpCacheStore, key: string, now: number, ttlMs: number, value: A): void => {
  const entry: CachedEntry<A> = { expiresAt: now + ttlMs, value }
  store.set(key, JSON.stringify(entry))
}

/**
 * True when the value is an {@link HttpResponse}.
 *
 * @category guards
 * @since 0.1.0
 */
export const isHttpResponse = (u: unknown): u is HttpResponse =>
  typeof u === 'object' &&
  u !== null &&
  typeof (u as { status?: unknown }).status === 'number' &&
  typeof (u as { body?: unknown }).body === 'string' &&
  typeof (u as { headers?: unknown }).headers === 'object' &&
  (u as { headers?: unknown }).headers !== null

/**
 * One day, the lifetime MSAL gives discovery answers.
 *
 * @category constants
 * @since 0.1.0
 */
export const DISCOVERY_TTL_MS = 24 * 3600 * 1000

/**
 * The store key of a GET (the URL with its query; headers are not part of it).
 *
 * @category utils
 * @since 0.1.0
 */
export const getCacheKey = (url: string): string => `GET ${url} 2xx`

/**
 * Wraps an {@link HttpClient} so that 2xx answers to GET requests are kept in the store
 * for `ttlMs` (default 24 h) and replayed without a request; at most `capacity` entries
 * are kept. POSTs pass through.
 *
 * @category combinators
 * @since 0.1.0
 * @see MSAL Python `ThrottledHttpClient.get` (the "GET ... 2xx" individual cache)
 */
export const cacheGetResponses =
  (store: HttpCacheStore, now: Clock, ttlMs: number = DISCOVERY_TTL_MS, capacity = 1024) =>
  (http: HttpClient): HttpClient =>
  (request: HttpRequest) => {
    if (request.method !== 'GET') return http(request)
    const key = getCacheKey(request.url)
    const hit = readEntry(store, key, now(), isHttpResponse)
    if (hit !== undefined) return TE.right(hit)
    return pipe(
      http(request),
      TE.map((response) => {
        if (response.status >= 200 && response.status < 300) {
          writeEntry(store, key, now(), ttlMs, response)
          evictEntries(store, now(), capacity)
        }
        return response
      }),
    )
  }

/**
 * Removes expired entries, then the soonest-expiring ones, when the store holds more
 * than `capacity` entries.
 *
 * @category utils
 * @since 0.1.0
 */
export const evictEntries = (store: HttpCacheStore, now: number, capacity: number): void => {
  const keys = store.keys()
  if (keys.length <= capacity) return
  const entries = keys.map((k) => ({ k, at: expiresAtOf(store.get(k)) }))
  for (const e of entries) if (e.at <= now) store.delete(e.k)
  const live = entries.filter((e) => e.at > now).sort((a, b) => a.at - b.at)
  for (let i = 0; i < live.length - capacity; i++) {
    const e = live[i]
    if (e !== undefined) store.delete(e.k)
  }
}

const expiresAtOf = (raw: string | undefined): number => {
  if (raw === undefined) return 0
  try {
    const v = JSON.parse(raw) as { expiresAt?: unknown }
    return typeof v.expiresAt === 'number' ? v.expiresAt : 0
  } catch {
    return 0
  }
}

const safeJson = (raw: string): unknown => {
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return undefined
  }
}
