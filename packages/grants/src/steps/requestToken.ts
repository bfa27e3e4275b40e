/**
 * The token request every grant sends: per-call headers and telemetry, then
 * {@link authenticate} -> {@link send} -> `processTokenResponse`.
 *
 * @module
 */
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import {
  emptyTelemetryBuffer,
  processTokenResponse,
  telemetryContext,
  telemetryHeaders,
  type ApiId,
  type AuthError,
  type ClientAuth,
  type GrantEnv,
  type RefreshReason,
  type TelemetryContext,
  type TokenResponse,
} from '@authfold/core'
import { authenticate, type TokenEndpointRequest } from './authenticate.js'
import { send } from './send.js'
import { shareKey } from './shareKey.js'

/**
 * Which public call a request belongs to, for telemetry and correlation.
 *
 * @category model
 * @since 0.1.0
 */
export interface TokenCall {
  readonly apiId: ApiId
  readonly refreshReason: RefreshReason
  /** Sent as `client-request-id`. Default: a fresh UUID. */
  readonly correlationId?: string
}

/**
 * The per-call headers MSAL sends on a token request: `client-request-id`,
 * `return-client-request-id`, and the current and last telemetry (the last from the
 * environment's telemetry recorder, when there is one). Library headers (`x-client-sku`,
 * ...) belong to the HTTP policy, not to a grant.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_TelemetryContext.generate_headers`
 */
export const callHeaders = (env: GrantEnv, context: TelemetryContext): Readonly<Record<string, string>> => ({
  ...(env.telemetry?.headers(context) ?? telemetryHeaders(emptyTelemetryBuffer, context)),
  'return-client-request-id': 'true',
})

/**
 * Sends one token request and returns the checked answer, telling the environment's
 * telemetry recorder how it went (an OAuth error is remembered for the next request's
 * `x-client-last-telemetry`; any other answer empties the buffer). When the environment
 * can share requests (`env.share`, single flight), an identical request of the same client
 * already in flight ({@link shareKey}, same credential) is joined instead of sent again:
 * only the first caller authenticates and sends, and every sharer gets the one answer.
 *
 * @example
 * ```ts
 * import { requestToken, type TokenFields } from '@authfold/grants'
 * import { ApiId, clientSecret, RefreshReason, type GrantEnv } from '@authfold/core'
 *
 * declare const tokenEndpoint: string, clientId: string, fields: TokenFields, secret: string, env: GrantEnv
 * const answer = await requestToken({ tokenEndpoint, clientId, fields }, clientSecret(secret), { apiId: ApiId.acquireTokenForClient, refreshReason: RefreshReason.atAbsent })(env)()
 * ```
 * @category steps
 * @since 0.1.0
 */
export const requestToken =
  (request: TokenEndpointRequest, credential: ClientAuth | undefined, call: TokenCall): ReaderTaskEither<GrantEnv, AuthError, TokenResponse> =>
  (env) =>
    env.share === undefined ? sendOnce(request, credential, call)(env) : env.share(shareKey(request, call.apiId), credential, sendOnce(request, credential, call))

const sendOnce =
  (request: TokenEndpointRequest, credential: ClientAuth | undefined, call: TokenCall): ReaderTaskEither<GrantEnv, AuthError, TokenResponse> =>
  (env) => {
    const context = telemetryContext(call.apiId, env.random, {
      refreshReason: call.refreshReason,
      ...(call.correlationId === undefined ? {} : { correlationId: call.correlationId }),
    })
    return pipe(
      authenticate(credential)({ ...request, headers: { ...callHeaders(env, context), ...request.headers } })(env),
      TE.chain((httpRequest) => send(httpRequest)(env)),
      TE.chainEitherK(processTokenResponse(request.tokenEndpoint)),
      TE.bimap(
        (e) => {
          if (e._tag === 'ProtocolError') env.telemetry?.record(context, { error: e.error })
          return e
        },
        (answer) => {
          env.telemetry?.record(context, {})
          return answer
        },
      ),
    )
  }
