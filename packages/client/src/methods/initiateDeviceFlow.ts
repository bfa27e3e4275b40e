/**
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError } from '@authfold/core'
import { initiateDeviceFlow as initiate, type DeviceFlow } from '@authfold/grants'
import { callWithAuthority, type ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Options of `initiateDeviceFlow`.
 *
 * @category model
 * @since 0.1.0
 */
export interface InitiateDeviceFlowOptions extends CallOptions {
  /** Sent as `client-request-id`, and by every poll of this flow. Default: a fresh UUID. */
  readonly correlationId?: string
}

/**
 * Starts a device flow: asks the authority for a user code. Show `flow.message` to the user
 * (it names the verification URI and the code), then pass the flow to
 * `acquireTokenByDeviceFlow`. The flow is plain JSON.
 *
 * @example
 * ```ts
 * import type { PublicClient } from '@authfold/client'
 *
 * declare const app: PublicClient
 * const flow = await app.initiateDeviceFlow(['User.Read'])
 * console.log(flow.message)
 * const result = await app.acquireTokenByDeviceFlow(flow)
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `PublicClientApplication.initiate_device_flow`
 */
export const initiateDeviceFlow =
  (ctx: ClientContext) =>
  (scopes: ReadonlyArray<string>, options: InitiateDeviceFlowOptions = {}): TE.TaskEither<AuthError, DeviceFlow> =>
    callWithAuthority(ctx, options, (authority, env) =>
      initiate({
        clientId: ctx.clientId,
        authority,
        scopes,
        ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
      })(env),
    )
