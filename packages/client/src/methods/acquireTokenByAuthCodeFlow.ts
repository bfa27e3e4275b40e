/**
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError, ClientAuth } from '@authfold/core'
import { acquireTokenByAuthCodeFlow as completeFlow, type AuthCodeFlow, type AuthResponse, type UserAuthResult } from '@authfold/grants'
import { callGrant, clientParams, type ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Options of `acquireTokenByAuthCodeFlow`.
 *
 * @category model
 * @since 0.1.0
 */
export interface AcquireTokenByAuthCodeFlowOptions extends CallOptions {
  /** A subset of the flow's scopes (one resource) to redeem the code for. */
  readonly scopes?: ReadonlyArray<string>
  /** Sent as `client-request-id`. Default: a fresh UUID per call. */
  readonly correlationId?: string
}

/**
 * Completes a sign-in: the redirect's parameters checked against the flow (state first,
 * before any request), the code redeemed with the PKCE verifier (and the client's
 * credential on a confidential client), the id_token checked (nonce, audience, issuer,
 * expiry, `max_age`), the tokens and account cached. A failed check leaves the cache as
 * it was.
 *
 * @example
 * ```ts
 * import type { ConfidentialClient } from '@authfold/client'
 * import type { AuthCodeFlow } from '@authfold/grants'
 *
 * declare const app: ConfidentialClient
 * declare const session: { flow: AuthCodeFlow } // kept by initiateAuthCodeFlow
 * declare const query: Record<string, string> // the redirect's query (or the form_post body)
 * const result = await app.acquireTokenByAuthCodeFlow(session.flow, query)
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_by_auth_code_flow`
 */
export const acquireTokenByAuthCodeFlow =
  (ctx: ClientContext & { readonly credential?: ClientAuth }) =>
  (flow: AuthCodeFlow, authResponse: AuthResponse, options: AcquireTokenByAuthCodeFlowOptions = {}): TE.TaskEither<AuthError, UserAuthResult> => {
    const { signal: _signal, timeoutMs: _timeoutMs, ...params } = options
    return callGrant(ctx, options, (authority) =>
      completeFlow({
        ...clientParams(ctx),
        authority,
        credential: ctx.credential,
        flow,
        authResponse,
        ...params,
      }),
    )
  }
