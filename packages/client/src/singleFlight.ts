/**
 * Single flight: identical concurrent token requests of one client share one request.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import { httpError, type AuthError } from '@authfold/core'

/**
 * A client's table of requests in flight, built once per client by {@link singleFlight}.
 *
 * @category model
 * @since 0.1.0
 */
export interface SingleFlight<A> {
  /**
   * Runs `work` under a signal of its own, or joins the work already in flight under the
   * same `key` and `owner` (compared by identity). The caller leaves when its `signal`
   * fires, and gets an `HttpError` `aborted` at once; the shared work is aborted (and its
   * entry removed) only when every sharer has left. A settled work's entry is removed, so
   * a later call starts afresh. Every sharer gets its own copy of the answer or error.
   */
  readonly join: (key: string, owner: object | undefined, signal: AbortSignal, work: (signal: AbortSignal) => TE.TaskEither<AuthError, A>) => TE.TaskEither<AuthError, A>
  /** How many works are in flight (0 once everything settled). */
  readonly size: () => number
}

interface Flight<A> {
  readonly answer: Promise<E.Either<AuthError, A>>
  readonly controller: AbortController
  sharers: number
}

const cancelled = (): AuthError => httpError('aborted', '', 'The call was cancelled by its AbortSignal; nothing was saved to the cache.')

// Each sharer gets its own copy: one caller changing its result cannot change another's.
const copy = <A>(outcome: E.Either<AuthError, A>): E.Either<AuthError, A> =>
  E.isLeft(outcome) ? E.left({ ...outcome.left }) : E.right(structuredClone(outcome.right))

/**
 * Builds an empty in-flight table; a client context holds one (never module-level).
 *
 * @example
 * ```ts
 * import { singleFlight } from '@authfold/client'
 * import type { AuthError, ClientAuth, TokenResponse } from '@authfold/core'
 * import type { TaskEither } from 'fp-ts/TaskEither'
 *
 * declare const key: string, credential: ClientAuth, callSignal: AbortSignal
 * declare const sendTokenRequest: (signal: AbortSignal) => TaskEither<AuthError, TokenResponse>
 * const flights = singleFlight<TokenResponse>()
 * const answer = await flights.join(key, credential, callSignal, (signal) => sendTokenRequest(signal))()
 * ```
 * @category constructors
 * @since 0.1.0
 */
export const singleFlight = <A>(): SingleFlight<A> => {
  const owners = new WeakMap<object, number>()
  let owned = 0
  const table = new Map<string, Flight<A>>()
  const ownerId = (owner: object | undefined): number => {
    if (owner === undefined) return 0
    const known = owners.get(owner)
    if (known !== undefined) return known
    owned += 1
    owners.set(owner, owned)
    return owned
  }
  const start = (slot: string, work: (signal: AbortSignal) => TE.TaskEither<AuthError, A>): Flight<A> => {
    const controller = new AbortController()
    const flight: Flight<A> = {
      controller,
      sharers: 0,
      answer: work(controller.signal)().finally(() => {
        if (table.get(slot) === flight) table.delete(slot)
      }),
    }
    table.set(slot, flight)
    return flight
  }
  const leave = (slot: string, flight: Flight<A>): void => {
    flight.sharers -= 1
    if (flight.sharers > 0) return
    if (table.get(slot) === flight) table.delete(slot)
    flight.controller.abort()
  }
  return {
    size: () => table.size,
    join: (key, owner, signal, work) => async () => {
      if (signal.aborted) return E.left(cancelled())
      const slot = `${ownerId(owner)}:${key}`
      const flight = table.get(slot) ?? start(slot, work)
      flight.sharers += 1
      let onAbort = (): void => undefined
      const gone = new Promise<E.Either<AuthError, A>>((resolve) => {
        onAbort = () => {
          leave(slot, flight)
          resolve(E.left(cancelled()))
        }
        signal.addEventListener('abort', onAbort, { once: true })
      })
      try {
        return copy(await Promise.race([flight.answer, gone]))
      } finally {
        signal.removeEventListener('abort', onAbort)
      }
    },
  }
}
