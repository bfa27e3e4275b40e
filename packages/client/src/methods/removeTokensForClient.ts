/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { removeAppTokens } from '@authfold/cache'
import type { AuthError } from '@authfold/core'
import type { ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Removes this client's app tokens (every alias of its authority) from the store, so the
 * next `acquireTokenForClient` asks the identity provider.
 *
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.remove_tokens_for_client`
 */
export const removeTokensForClient =
  (ctx: ClientContext) =>
  (options?: CallOptions): TE.TaskEither<AuthError, void> =>
    ctx.call(options, () =>
      pipe(
        ctx.resolved,
        TE.chain((ra) => ctx.store.update(removeAppTokens({ clientId: ctx.clientId, environments: ra.aliases }))),
        TE.map(() => undefined),
      ),
    )
