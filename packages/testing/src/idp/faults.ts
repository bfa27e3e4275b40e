/**
 * Fault injection: a per-server queue of {@link Fault}s, each played for a number of
 * requests at its {@link FaultTarget} (the token endpoint, discovery, the device code or user
 * realm endpoint, or any), and the player that answers a request with its fault: whole wrong
 * answers, slow headers, a slow drip, resets, truncated bodies, rewritten JWTs, oversized and
 * endless bodies.
 *
 * @module
 */
import type { ServerResponse } from 'node:http'
import { pathSegments } from './discovery.js'
import { errorContext, errors } from './errors.js'
import { tokenPathTenant } from './tokenEndpoint.js'
import type { EndpointResult, Fault, FaultScope, FaultTarget, IdpContext } from './types.js'

/**
 * A queue of faults (mutable, owned by one server instance).
 *
 * @category idp
 * @since 0.1.0
 */
export interface FaultQueue {
  /** Queues `fault` for the next `times` requests at `on` (default: the token endpoint, any request). */
  readonly push: (fault: Fault, times: number, on?: FaultTarget | FaultScope) => void
  /** The fault for a request: the first queued one whose scope takes it (consumes one use). */
  readonly take: (path: string, headers?: Readonly<Record<string, string>>) => Fault | undefined
  readonly clear: () => void
  readonly pending: () => number
}

/**
 * What kind of endpoint a request path is, for fault targets: the token endpoint, a
 * discovery document (instance discovery, OpenID configuration, JWKS), the device
 * authorization endpoint, user realm discovery, a managed identity endpoint, or another one.
 *
 * @category idp
 * @since 0.1.0
 */
export const faultEndpointOf = (path: string): Exclude<FaultTarget, 'any'> | 'other' => {
  if (tokenPathTenant(path) !== undefined) return 'token'
  const s = pathSegments(path)
  const tail = (n: number): string => s.slice(-n).join('/')
  if (s.length === 4 && tail(3) === 'oauth2/v2.0/devicecode') return 'devicecode'
  if (s.length === 3 && s[0]?.toLowerCase() === 'common' && s[1]?.toLowerCase() === 'userrealm') return 'userrealm'
  if (s[0]?.toLowerCase() === 'managedidentity') return 'managedidentity'
  return tail(2) === 'discovery/instance' ||
    tail(2) === '.well-known/openid-configuration' ||
    tail(3) === 'discovery/v2.0/keys' ||
    tail(2) === 'discovery/keys'
    ? 'discovery'
    : 'other'
}

const serves = (scope: FaultScope, path: string, headers: Readonly<Record<string, string>>): boolean => {
  const endpoint = scope.endpoint ?? 'token'
  if (endpoint !== 'any' && faultEndpointOf(path) !== endpoint) return false
  if (scope.carrying !== undefined && headers[scope.carrying.toLowerCase()] === undefined) return false
  if (scope.lacking !== undefined && headers[scope.lacking.toLowerCase()] !== undefined) return false
  return scope.header === undefined || headers[scope.header[0].toLowerCase()] === scope.header[1]
}

/**
 * Makes an empty fault queue.
 *
 * @category idp
 * @since 0.1.0
 */
export const createFaultQueue = (): FaultQueue => {
  const queue: Array<{ readonly fault: Fault; readonly scope: FaultScope; remaining: number }> = []
  return {
    push: (fault, times, on = 'token') => {
      if (!Number.isInteger(times) || times < 1) throw new RangeError(`inject(fault, times): times must be a positive integer, got ${times}.`)
      queue.push({ fault, scope: typeof on === 'string' ? { endpoint: on } : on, remaining: times })
    },
    take: (path, headers = {}) => {
      const index = queue.findIndex((q) => serves(q.scope, path, headers))
      const entry = queue[index]
      if (entry === undefined) return undefined
      entry.remaining -= 1
      if (entry.remaining <= 0) queue.splice(index, 1)
      return entry.fault
    },
    clear: () => {
      queue.length = 0
    },
    pending: () => queue.reduce((n, f) => n + f.remaining, 0),
  }
}

/**
 * An answer as the server writes it: status, every header, body text.
 *
 * @category idp
 * @since 0.1.0
 */
export interface RenderedAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * What {@link playFault} plays on: the request's response, and the server's own ways to
 * compute, render, write and log an answer.
 *
 * @category idp
 * @since 0.1.0
 */
export interface FaultStage {
  readonly idp: IdpContext
  readonly correlationId: string
  readonly res: ServerResponse
  /** A wait the server cancels when it stops. */
  readonly sleep: (ms: number) => Promise<void>
  /** The answer the request would get without the fault. */
  readonly normal: () => Promise<EndpointResult>
  /** Writes a whole answer and logs its status. */
  readonly answer: (result: EndpointResult) => void
  /** The status, headers (`content-length` included) and body the server writes for an answer. */
  readonly render: (result: EndpointResult) => RenderedAnswer
  /** Logs the status of an answer written piece by piece. */
  readonly record: (status: number) => void
}

/** The most an endless body sends before giving up on a client that keeps reading. */
const ENDLESS_LIMIT_BYTES = 1024 ** 3
const DEFAULT_OVERSIZED_BYTES = 5 * 1024 * 1024
const DECLARED_BYTES = 10 * 1024 ** 3
const CHUNK = 64 * 1024

const open = (res: ServerResponse): boolean => !res.destroyed && !res.writableEnded && res.socket !== null && !res.socket.destroyed

