/**
 * An {@link HttpClient} over any WHATWG `fetch` function (the platform's by default), with
 * a timeout, the caller's `AbortSignal`, and a cap on the size of an answer.
 *
 * @module
 */
import { left, right } from '../errors/either.js'
import type { TaskEither } from 'fp-ts/TaskEither'
import { httpError, type HttpError } from '../errors/errors.js'
import type { HttpClient, HttpRequest, HttpResponse } from './http.js'
import { abortedError, describeFailure, responseLimit, safeHost, tooLargeError } from './transportErrors.js'

/**
 * The reader of a WHATWG `ReadableStream` of bytes, as far as authfold uses it.
 *
 * @category model
 * @since 0.1.0
 */
export interface ByteReaderLike {
  read(): Promise<{ readonly done: boolean; readonly value?: Uint8Array | undefined }>
  cancel(reason?: unknown): Promise<void>
}

/**
 * A response body authfold can read chunk by chunk: a WHATWG `ReadableStream` (browsers,
 * workers, Node's `fetch`) or an async iterable of bytes (node-fetch, which cross-fetch
 * uses on Node).
 *
 * @category model
 * @since 0.1.0
 */
export type BodyLike = { getReader(): ByteReaderLike } | AsyncIterable<Uint8Array>

/**
 * The subset of `fetch` authfold needs; `globalThis.fetch`, `cross-fetch` and undici all fit.
 * When the response has no readable `body`, `text()` is used (and the size checked after).
 *
 * @category model
 * @since 0.1.0
 */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal; redirect: 'manual' },
) => Promise<{
  status: number
  headers: { forEach(cb: (value: string, key: string) => void): void }
  body?: BodyLike | null
  text(): Promise<string>
}>

/**
 * Options of {@link fetchHttpClient}.
 *
 * @category model
 * @since 0.1.0
 */
export interface FetchHttpClientOptions {
  /**
   * The fetch implementation. Default: {@link platformFetch}. It is called as a plain
   * function (`this` undefined), so the detached `globalThis.fetch` of a browser or a
   * worker works as given.
   */
  readonly fetch?: FetchLike
  /** Milliseconds before a request is abandoned with a `timeout` error. Default 10,000. */
  readonly timeoutMs?: number
  /** The largest answer read, in bytes; past it the read stops with `too_large`. Default 4 MiB. */
  readonly maxResponseBytes?: number
}

/**
 * The platform's own `fetch`, looked up on each call and called on `globalThis`, as
 * browsers and Cloudflare Workers require (a detached `fetch` called on another object
 * throws "Illegal invocation"). Where the runtime has none, the call fails with a message
 * saying what to pass instead.
 *
 * @category constructors
 * @since 0.1.0
 */
export const platformFetch: FetchLike = (url, init) =>
  typeof globalThis.fetch === 'function'
    ? globalThis.fetch(url, init)
    : Promise.reject(new TypeError('this runtime has no global fetch; pass `fetch` (e.g. cross-fetch) or use nodeHttpClient'))

/**
 * What {@link readCappedBody} read: the text, or the fact that the answer was too large.
 *
 * @category model
 * @since 0.1.0
 */
export type CappedRead = { readonly _tag: 'Body'; readonly text: string } | { readonly _tag: 'TooLarge' }

const hasReader = (body: BodyLike): body is { getReader(): ByteReaderLike } =>
  typeof (body as { readonly getReader?: unknown }).getReader === 'function'

/**
 * Reads chunks from `next` until it is done, decoding UTF-8 as they come (a character split
 * between chunks is joined), or until more than `max` bytes came: then `stop` ends the body
 * and nothing more is read.
 */
const readChunks = async (
  next: () => Promise<{ readonly done?: boolean | undefined; readonly value?: Uint8Array | undefined }>,
  stop: () => Promise<unknown>,
  max: number,
): Promise<CappedRead> => {
  const utf8 = new TextDecoder()
  let text = ''
  let total = 0
  for (;;) {
    const { done, value } = await next()
    if (done) return { _tag: 'Body', text: text + utf8.decode() }
    if (value === undefined) continue
    total += value.length
    if (total > max) {
      await stop()
      return { _tag: 'TooLarge' }
    }
    text += utf8.decode(value, { stream: true })
  }
}

const utf8Length = (s: string): number => new TextEncoder().encode(s).length

/**
 * Reads a fetch response's body as UTF-8, counting bytes as they come and stopping past
 * `max`. Falls back to `text()` (checked after) where no body stream exists.
 *
 * @category utils
 * @since 0.1.0
 */
export const readCappedBody = async (res: Awaited<ReturnType<FetchLike>>, max: number): Promise<CappedRead> => {
  const body = res.body
  if (body !== undefined && body !== null) {
    if (hasReader(body)) {
      const reader = body.getReader()
      return readChunks(() => reader.read(), () => reader.cancel().catch(() => undefined), max)
    }
    if (Symbol.asyncIterator in body) {
      // What `for await` does, written out: leaving early calls `return()`, which ends
      // (destroys) a Node stream.
      const chunks = body[Symbol.asyncIterator]()
      return readChunks(() => chunks.next(), async () => chunks.return?.(), max)
    }
  }
  const text = await res.text()
  return text.length > max || utf8Length(text) > max ? { _tag: 'TooLarge' } : { _tag: 'Body', text }
}

const declaredLength = (headers: Readonly<Record<string, string>>): number | undefined => {
  const encoding = headers['content-encoding']
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return undefined
  const length = headers['content-length']
  return length !== undefined && /^\s*\d+\s*$/.test(length) ? Number(length) : undefined
}

