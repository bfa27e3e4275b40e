/**
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError } from '@authfold/core'
import { onBehalfOf, type UserAuthResult } from '@authfold/grants'
import { callGrant, type ConfidentialContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Options of `acquireTokenOnBehalfOf`.
 *
 * @category model
 * @since 0.1.0
 */
export interface AcquireTokenOnBehalfOfOptions extends CallOptions {
  /** A claims challenge from the downstream API: skips the cached token, sent as `claims`. */
  readonly claimsChallenge?: string
  /** Skip the cached access token (msal-node's `skipCache`). */
  readonly forceRefresh?: boolean
  /** Sent as `client-request-id`. Default: a fresh UUID per call. */
  readonly correlationId?: string
}

/**
 * Acquires a token for a downstream API on behalf of the user whose token (`userAssertion`,
 * a JWT) the middle tier was called with. Cache aware: a second call with the same
 * assertion and scopes is answered from the cache; an expired token is refreshed with the
 * refresh token of that same assertion, never another user's. A user assertion that is
 * not a JWT is a `ConfigError` and nothing is sent; an error answer is a `ProtocolError`
 * and the cache stays as it was.
 *
 * @example
 * ```ts
 * import type { ConfidentialClient } from '@authfold/client'
 *
 * declare const app: ConfidentialClient
 * declare const incomingJwt: string // the access token the API was called with
 * const result = await app.acquireTokenOnBehalfOf(incomingJwt, ['api://downstream/read'])
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_on_behalf_of`
 */
export const acquireTokenOnBehalfOf =
  (ctx: ConfidentialContext) =>
  (userAssertion: string, scopes: ReadonlyArray<string>, options: AcquireTokenOnBehalfOfOptions = {}): TE.TaskEither<AuthError, UserAuthResult> => {
    const { signal: _signal, timeoutMs: _timeoutMs, ...params } = options
    return callGrant(ctx, options, (authority) =>
      onBehalfOf({
        clientId: ctx.clientId,
        authority,
        credential: ctx.credential,
        userAssertion,
        scopes,
        ...(ctx.clientCapabilities === undefined ? {} : { clientCapabilities: ctx.clientCapabilities }),
        ...(ctx.excludeScopes === undefined ? {} : { excludeScopes: ctx.excludeScopes }),
        ...params,
      }),
    )
  }
