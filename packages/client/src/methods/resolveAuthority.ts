/**
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError, ResolvedAuthority } from '@authfold/core'
import type { ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Resolves the client's authority now (instance and tenant discovery, region): its
 * endpoints, tenant id (`realm`), cache environment and aliases. Call it at start-up to
 * fail fast on an unknown instance or tenant, as MSAL Python's constructor does; the first
 * token call reuses the answer. A failure is not kept: the next call tries again.
 *
 * @example
 * ```ts
 * import type { PublicClient } from '@authfold/client'
 *
 * declare const app: PublicClient
 * const { metadata, realm } = await app.resolveAuthority()
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.__init__` (authority validation)
 */
export const resolveAuthority =
  (ctx: ClientContext) =>
  (options?: CallOptions): TE.TaskEither<AuthError, ResolvedAuthority> =>
    ctx.call(options, () => ctx.resolved)
