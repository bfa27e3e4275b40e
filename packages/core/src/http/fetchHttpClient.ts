/**
 * An {@link HttpClient} over any WHATWG `fetch` function, with a timeout through `AbortSignal`.
 *
 * @module
 */
import type { TaskEither } from 'fp-ts/TaskEither'
import { httpError, type HttpError } from '../errors/errors.js'
import type { HttpClient, HttpRequest, HttpResponse } from './http.js'

/**
 * The subset of `fetch` authfold needs; `globalThis.fetch`, `cross-fetch` and undici all fit.
 *
 * @category model
 * @since 0.1.0
 */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal; redirect: 'manual' },
) => Promise<{ status: number; headers: { forEach(cb: (value: string, key: string) => void): void }; text(): Promise<string> }>

/**
 * Options of {@link fetchHttpClient}.
 *
 * @category model
 * @since 0.1.0
 */
export interface FetchHttpClientOptions {
  /** The fetch implementation. */
  readonly fetch: FetchLike
  /** Milliseconds before a request is abandoned with a `timeout` error. Default 10,000. */
  readonly timeoutMs?: number
}

/**
 * Makes an {@link HttpClient} from a fetch function. Network failures and timeouts become
 * {@link HttpError}s; any HTTP status is a response.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fetchHttpClient =
  (options: FetchHttpClientOptions): HttpClient =>
  (request: HttpRequest): TaskEither<HttpError, HttpResponse> =>
  async () => {
    const timeoutMs = options.timeoutMs ?? 10_000
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    try {
      const init = {
        method: request.method,
        headers: { ...request.headers },
        signal: controller.signal,
        redirect: 'manual' as const,
        ...(request.body === undefined ? {} : { body: request.body }),
      }
      const res = await options.fetch(request.url, init)
      const headers: Record<string, string> = {}
      res.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value
      })
      const body = await res.text()
      return { _tag: 'Right', right: { status: res.status, headers, body } }
    } catch (e: unknown) {
      const host = safeHost(request.url)
      return controller.signal.aborted
        ? {
            _tag: 'Left',
            left: httpError('timeout', request.url, `No answer from ${host} within ${timeoutMs} ms. Check the network, or raise timeoutMs.`),
          }
        : {
            _tag: 'Left',
            left: httpError(
              'network',
              request.url,
              `Could not reach ${host} (${describe(e)}). Check the authority URL, DNS, proxy and network.`,
            ),
          }
    } finally {
      clearTimeout(timer)
    }
  }

const safeHost = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return 'the server'
  }
}

const describe = (e: unknown): string => {
  if (typeof e !== 'object' || e === null) return String(e)
  const cause = (e as { cause?: { code?: unknown } }).cause
  const code = (e as { code?: unknown }).code ?? cause?.code
  return typeof code === 'string' ? code : (e as { name?: string }).name ?? 'error'
}
