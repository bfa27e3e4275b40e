/**
 * @module
 */
import type { AuthError } from '@authfold/core'

/**
 * What a Promise method rejects with: a plain `Error` whose `authError` holds the typed
 * {@link AuthError} (switch on `authError._tag` and `authError.code`).
 *
 * @category model
 * @since 0.1.0
 */
export type AuthFailure = Error & { readonly authError: AuthError }

/**
 * Wraps an {@link AuthError} as a throwable {@link AuthFailure}.
 *
 * @category utils
 * @since 0.1.0
 */
export const toFailure = (e: AuthError): AuthFailure =>
  Object.assign(new Error(e.message), { name: e._tag, authError: e })

/**
 * Runs a TaskEither, resolving its Right and rejecting its Left as an {@link AuthFailure}.
 *
 * @category utils
 * @since 0.1.0
 */
export const toPromise = async <A>(te: () => Promise<{ readonly _tag: 'Left'; readonly left: AuthError } | { readonly _tag: 'Right'; readonly right: A }>): Promise<A> => {
  const r = await te()
  if (r._tag === 'Left') throw toFailure(r.left)
  return r.right
}

/**
 * The value of a `Right`, or throws the `Left` as an {@link AuthFailure}: how the
 * `create…Client` constructors raise a `ConfigError`, as MSAL Python's constructors raise.
 *
 * @category utils
 * @since 0.1.0
 */
export const orThrow = <A>(e: { readonly _tag: 'Left'; readonly left: AuthError } | { readonly _tag: 'Right'; readonly right: A }): A => {
  if (e._tag === 'Left') throw toFailure(e.left)
  return e.right
}