/** Resolves true when `res` can take more, false when it closed. */
const drained = (res: ServerResponse): Promise<boolean> =>
  new Promise((resolve) => {
    const done = (ok: boolean): void => {
      res.off('drain', onDrain)
      res.off('close', onClose)
      resolve(ok)
    }
    const onDrain = (): void => done(true)
    const onClose = (): void => done(false)
    res.on('drain', onDrain)
    res.on('close', onClose)
  })

/** Writes `chunk`, waiting for the socket to drain; false when the client went away. */
const write = async (res: ServerResponse, chunk: string | Buffer): Promise<boolean> => {
  if (!open(res)) return false
  return res.write(chunk) ? true : drained(res)
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const

const base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url')

/** How a `{ jwt }` fault rewrites one JWT. */
const rewriteJwt = (kind: 'opaque' | 'malformed' | 'bad_signature', jwt: string, idp: IdpContext): string => {
  if (kind === 'opaque') return `opaque-${idp.uuid().replace(/-/g, '')}`
  if (kind === 'malformed') return `${base64url('{"alg":"RS256",')}.${base64url('not json')}.${base64url('not a signature')}`
  const [header = '', payload = '', signature = ''] = jwt.split('.')
  const other = signature.split('').reverse().join('')
  return `${header}.${payload}.${other === signature ? `${signature.slice(1)}A` : other}`
}

const withRewrittenJwts = (result: EndpointResult, kind: 'opaque' | 'malformed' | 'bad_signature', idp: IdpContext): EndpointResult => {
  const json = result.json
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return result
  const out: Record<string, unknown> = { ...(json as Record<string, unknown>) }
  for (const field of ['access_token', 'id_token']) {
    const value = out[field]
    if (typeof value === 'string') out[field] = rewriteJwt(kind, value, idp)
  }
  return { ...result, json: out }
}

/** The normal answer, rendered, with its body rewritten by `change`. */
const rewritten = async (stage: FaultStage, change: (body: string) => string): Promise<void> => {
  const r = stage.render(await stage.normal())
  stage.answer({ status: r.status, headers: r.headers, text: change(r.body) })
}

/** Streams `size` bytes (or until the client closes) of a JSON answer that opens with `prefix`. */
const stream = async (stage: FaultStage, headers: Readonly<Record<string, string>>, prefix: string, size: number, suffix: string): Promise<void> => {
  const { res } = stage
  stage.record(200)
  res.writeHead(200, { ...JSON_HEADERS, 'client-request-id': stage.correlationId, ...headers })
  if (!(await write(res, prefix))) return
  const filler = Buffer.alloc(CHUNK, 'A')
  let sent = Buffer.byteLength(prefix)
  while (sent + suffix.length < size) {
    const n = Math.min(CHUNK, size - suffix.length - sent)
    if (!(await write(res, n === CHUNK ? filler : filler.subarray(0, n)))) return
    sent += n
  }
  if (open(res)) res.end(suffix)
}

/**
 * Plays `fault` as the answer to one request (see {@link Fault} for what each one does).
 * Never throws once the answer has started; a client that goes away ends any stream.
 *
 * @category idp
 * @since 0.1.0
 */
export const playFault = async (fault: Fault, stage: FaultStage): Promise<void> => {
  const { res } = stage
  res.on('error', () => undefined)
  if (fault === 'reset') return void res.destroy()
  if (fault === 'html')
    return stage.answer({
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      text: '<!DOCTYPE html><html><head><title>Sign in to your network</title></head><body><h1>Proxy authentication required</h1></body></html>',
    })
  if (fault === 'invalid_json') return stage.answer({ status: 200, headers: JSON_HEADERS, text: '{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ' })
  if (fault === 'missing_access_token') return stage.answer({ status: 200, json: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 } })
  if (fault === 'truncated_json') return rewritten(stage, (body) => body.slice(0, Math.floor(body.length / 2)))
  if (fault === 'malformed_json') return rewritten(stage, (body) => (body.includes(':') ? body.replace(':', '=') : `{,${body}`))
  if (fault === 'truncated_body') {
    const r = stage.render(await stage.normal())
    const body = Buffer.from(r.body, 'utf8')
    stage.record(r.status)
    res.writeHead(r.status, r.headers)
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy())
    return
  }
  if (fault === 'endless') return stream(stage, {}, '{"padding":"', ENDLESS_LIMIT_BYTES, '"}')
  if ('delayMs' in fault) {
    await stage.sleep(fault.delayMs)
    return stage.answer(await stage.normal())
  }
  if ('dripMs' in fault) {
    const r = stage.render(await stage.normal())
    const body = Buffer.from(r.body, 'utf8')
    const step = Math.max(1, Math.floor(fault.bytes ?? 1))
    stage.record(r.status)
    res.writeHead(r.status, r.headers)
    for (let at = 0; at < body.length; at += step) {
      if (!(await write(res, body.subarray(at, at + step)))) return
      await stage.sleep(fault.dripMs)
    }
    if (open(res)) res.end()
    return
  }
  if ('jwt' in fault) return stage.answer(withRewrittenJwts(await stage.normal(), fault.jwt, stage.idp))
  if ('oversized' in fault) {
    if (fault.oversized === 'declared') {
      stage.record(200)
      res.writeHead(200, { ...JSON_HEADERS, 'client-request-id': stage.correlationId, 'content-length': String(DECLARED_BYTES) })
      res.write('{"access_token":"')
      return // the client closes (or the server stops); nothing more is sent
    }
    return stream(stage, {}, '{"token_type":"Bearer","expires_in":3599,"access_token":"', fault.bytes ?? DEFAULT_OVERSIZED_BYTES, '"}')
  }
  const headers = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }
  return stage.answer(
    fault.body === undefined
      ? errors.serverError(errorContext(stage.idp, stage.correlationId), fault.status, headers)
      : { status: fault.status, headers, text: fault.body },
  )
}
