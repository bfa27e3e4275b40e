/**
 * An {@link HttpClient} on `node:https` / `node:http`, with a custom CA (for local and
 * corporate TLS), an overall timeout, the caller's `AbortSignal`, a cap on the size of an
 * answer, a proxy (`HTTPS_PROXY` / `NO_PROXY` when asked) and an optional agent.
 *
 * @module
 */
import * as http from 'node:http'
import * as https from 'node:https'
import type { TaskEither } from 'fp-ts/TaskEither'
import {
  abortedError,
  describeFailure,
  httpError,
  responseLimit,
  tooLargeError,
  type HttpClient,
  type HttpError,
  type HttpRequest,
  type HttpResponse,
} from '@authfold/core'
import { proxyAgents, proxyFor, proxyHost, type ProxySetting } from './proxy.js'

/**
 * Options of {@link nodeHttpClient}.
 *
 * @category model
 * @since 0.1.0
 */
export interface NodeHttpClientOptions {
  /** Extra trusted CA certificate(s), PEM. Replaces Node's default roots for these requests, as `tls.connect` does. */
  readonly ca?: string | ReadonlyArray<string>
  /** Milliseconds for the whole exchange (connect, send, read the body). Default 10,000. */
  readonly timeoutMs?: number
  /**
   * A custom agent (keep-alive, a proxy agent of your own). For `https:` URLs it must be an
   * `https.Agent` or an agent-base agent such as `HttpsProxyAgent`. Takes precedence over `proxy`.
   */
  readonly agent?: http.Agent
  /**
   * Send requests through an HTTP(S) proxy, tunnelled with `CONNECT` by `https-proxy-agent`:
   * `'env'` honours `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` and `NO_PROXY` (read at each
   * request); a URL sends every request through that proxy. Default: no proxy (the
   * environment is not read).
   */
  readonly proxy?: ProxySetting
  /**
   * The largest answer read, in bytes. Past it (or when `Content-Length` declares more) the
   * connection is closed and the answer is an `HttpError` `too_large`. Default 4 MiB.
   */
  readonly maxResponseBytes?: number
}

type Settle = (result: { readonly _tag: 'Left'; readonly left: HttpError } | { readonly _tag: 'Right'; readonly right: HttpResponse }) => void

const safeHost = (url: URL | undefined): string => url?.host ?? 'the server'

const errorCode = (e: unknown): string => {
  if (typeof e !== 'object' || e === null) return 'error'
  const code = (e as { readonly code?: unknown }).code
  return typeof code === 'string' ? code : ((e as { readonly name?: unknown }).name as string | undefined) ?? 'error'
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|SSL|ALTNAME|HOSTNAME/

/** Advice for a failure while a proxy carries the request (not a TLS failure with the server). */
const proxyAdvice = (code: string, host: string, proxy: string): string =>
  `Could not reach ${host} through the proxy at ${proxyHost(proxy)} (${code}). Check the proxy: that it runs, and the HTTPS_PROXY / NO_PROXY settings or the proxy option.`

/** The proxy refused the `CONNECT` tunnel (407: it wants credentials, 403: the host is not allowed, 502: it could not reach it). */
const proxyRefusal = (status: number, host: string, proxy: string): string =>
  `The proxy at ${proxyHost(proxy)} refused the tunnel to ${host} (HTTP ${status}${status === 407 ? ', proxy authentication required: put the credentials in the proxy URL' : ''}). Check the proxy settings (HTTPS_PROXY, NO_PROXY, the proxy option) and that the proxy lets this host through.`

const networkAdvice = (code: string, host: string): string => {
  if (TLS_CODES.test(code))
    return `TLS with ${host} failed (${code}). The server's certificate is not trusted or does not name the host: pass its CA in the \`ca\` option, or fix the authority URL.`
  if (code === 'ECONNREFUSED') return `Nothing is listening at ${host} (ECONNREFUSED). Check the authority URL and that the server is running.`
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `Could not resolve ${host} (${code}). Check the authority URL, DNS and proxy settings.`
  if (code === 'ECONNRESET' || code === 'EPIPE') return `The connection to ${host} was reset (${code}). Retry; if it keeps happening check proxies and firewalls.`
  return `Could not reach ${host} (${code}). Check the authority URL, DNS, proxy and network.`
}

const flattenHeaders = (headers: http.IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  }
  return out
}

const declaredLength = (headers: http.IncomingHttpHeaders): number | undefined => {
  const length = headers['content-length']
  return length !== undefined && /^\s*\d+\s*$/.test(length) ? Number(length) : undefined
}

