/**
 * The loopback redirect listener of interactive sign-in: a one-shot HTTP server on
 * 127.0.0.1 that opens the browser, waits for the authorization response (a query string,
 * or a form_post body), shows a success or failure page, and closes whatever happens.
 *
 * @module
 */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TaskEither } from 'fp-ts/TaskEither'
import { abortedError, configError, httpError, isAuthError, type AuthError } from '@authfold/core'

/**
 * Options of {@link loopbackRedirect}.
 *
 * @category model
 * @since 0.1.0
 */
export interface LoopbackRedirectOptions {
  /** The port to listen on (127.0.0.1). Default 0: a free port the system picks, as MSAL Python does. */
  readonly port?: number
  /** How long to wait for the redirect, in milliseconds, from the moment the browser is opened. */
  readonly timeoutMs: number
  /** Ends the wait (the listener closes and the answer is `HttpError` `aborted`). */
  readonly signal?: AbortSignal
  /** Builds the authorization URL from the redirect URI (`http://localhost:<port>`). */
  readonly authUri: (redirectUri: string) => string | Promise<string>
  /** Opens the system browser at a URL (injectable: tests drive a headless browser). */
  readonly opener: (url: string) => Promise<void>
  /** The `state` sent: a redirect carrying another state is ignored, as MSAL Python ignores it. */
  readonly state?: string
  /** The page shown after a response with a `code`. Default MSAL Python's text. */
  readonly successPage?: string
  /** The page shown after a response with an `error`. Default MSAL Python's text, HTML-escaped. */
  readonly failurePage?: (params: Readonly<Record<string, string>>) => string
  /** The largest form_post body read, in bytes. Default 64 KiB. */
  readonly maxBodyBytes?: number
}

/**
 * What came back to the loopback listener.
 *
 * @category model
 * @since 0.1.0
 */
export interface LoopbackResponse {
  /** The redirect URI the listener answered (`http://localhost:<port>`). */
  readonly redirectUri: string
  /** The authorization response's parameters (`code`, `state`, `client_info`, or `error`, ...). */
  readonly params: Readonly<Record<string, string>>
  /** `query` for a GET redirect, `form_post` for a POSTed form. */
  readonly responseMode: 'query' | 'form_post'
}

const DEFAULT_MAX_BODY = 64 * 1024
/** The largest request line plus headers read (Node's default, 16 KiB; an Entra redirect is a few KiB). */
const MAX_HEADER_BYTES = 16 * 1024

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

/**
 * The page MSAL Python shows after a successful sign-in.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.authcode.AuthCodeReceiver`
 */
export const DEFAULT_SUCCESS_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>Signed in</title></head><body><p>Authentication completed. You can close this window now.</p></body></html>'

/**
 * The page MSAL Python shows after an error (`Authentication failed. $error: $error_description. ($error_uri)`),
 * every value HTML-escaped (MSAL Python puts them in unescaped).
 *
 * @category constructors
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.authcode.AuthCodeReceiver`
 */
export const defaultFailurePage = (params: Readonly<Record<string, string>>): string =>
  '<!doctype html><html><head><meta charset="utf-8"><title>Sign-in failed</title></head><body><p>' +
  `Authentication failed. ${escapeHtml(params['error'] ?? '')}: ${escapeHtml(params['error_description'] ?? '')}. (${escapeHtml(params['error_uri'] ?? '')})` +
  '</p></body></html>'

/** The first value of every parameter (an authorization response has one of each). */
const firstValues = (search: URLSearchParams): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of search) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = v
  return out
}

/**
 * Whether parameters are an authorization response (they have a `code` or an `error`), as
 * MSAL Python decides it.
 *
 * @category utils
 * @since 0.1.0
 */
export const isAuthResponse = (params: Readonly<Record<string, string>>): boolean => (params['code'] ?? '') !== '' || (params['error'] ?? '') !== ''

const send = (res: http.ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8'): void => {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body), connection: 'close' })
  res.end(body)
}

