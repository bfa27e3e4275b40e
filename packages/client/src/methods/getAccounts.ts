/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import type { AuthError } from '@authfold/core'
import { listAccounts, type AccountInfo } from '@authfold/grants'
import { callWithAuthority, type ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Lists the accounts signed in through this client's authority (its host, or else the
 * first of its aliases that has any), one per home account, shaped like MSAL Python's
 * account dicts (`home_account_id`, `environment`, `username`, `local_account_id`,
 * `realm`, `authority_type`); `username` filters case-insensitively. Resolves the
 * authority first (its alias group), reads the store, sends no token request.
 *
 * @example
 * ```ts
 * import type { PublicClient } from '@authfold/client'
 *
 * declare const app: PublicClient
 * const [account] = await app.getAccounts('jane@contoso.com')
 * const result = account === undefined ? undefined : await app.acquireTokenSilent(['User.Read'], account)
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.get_accounts`
 */
export const getAccounts =
  (ctx: ClientContext) =>
  (username?: string, options?: CallOptions): TE.TaskEither<AuthError, ReadonlyArray<AccountInfo>> =>
    callWithAuthority(ctx, options, (authority) =>
      pipe(
        ctx.store.load(),
        TE.map(listAccounts({ environment: authority.environment, aliases: authority.aliases, username })),
      ),
    )