const send = (request: HttpRequest, options: NodeHttpClientOptions, agentFor: (proxy: string) => http.Agent, settle: Settle): void => {
  const timeoutMs = options.timeoutMs ?? 10_000
  const max = responseLimit(options.maxResponseBytes)
  const signal = request.signal
  if (signal?.aborted === true) {
    settle({ _tag: 'Left', left: abortedError(request.url) })
    return
  }
  let url: URL | undefined
  try {
    url = new URL(request.url)
  } catch {
    settle({ _tag: 'Left', left: httpError('network', request.url, 'The request URL is not a valid absolute URL. Check the authority and endpoint configuration.') })
    return
  }
  const host = safeHost(url)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    settle({ _tag: 'Left', left: httpError('network', request.url, `Unsupported protocol ${url.protocol} for ${host}: use an https:// URL.`) })
    return
  }
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8')
  const headers: Record<string, string> = { ...request.headers }
  if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length)
  const ca = options.ca === undefined ? undefined : typeof options.ca === 'string' ? options.ca : [...options.ca]
  const proxy = options.agent === undefined && options.proxy !== undefined ? proxyFor(options.proxy, url) : undefined
  const agent = options.agent ?? (proxy === undefined ? undefined : agentFor(proxy))
  const requestOptions: https.RequestOptions = {
    method: request.method,
    headers,
    ...(ca === undefined ? {} : { ca }),
    ...(agent === undefined ? {} : { agent }),
  }
  const advice = (code: string): string => (proxy === undefined || TLS_CODES.test(code) ? networkAdvice(code, host) : proxyAdvice(code, host, proxy))
  let done = false
  let req: http.ClientRequest | undefined
  const finish: Settle = (result) => {
    if (done) return
    done = true
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
    settle(result)
  }
  const fail = (left: HttpError): void => {
    finish({ _tag: 'Left', left })
    req?.destroy()
  }
  const onAbort = (): void => fail(abortedError(request.url))
  const timer = setTimeout(
    () => fail(httpError('timeout', request.url, `No answer from ${host} within ${timeoutMs} ms. Check the network and the server, or raise timeoutMs.`)),
    timeoutMs,
  )
  signal?.addEventListener('abort', onAbort, { once: true })
  const onResponse = (res: http.IncomingMessage): void => {
    const declared = declaredLength(res.headers)
    if (declared !== undefined && declared > max) return fail(tooLargeError(request.url, max, declared))
    const chunks: Buffer[] = []
    let total = 0
    res.on('data', (chunk: Buffer) => {
      if (done) return
      total += chunk.length
      if (total <= max) return void chunks.push(chunk)
      chunks.length = 0
      fail(tooLargeError(request.url, max))
    })
    res.on('end', () => {
      if (done) return
      try {
        const text = Buffer.concat(chunks, total).toString('utf8')
        finish({ _tag: 'Right', right: { status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: text } })
      } catch {
        fail(tooLargeError(request.url, max)) // past what this runtime can hold as one string
      }
    })
    res.on('error', (e: unknown) => fail(httpError('network', request.url, advice(errorCode(e)))))
    res.on('aborted', () => fail(httpError('network', request.url, advice('ECONNRESET'))))
  }
  try {
    req = (url.protocol === 'https:' ? https : http).request(url, requestOptions, onResponse)
  } catch (e: unknown) {
    return fail(httpError('network', request.url, `The request to ${host} could not be built (${describeFailure(e, request)}). Check the headers and options passed.`))
  }
  req.on('error', (e: unknown) => fail(httpError('network', request.url, advice(errorCode(e)))))
  if (proxy !== undefined)
    req.on('proxyConnect', (connect: { readonly statusCode?: number }) => {
      if (connect.statusCode !== 200) fail(httpError('network', request.url, proxyRefusal(connect.statusCode ?? 0, host, proxy)))
    })
  req.end(body)
}

/**
 * Makes an {@link HttpClient} on Node's own `http`/`https` modules. Any status is a
 * response (header names lower-case); connection failures become `HttpError` `network`,
 * a missed deadline `timeout`, the caller's abort `aborted`, and an answer past
 * `maxResponseBytes` `too_large` (the connection is closed at once), with advice and
 * without the query string or body. Redirects are not followed.
 *
 * @example
 * ```ts
 * import { nodeHttpClient } from '@authfold/node'
 * import type { IdentityProvider } from '@authfold/testing'
 *
 * declare const idp: IdentityProvider
 * const http = nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 })
 * const res = await http({ method: 'GET', url: `${idp.authority()}v2.0/.well-known/openid-configuration`, headers: {} })()
 * const behindProxy = nodeHttpClient({ proxy: 'env' }) // HTTPS_PROXY, NO_PROXY
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const nodeHttpClient = (options: NodeHttpClientOptions = {}): HttpClient => {
  const agentFor = proxyAgents()
  return (request: HttpRequest): TaskEither<HttpError, HttpResponse> =>
    () =>
      new Promise((resolve) => send(request, options, agentFor, resolve))
}