/**
 * Reads a form_post body of at most `max` bytes: `undefined` (and nothing more read) when it
 * declares more, or sends more; the request is then paused, so memory stays bounded
 * whatever the client sends.
 */
const readBody = (req: http.IncomingMessage, max: number): Promise<string | undefined> =>
  new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > max) {
      req.pause()
      resolve(undefined)
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    const onData = (c: Buffer): void => {
      size += c.length
      if (size > max) {
        req.off('data', onData)
        req.pause()
        chunks.length = 0
        resolve(undefined)
      } else chunks.push(c)
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => resolve(undefined))
  })

/** How long a refused request's connection stays open after its 413 was written (for the client to read it). */
const REFUSED_LINGER_MS = 100

/** Answers 413 to a body past the limit, then closes the connection (the rest of the body is never read). */
const refuseBody = (req: http.IncomingMessage, res: http.ServerResponse, max: number): void => {
  res.on('finish', () => {
    const t = setTimeout(() => req.socket.destroy(), REFUSED_LINGER_MS)
    t.unref()
  })
  send(res, 413, `The form is larger than ${max} bytes: this is not a sign-in response.`, 'text/plain; charset=utf-8')
}

/**
 * Listens on 127.0.0.1 (the given port, or any free one), opens the browser at
 * `authUri('http://localhost:<port>')` through `opener`, and waits for the authorization
 * response: a GET with `code` or `error` in its query, or a form_post POST. The browser
 * gets a success or failure page; requests that are not a response (a favicon, a request
 * for another host, a response with another `state`) are answered and ignored. The
 * listener is closed on every outcome: a response, the timeout (`HttpError` `timeout`),
 * the signal (`HttpError` `aborted`), a port already taken (`ConfigError` on `port`), or
 * an opener that fails (`ConfigError` `unsupported`).
 *
 * An `error` in the response is returned as parameters, for the auth code flow to check
 * (with the state) and turn into its typed error.
 *
 * @example
 * ```ts
 * import { loopbackRedirect, systemBrowser } from '@authfold/node'
 * import type { AuthCodeFlow } from '@authfold/grants'
 *
 * declare const flowFor: (redirectUri: string) => AuthCodeFlow // starts the flow for this redirect URI
 * const response = await loopbackRedirect({ timeoutMs: 300_000, authUri: (redirectUri) => flowFor(redirectUri).auth_uri, opener: systemBrowser })()
 * ```
 * @category interactive
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.authcode.AuthCodeReceiver`, RFC 8252 §7.3
 */
