/**
 * Cancellation and an overall deadline for one public call.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import { httpError, type AuthError, type GrantEnv, type ShareRequest, type TokenResponse } from '@authfold/core'
import type { SingleFlight } from './singleFlight.js'

/**
 * What every public method takes last: an `AbortSignal` and an overall deadline.
 *
 * @category model
 * @since 0.1.0
 */
export interface CallOptions {
  /**
   * Cancels the call: its token requests stop, its waits wake, and the call answers
   * `HttpError` `aborted` at once. A first authority discovery it started is shared with
   * the client's other calls and runs on (bounded by the transport's timeout).
   */
  readonly signal?: AbortSignal
  /**
   * The whole call's deadline in milliseconds, callbacks (a client assertion callback, a
   * store) included. Default: the client's `callTimeoutMs` (60,000).
   */
  readonly timeoutMs?: number
}

/**
 * The default overall deadline of a public call.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000

/**
 * Runs one call under its options: the work gets an environment whose requests carry a
 * signal that fires on the caller's abort or at the deadline, and whose sleeps wake on
 * it; the call answers as soon as either happens (even if a user callback never returns),
 * with an `HttpError` `aborted` or `timeout` that says what to do. The deadline is waited
 * through the environment's `sleep`, so a test's virtual clock drives it. With `flights`
 * (the client's in-flight table), the call's token requests join identical ones in flight
 * (single flight): a shared request runs under its own signal, so this call leaving does
 * not end it for the others.
 *
 * @category combinators
 * @since 0.1.0
 */
export const withCallLimits =
  (env: GrantEnv, defaultTimeoutMs: number, flights?: SingleFlight<TokenResponse>) =>
  <A>(options: CallOptions | undefined, work: (env: GrantEnv, signal: AbortSignal) => TE.TaskEither<AuthError, A>): TE.TaskEither<AuthError, A> =>
  async () => {
    const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs
    const caller = options?.signal
    if (caller?.aborted === true) return E.left(cancelled())
    // One controller per call: it stops the call's requests and waits on the caller's abort or
    // at the deadline, and, aborted with FINISHED once the call is over, cancels the deadline's
    // wait. (A reason given to abort() spares building a DOMException on every call.)
    const limit = new AbortController()
    const signal = limit.signal
    let ended: AuthError | undefined
    let settle: ((value: E.Either<AuthError, A>) => void) | undefined
    const stop = (error: AuthError): void => {
      if (ended !== undefined || signal.aborted) return
      ended = error
      limit.abort(error)
      settle?.(E.left(error))
    }
    const onCallerAbort = (): void => stop(cancelled())
    caller?.addEventListener('abort', onCallerAbort, { once: true })
    void env.sleep(timeoutMs, signal)().then(() => stop(deadline(timeoutMs)))
    const callEnv = underSignal(env, signal, flights === undefined ? undefined : shareUnder(env, flights, signal))
    const stopped = new Promise<E.Either<AuthError, A>>((resolve) => {
      settle = resolve
    })
    try {
      return await Promise.race([work(callEnv, signal)(), stopped])
    } finally {
      caller?.removeEventListener('abort', onCallerAbort)
      if (!signal.aborted) limit.abort(FINISHED)
    }
  }

/** The reason a call's controller is aborted with once the call is over (its deadline's wait ends). */
const FINISHED: unique symbol = Symbol('authfold.callFinished')

// The environment's requests carry `signal` and its sleeps wake on it (one object per call;
// the client's environment already has a `share`, so replacing it keeps the object's shape
// and a cache hit costs what it did before single flight).
const underSignal = (env: GrantEnv, signal: AbortSignal, share?: ShareRequest): GrantEnv => {
  const http: GrantEnv['http'] = (request) => env.http({ ...request, signal: request.signal === undefined ? signal : AbortSignal.any([request.signal, signal]) })
  const sleep: GrantEnv['sleep'] = (ms, wake) => env.sleep(ms, wake === undefined ? signal : AbortSignal.any([wake, signal]))
  return share === undefined ? { ...env, http, sleep } : { ...env, http, sleep, share }
}

/**
 * Single flight for the requests of one caller: a {@link ShareRequest} joining `flights`
 * while `signal` (the caller's) has not fired, the shared request running on `env`'s
 * effects under the flight's own signal. The client context puts one (under a signal that
 * never fires) in its environment, and {@link withCallLimits} one per call.
 *
 * @category combinators
 * @since 0.1.0
 */
export const shareUnder =
  (env: GrantEnv, flights: SingleFlight<TokenResponse>, signal: AbortSignal): ShareRequest =>
  (key, owner, request) =>
    flights.join(key, owner, signal, (shared) => request(underSignal(env, shared)))

const cancelled = (): AuthError => httpError('aborted', '', 'The call was cancelled by its AbortSignal; nothing was saved to the cache.')

const deadline = (ms: number): AuthError =>
  httpError(
    'timeout',
    '',
    `The call did not finish within ${ms} ms. A slow network, or a callback (a client assertion, a cache store) that does not return, can cause this; raise timeoutMs or check the callback. Nothing was saved to the cache.`,
  )
