/**
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError } from '@authfold/core'
import { userFic, type UserAuthResult } from '@authfold/grants'
import { callGrant, type ConfidentialContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Options of `acquireTokenByUserFederatedIdentityCredential`: the user, named by exactly
 * one of `username` and `userObjectId` (MSAL Python's `username` / `user_object_id`).
 *
 * @category model
 * @since 0.1.0
 */
export interface AcquireTokenByUserFederatedIdentityCredentialOptions extends CallOptions {
  /** The user's UPN, sent as `username`. */
  readonly username?: string
  /** The user's object id, sent as `user_id`. */
  readonly userObjectId?: string
  /** A claims challenge from a resource, sent as `claims`. */
  readonly claimsChallenge?: string
  /** Sent as `client-request-id`. Default: a fresh UUID per call. */
  readonly correlationId?: string
}

/**
 * Acquires a token for one user with a user federated identity credential (the agent
 * identity flow's last leg): `grant_type=user_fic` with the `assertion` as
 * `user_federated_identity_credential` and the user as `username` or `user_id`. The tokens
 * are filed as every user sign-in files them (access, refresh and ID tokens, the account).
 * Neither or both of `username` and `userObjectId` is a `ConfigError` and nothing is sent;
 * an error answer is a `ProtocolError` and the cache stays as it was.
 *
 * @example
 * ```ts
 * import type { ConfidentialClient } from '@authfold/client'
 *
 * declare const app: ConfidentialClient
 * declare const t2: string // the agent's federated identity credential
 * const result = await app.acquireTokenByUserFederatedIdentityCredential(['User.Read'], t2, { username: 'agent@contoso.com' })
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_by_user_federated_identity_credential`
 */
export const acquireTokenByUserFederatedIdentityCredential =
  (ctx: ConfidentialContext) =>
  (
    scopes: ReadonlyArray<string>,
    assertion: string,
    options: AcquireTokenByUserFederatedIdentityCredentialOptions = {},
  ): TE.TaskEither<AuthError, UserAuthResult> => {
    const { signal: _signal, timeoutMs: _timeoutMs, ...params } = options
    return callGrant(ctx, options, (authority) =>
      userFic({
        clientId: ctx.clientId,
        authority,
        credential: ctx.credential,
        assertion,
        scopes,
        ...(ctx.clientCapabilities === undefined ? {} : { clientCapabilities: ctx.clientCapabilities }),
        ...(ctx.excludeScopes === undefined ? {} : { excludeScopes: ctx.excludeScopes }),
        ...params,
      }),
    )
  }
