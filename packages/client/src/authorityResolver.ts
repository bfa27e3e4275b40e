/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { resolveAuthority, type Authority, type AuthError, type GrantEnv, type ResolvedAuthority, type ResolveAuthorityOptions } from '@authfold/core'

/**
 * Resolves an authority once and reuses the answer; a failed resolution is not kept, so the
 * next call tries again.
 *
 * @category utils
 * @since 0.1.0
 */
export const memoizedResolver = (
  authority: Authority,
  options: ResolveAuthorityOptions,
  env: GrantEnv,
): Memoized<AuthError, ResolvedAuthority> => memoize(resolveAuthority(authority, options)(env))

/**
 * A memoized TaskEither, and its kept answer (`current()`, `undefined` until one succeeded).
 *
 * @category model
 * @since 0.1.0
 */
export type Memoized<E, A> = TE.TaskEither<E, A> & { readonly current: () => A | undefined }

/**
 * Keeps the first successful answer of a TaskEither; concurrent callers share one run, and
 * a failure is not kept.
 *
 * @category utils
 * @since 0.1.0
 */
export const memoize = <E, A>(task: TE.TaskEither<E, A>): Memoized<E, A> => {
  let ok: A | undefined
  let pending: ReturnType<TE.TaskEither<E, A>> | undefined
  const run: TE.TaskEither<E, A> = async () => {
    if (ok !== undefined) return { _tag: 'Right', right: ok }
    pending ??= task()
    const result = await pending
    pending = undefined
    if (result._tag === 'Right') ok = result.right
    return result
  }
  return Object.assign(run, { current: () => ok })
}
