/**
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError, ClientAuth } from '@authfold/core'
import { byRefreshToken, type UserAuthResult } from '@authfold/grants'
import { callGrant, type ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Options of `acquireTokenByRefreshToken`.
 *
 * @category model
 * @since 0.1.0
 */
export interface AcquireTokenByRefreshTokenOptions extends CallOptions {
  /** Sent as `client-request-id`. Default: a fresh UUID per call. */
  readonly correlationId?: string
}

/**
 * Migrates a refresh token obtained elsewhere (ADAL, another library) into the cache, as
 * MSAL Python's `acquire_token_by_refresh_token`: one refresh request; the tokens it
 * answers (a new refresh token included) and the account are cached, so later calls use
 * `getAccounts` and `acquireTokenSilent`. A refused refresh token rejects with the IdP's
 * `ProtocolError` (`invalid_grant`), the cache as it was. Not needed for tokens this
 * library obtained: the silent flow refreshes those itself.
 *
 * @example
 * ```ts
 * import type { PublicClient } from '@authfold/client'
 *
 * declare const app: PublicClient
 * declare const oldRefreshToken: string
 * const result = await app.acquireTokenByRefreshToken(oldRefreshToken, ['User.Read'])
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_by_refresh_token`
 */
export const acquireTokenByRefreshToken =
  (ctx: ClientContext & { readonly credential?: ClientAuth }) =>
  (refreshToken: string, scopes: ReadonlyArray<string>, options: AcquireTokenByRefreshTokenOptions = {}): TE.TaskEither<AuthError, UserAuthResult> => {
    const { signal: _signal, timeoutMs: _timeoutMs, ...params } = options
    return callGrant(ctx, options, (authority) =>
      byRefreshToken({
        clientId: ctx.clientId,
        authority,
        credential: ctx.credential,
        refreshToken,
        scopes,
        ...(ctx.excludeScopes === undefined ? {} : { excludeScopes: ctx.excludeScopes }),
        ...params,
      }),
    )
  }
