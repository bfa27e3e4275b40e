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
): TE.TaskEither<AuthError, ResolvedAuthority> => {
  let ok: ResolvedAuthority | undefined
  let pending: Promise<Awaited<ReturnType<TE.TaskEither<AuthError, ResolvedAuthority>>>> | undefined
  return async () => {
    if (ok !== undefined) return { _tag: 'Right', right: ok }
    pending ??= resolveAuthority(authority, options)(env)()
    const result = await pending
    pending = undefined
    if (result._tag === 'Right') ok = result.right
    return result
  }
}
