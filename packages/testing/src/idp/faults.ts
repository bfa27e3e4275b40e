/**
 * Fault injection for the token endpoint: a per-server queue of {@link Fault}s, each played
 * for a number of requests.
 *
 * @module
 */
import { errorContext, errors } from './errors.js'
import type { EndpointResult, Fault, IdpContext } from './types.js'

/**
 * A queue of faults (mutable, owned by one server instance).
 *
 * @category idp
 * @since 0.1.0
 */
export interface FaultQueue {
  readonly push: (fault: Fault, times: number) => void
  /** The fault for the next token request, if any (consumes one use). */
  readonly take: () => Fault | undefined
  readonly clear: () => void
  readonly pending: () => number
}

/**
 * Makes an empty fault queue.
 *
 * @category idp
 * @since 0.1.0
 */
export const createFaultQueue = (): FaultQueue => {
  const queue: Array<{ readonly fault: Fault; remaining: number }> = []
  return {
    push: (fault, times) => {
      if (!Number.isInteger(times) || times < 1) throw new RangeError(`inject(fault, times): times must be a positive integer, got ${times}.`)
      queue.push({ fault, remaining: times })
    },
    take: () => {
      const head = queue[0]
      if (head === undefined) return undefined
      head.remaining -= 1
      if (head.remaining <= 0) queue.shift()
      return head.fault
    },
    clear: () => {
      queue.length = 0
    },
    pending: () => queue.reduce((n, f) => n + f.remaining, 0),
  }
}

/**
 * The answer a fault plays, `'reset'` when the socket must be destroyed, or `'delay'` with
 * the milliseconds to wait before answering normally.
 *
 * @category idp
 * @since 0.1.0
 */
export const faultAnswer = (
  idp: IdpContext,
  correlationId: string,
  fault: Fault,
): EndpointResult | 'reset' | { readonly delayMs: number } => {
  if (fault === 'reset') return 'reset'
  if (fault === 'html')
    return {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      text: '<!DOCTYPE html><html><head><title>Sign in to your network</title></head><body><h1>Proxy authentication required</h1></body></html>',
    }
  if (fault === 'invalid_json')
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, text: '{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ' }
  if (fault === 'missing_access_token') return { status: 200, json: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 } }
  if ('delayMs' in fault) return { delayMs: fault.delayMs }
  const headers = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }
  return fault.body === undefined
    ? errors.serverError(errorContext(idp, correlationId), fault.status, headers)
    : { status: fault.status, headers, text: fault.body }
}
