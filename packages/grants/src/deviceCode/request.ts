/**
 * @module
 */
import { DEVICE_CODE_GRANT_TYPE } from '@authfold/core'
import type { TokenFields } from '../steps/authenticate.js'

/**
 * What the device authorization form says.
 *
 * @category model
 * @since 0.1.0
 */
export interface DeviceCodeFields {
  readonly clientId: string
  /** Already decorated (`openid profile offline_access` added, see `decorateScopes`). */
  readonly scopes: ReadonlyArray<string>
  /** A claims request as a JSON string (MSAL Python sends none here; left out when undefined). */
  readonly claims?: string | undefined
}

/**
 * The form fields of a device authorization request: pure, testable without HTTP.
 *
 * @example
 * ```ts
 * import { deviceCodeRequest } from '@authfold/grants'
 *
 * deviceCodeRequest({ clientId: 'cid', scopes: ['User.Read', 'openid', 'profile', 'offline_access'] })
 * // { client_id: 'cid', scope: 'User.Read openid profile offline_access', claims: undefined }
 * ```
 * @category requests
 * @since 0.1.0
 * @see RFC 8628 §3.1, MSAL Python `Client.initiate_device_flow`
 */
export const deviceCodeRequest = (p: DeviceCodeFields): TokenFields => ({
  client_id: p.clientId,
  scope: p.scopes.join(' '),
  claims: p.claims,
})

/**
 * The form fields of one device-code poll (the client id and credential are added by
 * `authenticate`). Like MSAL Python it sends the device code twice, as `device_code` and as
 * `code` (a transition hack Entra still accepts), and asks for `client_info`.
 *
 * @example
 * ```ts
 * import { deviceCodePollRequest } from '@authfold/grants'
 *
 * deviceCodePollRequest({ deviceCode: 'dc' })
 * // { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'dc', code: 'dc', client_info: '1', claims: undefined }
 * ```
 * @category requests
 * @since 0.1.0
 * @see RFC 8628 §3.4, MSAL Python `ClientApplication.acquire_token_by_device_flow`
 */
export const deviceCodePollRequest = (p: { readonly deviceCode: string; readonly claims?: string | undefined }): TokenFields => ({
  grant_type: DEVICE_CODE_GRANT_TYPE,
  device_code: p.deviceCode,
  code: p.deviceCode,
  client_info: '1',
  claims: p.claims,
})
