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
): TE.TaskEither<AuthError, ResolvedAuthority> => memoize(resolveAuthority(authority, options)(env))

/**
 * Keeps the first successful answer of a TaskEither; concurrent callers share one run, and
 * a failure is not kept.
 *
 * @category utils
 * @since 0.1.0
 */
export const memoize = <E, A>(task: TE.TaskEither<E, A>): TE.TaskEither<E, A> => {
  let ok: A | undefined
  let pending: ReturnType<TE.TaskEither<E, A>> | undefined
  return async () => {
    if (ok !== undefined) return { _tag: 'Right', right: ok }
    pending ??= task()
    const result = await pending
    pending = undefined
    if (result._tag === 'Right') ok = result.right
    return result
  }
}
