/**
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { CacheStore } from '@authfold/cache'
import type { AuthError } from '@authfold/core'
import { toPromise } from './failure.js'

/**
 * A record of methods returning `TaskEither<AuthError, _>`.
 *
 * @category model
 * @since 0.1.0
 */
export type TaskEitherMethods<T> = { readonly [K in keyof T]: (...args: never[]) => TE.TaskEither<AuthError, unknown> }

/**
 * The Promise form of each method: it resolves with the Right and rejects with an
 * `AuthFailure` holding the Left.
 *
 * @category model
 * @since 0.1.0
 */
export type PromiseMethods<T extends TaskEitherMethods<T>> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => TE.TaskEither<AuthError, infer R> ? (...args: A) => Promise<R> : never
}

/**
 * A facade: every method as a Promise, and the TaskEither twins under `te`.
 *
 * @category model
 * @since 0.1.0
 */
export type WithPromises<T extends TaskEitherMethods<T>> = PromiseMethods<T> & { readonly te: T }

/**
 * Makes the Promise twin of every TaskEither method: the one helper both facades use. A
 * method may come with a Promise form of its own in `forms` (one that answers cache hits
 * without building the task), used as its twin instead; it must answer as the task does.
 *
 * @example
 * ```ts
 * import { acquireTokenForClient, withPromises, type ConfidentialContext } from '@authfold/client'
 *
 * declare const ctx: ConfidentialContext
 * const app = withPromises({ acquireTokenForClient: acquireTokenForClient(ctx) })
 * await app.acquireTokenForClient(['https://graph.microsoft.com/.default']) // Promise
 * await app.te.acquireTokenForClient(['https://graph.microsoft.com/.default'])() // Either
 * ```
 * @category combinators
 * @since 0.1.0
 */
export const withPromises = <T extends TaskEitherMethods<T>>(te: T, forms?: Partial<PromiseMethods<T>>): WithPromises<T> => {
  const promises: Record<string, (...args: never[]) => Promise<unknown>> = {}
  const own: Partial<Record<string, (...args: never[]) => Promise<unknown>>> = forms ?? {}
  for (const [name, method] of Object.entries<(...args: never[]) => TE.TaskEither<AuthError, unknown>>(te)) promises[name] = own[name] ?? ((...args) => toPromise(method(...args)))
  return { ...(promises as PromiseMethods<T>), te }
}

/**
 * A facade over a context: its methods with their Promise twins, and the store holding
 * its cache.
 *
 * @category model
 * @since 0.1.0
 */
export type Facade<T extends TaskEitherMethods<T>> = WithPromises<T> & { readonly cacheStore: CacheStore }

/**
 * Assembles a facade from TaskEither methods built over one context (and the Promise forms
 * some of them have of their own, see {@link withPromises}).
 *
 * @category combinators
 * @since 0.1.0
 */
export const facade = <T extends TaskEitherMethods<T>>(store: CacheStore, te: T, forms?: Partial<PromiseMethods<T>>): Facade<T> => ({ ...withPromises(te, forms), cacheStore: store })
