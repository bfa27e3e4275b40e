/**
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError, ClientAuth } from '@authfold/core'
import { acquireTokenByAuthorizationCode as redeem, type UserAuthResult } from '@authfold/grants'
import { callGrant, clientParams, type ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Options of `acquireTokenByAuthorizationCode`.
 *
 * @category model
 * @since 0.1.0
 */
export interface AcquireTokenByAuthorizationCodeOptions extends CallOptions {
  /** The redirect URI the auth URL carried (required then). */
  readonly redirectUri?: string
  /** The nonce the auth URL carried: the id_token must carry it. */
  readonly nonce?: string
  readonly claimsChallenge?: string
  /** Sent as `client-request-id`. Default: a fresh UUID per call. */
  readonly correlationId?: string
}

/**
 * Redeems an authorization code got with `getAuthorizationRequestUrl`. Prefer
 * `acquireTokenByAuthCodeFlow`, which adds PKCE and checks the state for you.
 *
 * @example
 * ```ts
 * import type { ConfidentialClient } from '@authfold/client'
 *
 * declare const app: ConfidentialClient
 * declare const code: string, redirectUri: string, nonce: string
 * const result = await app.acquireTokenByAuthorizationCode(code, ['User.Read'], { redirectUri, nonce })
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_by_authorization_code`
 */
export const acquireTokenByAuthorizationCode =
  (ctx: ClientContext & { readonly credential?: ClientAuth }) =>
  (code: string, scopes: ReadonlyArray<string>, options: AcquireTokenByAuthorizationCodeOptions = {}): TE.TaskEither<AuthError, UserAuthResult> => {
    const { signal: _signal, timeoutMs: _timeoutMs, ...params } = options
    return callGrant(ctx, options, (authority) =>
      redeem({
        ...clientParams(ctx),
        authority,
        credential: ctx.credential,
        code,
        scopes,
        ...params,
      }),
    )
  }
