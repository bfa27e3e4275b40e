/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { removeAccount as removeAccountEntries } from '@authfold/cache'
import { configError, type AuthError } from '@authfold/core'
import type { AccountInfo } from '@authfold/grants'
import type { ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

const fieldOf = (account: unknown, name: string): string | undefined => {
  const v = typeof account === 'object' && account !== null ? (account as Readonly<Record<string, unknown>>)[name] : undefined
  return typeof v === 'string' && v !== '' ? v : undefined
}

/**
 * Signs an account out of this app and forgets it, as MSAL Python's `remove_account`: the
 * account's refresh tokens of this app (or of its FOCI family), its access tokens, its ID
 * tokens and its Account entries (every realm) go; AppMetadata and other, non-family apps'
 * refresh tokens stay. Idempotent: an account no longer (or never) in the cache changes
 * nothing. An object that is not an account (no `home_account_id` or `environment`) is a
 * `ConfigError`.
 *
 * @example
 * ```ts
 * import type { PublicClient } from '@authfold/client'
 *
 * declare const app: PublicClient
 * for (const account of await app.getAccounts()) await app.removeAccount(account)
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.remove_account`
 */
export const removeAccount =
  (ctx: ClientContext) =>
  (account: Pick<AccountInfo, 'home_account_id' | 'environment'>, options?: CallOptions): TE.TaskEither<AuthError, void> =>
    ctx.call(options, () => {
      const homeAccountId = fieldOf(account, 'home_account_id')
      const environment = fieldOf(account, 'environment')
      if (homeAccountId === undefined || environment === undefined)
        return TE.left(configError('invalid_argument', 'Pass an account from getAccounts(): it has a home_account_id and an environment.', 'account'))
      return pipe(
        ctx.store.update(removeAccountEntries({ clientId: ctx.clientId, homeAccountId, environment })),
        TE.map(() => undefined),
      )
    })