export const loopbackRedirect =
  (options: LoopbackRedirectOptions): TaskEither<AuthError, LoopbackResponse> =>
  () =>
    new Promise((resolve) => {
      const port = options.port ?? 0
      const placeholder = `http://localhost:${port}`
      if (options.signal?.aborted === true) {
        resolve({ _tag: 'Left', left: abortedError(placeholder) })
        return
      }
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        resolve({ _tag: 'Left', left: configError('invalid_argument', 'port must be a whole number from 0 (any free port) to 65535.', 'port') })
        return
      }
      const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY
      let redirectUri = placeholder
      let done = false
      let timer: ReturnType<typeof setTimeout> | undefined
      // Node's own limit on the request line and headers, set here so a process option cannot raise it: past it, 431.
      const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES })
      const finish = (result: { readonly _tag: 'Left'; readonly left: AuthError } | { readonly _tag: 'Right'; readonly right: LoopbackResponse }): void => {
        if (done) return
        done = true
        if (timer !== undefined) clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
        server.close()
        server.closeAllConnections()
        resolve(result)
      }
      const onAbort = (): void => finish({ _tag: 'Left', left: abortedError(redirectUri) })

      const answer = (params: Record<string, string>, responseMode: LoopbackResponse['responseMode'], res: http.ServerResponse): void => {
        if (!isAuthResponse(params)) {
          send(res, 400, 'Waiting for the sign-in response. Finish signing in in the window that opened.', 'text/plain; charset=utf-8')
          return
        }
        if (options.state !== undefined && params['state'] !== options.state) {
          // MSAL Python: "State mismatch. Ignoring this noise."
          send(res, 400, 'This response is not for the sign-in in progress; it was ignored.', 'text/plain; charset=utf-8')
          return
        }
        const page = (params['code'] ?? '') !== '' ? options.successPage ?? DEFAULT_SUCCESS_PAGE : (options.failurePage ?? defaultFailurePage)(params)
        res.on('finish', () => finish({ _tag: 'Right', right: { redirectUri, params, responseMode } }))
        res.on('close', () => finish({ _tag: 'Right', right: { redirectUri, params, responseMode } }))
        send(res, 200, page)
      }

      server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
        if (done) {
          send(res, 503, 'The sign-in is over.', 'text/plain; charset=utf-8')
          return
        }
        const host = (req.headers.host ?? '').toLowerCase()
        const actualPort = (server.address() as AddressInfo | null)?.port
        // Only the browser's own redirect: no other host name (DNS rebinding) and no other path.
        if (host !== `localhost:${actualPort}` && host !== `127.0.0.1:${actualPort}`) {
          send(res, 400, 'Unexpected host.', 'text/plain; charset=utf-8')
          return
        }
        const url = new URL(req.url ?? '/', redirectUri)
        if (url.pathname !== '/') {
          send(res, 404, 'Not found.', 'text/plain; charset=utf-8')
          return
        }
        if (req.method === 'GET') {
          answer(firstValues(url.searchParams), 'query', res)
          return
        }
        if (req.method === 'POST' && (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
          void readBody(req, maxBody).then((body) => {
            if (body === undefined) refuseBody(req, res, maxBody)
            else answer(firstValues(new URLSearchParams(body)), 'form_post', res)
          })
          return
        }
        send(res, 405, 'Method not allowed.', 'text/plain; charset=utf-8')
      })

      server.on('error', (e: NodeJS.ErrnoException) => {
        finish({
          _tag: 'Left',
          left:
            e.code === 'EADDRINUSE'
              ? configError(
                  'invalid_argument',
                  `Port ${port} on 127.0.0.1 is already in use, so the sign-in redirect cannot be received. Pass another port, or none to take any free port (register http://localhost as a redirect URI: Entra accepts any port on it).`,
                  'port',
                )
              : e.code === 'EACCES'
                ? configError('invalid_argument', `Listening on port ${port} of 127.0.0.1 is not allowed (EACCES). Pass a port above 1023, or none to take any free port.`, 'port')
                : httpError('network', placeholder, `The sign-in redirect listener failed (${e.code ?? 'error'}). Retry, or pass another port.`),
        })
      })

      server.listen(port, '127.0.0.1', () => {
        if (done) return
        redirectUri = `http://localhost:${(server.address() as AddressInfo).port}`
        options.signal?.addEventListener('abort', onAbort, { once: true })
        timer = setTimeout(
          () =>
            finish({
              _tag: 'Left',
              left: httpError(
                'timeout',
                redirectUri,
                `No sign-in response came back to ${redirectUri} within ${options.timeoutMs} ms: the browser may have been closed, or the sign-in abandoned. Try again, or raise timeoutMs.`,
              ),
            }),
          options.timeoutMs,
        )
        // The URL may take I/O to build (the authority resolved, PKCE made): an AuthError it
        // fails with is the call's answer; anything else thrown is a ConfigError.
        Promise.resolve()
          .then(() => options.authUri(redirectUri))
          .then(
            (target) =>
              options.opener(target).catch((e: unknown) =>
                finish({
                  _tag: 'Left',
                  left: configError(
                    'unsupported',
                    `The browser could not be opened (${e instanceof Error ? e.name : 'error'}). Pass an opener that works on this machine, or use the device code flow where there is no browser.`,
                    'opener',
                  ),
                }),
              ),
            (e: unknown) =>
              finish({ _tag: 'Left', left: isAuthError(e) ? e : configError('invalid_argument', 'authUri threw while building the authorization URL.', 'authUri') }),
          )
      })
    })
