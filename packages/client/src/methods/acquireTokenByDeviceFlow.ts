/**
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError } from '@authfold/core'
import { deviceCode, type DeviceFlow, type UserAuthResult } from '@authfold/grants'
import { callGrant, type ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Options of `acquireTokenByDeviceFlow`. Without `timeoutMs` the call's deadline is the
 * flow's expiry (plus {@link DEVICE_FLOW_GRACE_MS}), not the client's `callTimeoutMs`: the
 * user has until then to sign in.
 *
 * @category model
 * @since 0.1.0
 */
export interface AcquireTokenByDeviceFlowOptions extends CallOptions {
  /** A claims challenge from a resource, sent as `claims`. */
  readonly claimsChallenge?: string
  /** Sent as `client-request-id`. Default: the flow's `_correlation_id`. */
  readonly correlationId?: string
}

/**
 * Time given after the flow's expiry before the call's deadline fires, so the polling ends
 * with its own `flow_expired` answer first.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEVICE_FLOW_GRACE_MS = 30_000

/**
 * The deadline of a device flow call: the caller's `timeoutMs`, else the time left until
 * the flow's `expires_at` plus {@link DEVICE_FLOW_GRACE_MS}.
 *
 * @category utils
 * @since 0.1.0
 */
export const deviceFlowTimeoutMs = (flow: DeviceFlow, nowMs: number, timeoutMs: number | undefined): number =>
  timeoutMs ?? Math.max(0, flow.expires_at * 1000 - nowMs) + DEVICE_FLOW_GRACE_MS

/**
 * Waits for the user to sign in on another device, polling at the server's interval, then
 * saves the tokens and account. `signal` stops it (`HttpError` `aborted`); so does setting
 * `flow.expires_at = 0`, as in MSAL Python (`ValidationError` `flow_expired`). Declined,
 * expired and unknown codes are ProtocolErrors (`authorization_declined`, `expired_token`,
 * `bad_verification_code`). Nothing is saved on any failure.
 *
 * @example
 * ```ts
 * import type { PublicClient } from '@authfold/client'
 *
 * declare const app: PublicClient
 * const flow = await app.initiateDeviceFlow(['User.Read'])
 * console.log(flow.message)
 * const result = await app.acquireTokenByDeviceFlow(flow, { signal: AbortSignal.timeout(120_000) })
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `PublicClientApplication.acquire_token_by_device_flow`
 */
export const acquireTokenByDeviceFlow =
  (ctx: ClientContext) =>
  (flow: DeviceFlow, options: AcquireTokenByDeviceFlowOptions = {}): TE.TaskEither<AuthError, UserAuthResult> => {
    const { signal: _signal, timeoutMs, ...params } = options
    return callGrant(ctx, { ...options, timeoutMs: deviceFlowTimeoutMs(flow, ctx.env.now(), timeoutMs) }, (authority, signal) =>
      deviceCode(
        {
          clientId: ctx.clientId,
          authority,
          signal,
          ...(ctx.clientCapabilities === undefined ? {} : { clientCapabilities: ctx.clientCapabilities }),
          ...params,
        },
        flow,
      ),
    )
  }
