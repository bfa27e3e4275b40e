/**
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import { pipe } from 'fp-ts/function'
import { decorateScopes, formPost, uuidFrom, type AuthError, type GrantEnv, type ResolvedAuthority } from '@authfold/core'
import { deviceCodeRequest } from './request.js'
import { processDeviceCodeAnswer, type DeviceFlow } from './flow.js'

/**
 * Parameters of {@link initiateDeviceFlow}.
 *
 * @category model
 * @since 0.1.0
 */
export interface InitiateDeviceFlowParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  /** The scopes asked; `openid profile offline_access` are added (see `decorateScopes`). */
  readonly scopes: ReadonlyArray<string>
  /** Reserved scopes to leave out (MSAL's `exclude_scopes`). */
  readonly excludeScopes?: ReadonlyArray<string>
  /** A claims request (JSON string), sent as `claims`. */
  readonly claims?: string
  /** Sent as `client-request-id` and kept in the flow for its polls. Default: a fresh UUID. */
  readonly correlationId?: string
}

/**
 * The device authorization endpoint of an authority: the one its metadata names, else the
 * token endpoint's sibling `devicecode` (MSAL Python's `urljoin(token_endpoint, "devicecode")`).
 *
 * @category steps
 * @since 0.1.0
 */
export const deviceAuthorizationEndpoint = (authority: ResolvedAuthority): string =>
  authority.metadata.device_authorization_endpoint ?? authority.metadata.token_endpoint.replace(/[^/?#]*([?#].*)?$/, 'devicecode')

/**
 * Starts a device flow: one POST to the device authorization endpoint, the answer read into a
 * {@link DeviceFlow} whose `expires_at` comes from the clock effect. Show `flow.message` to the
 * user, then poll with `deviceCode(params, flow)`.
 *
 * @example
 * ```ts
 * import { initiateDeviceFlow } from '@authfold/grants'
 * import type { GrantEnv, ResolvedAuthority } from '@authfold/core'
 *
 * declare const clientId: string, authority: ResolvedAuthority, env: GrantEnv
 * const flow = await initiateDeviceFlow({ clientId, authority, scopes: ['User.Read'] })(env)()
 * if (flow._tag === 'Right') console.log(flow.right.message)
 * ```
 * @category grants
 * @since 0.1.0
 * @see RFC 8628 §3.1, MSAL Python `PublicClientApplication.initiate_device_flow`
 */
export const initiateDeviceFlow =
  (p: InitiateDeviceFlowParams): ReaderTaskEither<GrantEnv, AuthError, DeviceFlow> =>
  (env) => {
    const scopes = decorateScopes(p.scopes, p.excludeScopes === undefined ? {} : { excludeScopes: p.excludeScopes })
    if (E.isLeft(scopes)) return TE.left(scopes.left)
    const url = deviceAuthorizationEndpoint(p.authority)
    const correlationId = p.correlationId ?? uuidFrom(env.random)
    return pipe(
      env.http(formPost(url, deviceCodeRequest({ clientId: p.clientId, scopes: scopes.right, claims: p.claims }), { 'client-request-id': correlationId })),
      TE.chainEitherK((response) => processDeviceCodeAnswer(url, Math.floor(env.now() / 1000), correlationId)(response)),
    )
  }
