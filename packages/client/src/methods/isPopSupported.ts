/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import type { AuthError } from '@authfold/core'
import type { ClientContext } from '../context.js'

/**
 * Whether this client can acquire proof-of-possession (PoP) tokens: always `false`. MSAL
 * Python answers `True` only with a broker (WAM on Windows, the Company Portal on macOS);
 * authfold has no broker, so it answers as MSAL Python does without one.
 *
 * @example
 * ```ts
 * import type { PublicClient } from '@authfold/client'
 *
 * declare const app: PublicClient
 * await app.isPopSupported() // false
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.is_pop_supported`
 */
export const isPopSupported =
  (_ctx: ClientContext) =>
  (): TE.TaskEither<AuthError, boolean> =>
    TE.right(false)
