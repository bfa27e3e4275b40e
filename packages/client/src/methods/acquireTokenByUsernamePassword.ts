/**
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError, ClientAuth } from '@authfold/core'
import { usernamePassword, userRealmMemo, type UserAuthResult } from '@authfold/grants'
import { callGrant, type ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Options of `acquireTokenByUsernamePassword`.
 *
 * @category model
 * @since 0.1.0
 */
export interface AcquireTokenByUsernamePasswordOptions extends CallOptions {
  /** A claims challenge from a resource, sent as `claims` (merged with the client capabilities). */
  readonly claimsChallenge?: string
  /** Sent as `client-request-id` on the user realm and token requests. Default: a fresh UUID per call. */
  readonly correlationId?: string
}

/**
 * Signs a user in with a username and password (ROPC): user realm discovery, then the
 * password grant; the tokens and the account are cached. A federated user goes through the
 * configured `federation` (`wsTrustFederation` from `@authfold/wstrust`: WS-Trust at the
 * domain's STS, then the SAML bearer grant), and without one is a `ConfigError`
 * (`unsupported`) naming that package; an unknown realm
 * a `ConfigError` on the username; a wrong password the IdP's `ProtocolError`
 * (`invalid_grant`). The password is never kept, logged, or put in an error.
 *
 * On both facades, as MSAL Python has it on `ClientApplication`; a confidential client
 * authenticates with its credential. Microsoft advises against this flow (no MFA, no
 * consent); prefer interactive sign-in or the device code flow where you can.
 *
 * @example
 * ```ts
 * import type { PublicClient } from '@authfold/client'
 *
 * declare const app: PublicClient
 * declare const password: string
 * const result = await app.acquireTokenByUsernamePassword('jane@contoso.com', password, ['User.Read'])
 * result.account?.username // 'jane@contoso.com'
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_by_username_password`
 */
export const acquireTokenByUsernamePassword = (ctx: ClientContext & { readonly credential?: ClientAuth }) => {
  // MSAL Python remembers the hosts without a user realm endpoint; so does each client.
  const memo = userRealmMemo()
  return (username: string, password: string, scopes: ReadonlyArray<string>, options: AcquireTokenByUsernamePasswordOptions = {}): TE.TaskEither<AuthError, UserAuthResult> => {
    const { signal: _signal, timeoutMs: _timeoutMs, ...params } = options
    return callGrant(ctx, options, (authority) =>
      usernamePassword({
        clientId: ctx.clientId,
        authority,
        credential: ctx.credential,
        username,
        password,
        scopes,
        userRealmMemo: memo,
        federation: ctx.federation,
        ...(ctx.clientCapabilities === undefined ? {} : { clientCapabilities: ctx.clientCapabilities }),
        ...params,
      }),
    )
  }
}