const cancelBody = (res: Awaited<ReturnType<FetchLike>>): void => {
  const body = res.body
  if (body !== undefined && body !== null && hasReader(body)) void body.getReader().cancel().catch(() => undefined)
}

/**
 * The `network` {@link HttpError} of {@link fetchHttpClient}: the host, the failure as
 * {@link describeFailure} words it (request data redacted), and what to check.
 */
const networkError = (request: HttpRequest, e: unknown): HttpError => {
  const host = safeHost(request.url)
  const why = describeFailure(e, request)
  const advice = /Illegal invocation/i.test(why)
    ? 'The fetch function was called on the wrong object: pass `fetch.bind(globalThis)`, or leave the `fetch` option out.'
    : 'Check the authority URL, DNS, proxy and network.'
  return httpError('network', request.url, `Could not reach ${host} (${why}). ${advice}`)
}

/**
 * Makes an {@link HttpClient} from a fetch function (the platform's when none is given).
 * Network failures, timeouts, the caller's abort and answers past `maxResponseBytes`
 * become {@link HttpError}s (`network` with the cause's message, `timeout`, `aborted`,
 * `too_large`); any HTTP status is a response. Redirects are not followed.
 *
 * @example
 * ```ts
 * import { fetchHttpClient } from '@authfold/core'
 *
 * const http = fetchHttpClient() // globalThis.fetch, 10 s, 4 MiB
 * const res = await http({ method: 'GET', url: 'https://login.microsoftonline.com/common/discovery/instance', headers: {} })()
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const fetchHttpClient = (options: FetchHttpClientOptions = {}): HttpClient => fetchClientWith(networkError, options)

/**
 * The fetch transport both {@link fetchHttpClient} and {@link leanFetchHttpClient} are: the
 * same timeout, abort, answer cap and errors, but for the `network` error, which
 * `networkFailure` builds from the request and what fetch threw.
 */
const fetchClientWith =
  (networkFailure: (request: HttpRequest, e: unknown) => HttpError, options: FetchHttpClientOptions): HttpClient =>
  (request: HttpRequest): TaskEither<HttpError, HttpResponse> =>
  async () => {
    const timeoutMs = options.timeoutMs ?? 10_000
    const max = responseLimit(options.maxResponseBytes)
    const fetchFn = options.fetch ?? platformFetch
    const signal = request.signal
    if (signal?.aborted === true) return left(abortedError(request.url))
    const controller = new AbortController()
    let stopped: 'timeout' | 'aborted' | undefined
    const stop = (why: 'timeout' | 'aborted') => () => {
      stopped ??= why
      controller.abort()
    }
    const onAbort = stop('aborted')
    signal?.addEventListener('abort', onAbort, { once: true })
    const timer = setTimeout(stop('timeout'), timeoutMs)
    // A fetch that ignores its signal still cannot outlive the timeout or the caller's abort.
    const stoppedSignal = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }),
    )
    try {
      const init = {
        method: request.method,
        headers: { ...request.headers },
        signal: controller.signal,
        redirect: 'manual' as const,
        ...(request.body === undefined ? {} : { body: request.body }),
      }
      const res = await Promise.race([fetchFn.call(undefined, request.url, init), stoppedSignal])
      const headers: Record<string, string> = {}
      res.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value
      })
      const declared = declaredLength(headers)
      if (declared !== undefined && declared > max) {
        cancelBody(res)
        controller.abort()
        return left(tooLargeError(request.url, max, declared))
      }
      const read = await Promise.race([readCappedBody(res, max), stoppedSignal])
      if (read._tag === 'TooLarge') {
        controller.abort()
        return left(tooLargeError(request.url, max))
      }
      return right({ status: res.status, headers, body: read.text })
    } catch (e: unknown) {
      return left(
        stopped === 'aborted'
          ? abortedError(request.url)
          : stopped === 'timeout'
            ? httpError('timeout', request.url, `No answer from ${safeHost(request.url)} within ${timeoutMs} ms. Check the network, or raise timeoutMs.`)
            : networkFailure(request, e),
      )
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
  }

/** Up to three names of a thrown value and its causes: each one's `code` (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`) or else its `name` (`TypeError`), when it is a plain identifier. */
const causeCodes = (e: unknown): string => {
  const names: string[] = []
  let current = e
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    const { code, name, cause } = current as { readonly code?: unknown; readonly name?: unknown; readonly cause?: unknown }
    const id = typeof code === 'string' ? code : name
    if (typeof id === 'string' && /^[\w.-]{1,40}$/.test(id)) names.push(id)
    current = cause
  }
  return names.join(' < ') || 'no detail'
}

/**
 * {@link fetchHttpClient} in fewer bytes, for `@authfold/grants/lean` and
 * `@authfold/client/lean`: the same options, timeout, abort, answer cap and `HttpError`
 * codes, but a `network` error names only the host and the codes of what fetch threw
 * (`Could not reach login.microsoftonline.com (TypeError < ECONNREFUSED)`), never a thrown
 * message, so it needs no redaction of request data (which `describeFailure` does for the
 * full transport).
 *
 * @example
 * ```ts
 * import { leanFetchHttpClient } from '@authfold/core'
 *
 * const http = leanFetchHttpClient({ timeoutMs: 5_000 }) // globalThis.fetch, 4 MiB cap
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const leanFetchHttpClient = (options: FetchHttpClientOptions = {}): HttpClient =>
  fetchClientWith(
    (request, e) => httpError('network', request.url, `Could not reach ${safeHost(request.url)} (${causeCodes(e)}). Check the authority URL, DNS, proxy and network.`),
    options,
  )
