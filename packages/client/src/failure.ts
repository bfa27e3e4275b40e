/**
 * @module
 */
import { isAuthError, type AuthError } from '@authfold/core'

/**
 * What every Promise method rejects with (and the `create…Client` constructors throw): an
 * `Error` whose `authError` holds the typed {@link AuthError}. Test it with `instanceof
 * AuthFailureError` (or {@link isAuthFailure}), then switch on `authError._tag`, which
 * narrows the union. `name` is the tag (`'HttpError'`, `'ProtocolError'`, ...) and
 * `message` the error's advice, which carries no secret, token or assertion.
 *
 * `instanceof` answers by shape (`Symbol.hasInstance` is {@link isAuthFailure}), so it holds
 * across the two builds a package ships (`dist/` for bundlers, `dist/node/` for Node) and
 * across duplicated installs.
 *
 * @example
 * ```ts
 * import { AuthFailureError, type ConfidentialClient } from '@authfold/client'
 *
 * declare const app: ConfidentialClient
 * try {
 *   await app.acquireTokenForClient(['https://graph.microsoft.com/.default'])
 * } catch (e) {
 *   if (!(e instanceof AuthFailureError)) throw e
 *   switch (e.authError._tag) {
 *     case 'HttpError':
 *       console.log(e.authError.code) // 'network' | 'timeout' | ...
 *   }
 * }
 * ```
 *
 * @category model
 * @since 0.1.0
 * @see msal-node's `AuthError` (`errorCode`, `errorMessage`), MSAL Python's error dictionaries
 */
export class AuthFailureError extends Error {
  /** The typed error: switch on its `_tag`. */
  readonly authError: AuthError

  constructor(authError: AuthError) {
    super(authError.message)
    this.name = authError._tag
    this.authError = authError
  }

  /** `instanceof` by shape: true for any `Error` carrying an `AuthError` under its tag's name. */
  static override [Symbol.hasInstance](u: unknown): boolean {
    return isAuthFailure(u)
  }
}

/**
 * The type of what Promise methods reject with: {@link AuthFailureError}.
 *
 * @category model
 * @since 0.1.0
 */
export type AuthFailure = AuthFailureError

/**
 * True when `u` is what a Promise method rejects with: an `Error` whose `authError` is an
 * {@link AuthError} and whose `name` is that error's tag. The same test as `instanceof
 * AuthFailureError`, as a type guard.
 *
 * @example
 * ```ts
 * import { isAuthFailure, type ConfidentialClient } from '@authfold/client'
 *
 * declare const app: ConfidentialClient
 * const result = await app.acquireTokenForClient(['https://graph.microsoft.com/.default']).catch((e: unknown) => {
 *   if (isAuthFailure(e) && e.authError._tag === 'HttpError') return undefined
 *   throw e
 * })
 * ```
 *
 * @category guards
 * @since 0.1.0
 */
export const isAuthFailure = (u: unknown): u is AuthFailure =>
  u instanceof Error && isAuthError((u as { readonly authError?: unknown }).authError) && u.name === (u as AuthFailure).authError._tag

/**
 * Wraps an {@link AuthError} as a throwable {@link AuthFailureError}.
 *
 * @category utils
 * @since 0.1.0
 */
export const toFailure = (e: AuthError): AuthFailure => new AuthFailureError(e)

/**
 * What a TaskEither method's task resolves with: fp-ts's `Either<AuthError, A>`, spelt out so
 * that {@link toPromise} and {@link orThrow} take any Either of that shape.
 *
 * @category model
 * @since 0.1.0
 */
export type Outcome<A> = { readonly _tag: 'Left'; readonly left: AuthError } | { readonly _tag: 'Right'; readonly right: A }

/**
 * Runs a TaskEither, resolving its Right and rejecting its Left as an {@link AuthFailure}.
 * One `then` on the task's promise, no async frame: a cache hit through a facade builds
 * nothing more than it must. A task that throws instead of answering rejects as well.
 *
 * @category utils
 * @since 0.1.0
 */
export const toPromise = <A>(te: () => Promise<Outcome<A>>): Promise<A> => {
  try {
    return te().then(orThrow)
  } catch (e) {
    return Promise.reject(e)
  }
}

/**
 * The value of a `Right`, or throws the `Left` as an {@link AuthFailure}: how the
 * `create…Client` constructors raise a `ConfigError`, as MSAL Python's constructors raise.
 *
 * @category utils
 * @since 0.1.0
 */
export const orThrow = <A>(e: Outcome<A>): A => {
  if (e._tag === 'Left') throw toFailure(e.left)
  return e.right
}
