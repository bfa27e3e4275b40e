/**
 * @module
 */
import type { TokenFields } from '../steps/authenticate.js'

/**
 * The on-behalf-of grant type (RFC 7523's JWT bearer grant).
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.Client.GRANT_TYPE_JWT`
 */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

/**
 * The form fields of an on-behalf-of request, as MSAL Python sends them:
 * `grant_type` (JWT bearer), `assertion` (the incoming user token, as given),
 * `requested_token_use=on_behalf_of`, the decorated `scope`, `client_info=1`, and
 * `claims` when there are any. Pure, testable without HTTP.
 *
 * @example
 * ```ts
 * import { onBehalfOfRequest } from '@authfold/grants'
 *
 * declare const jwt: string
 * onBehalfOfRequest({ assertion: jwt, scopes: ['api://downstream/read', 'openid', 'profile', 'offline_access'] })
 * // { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt, requested_token_use: 'on_behalf_of',
 * //   scope: 'api://downstream/read openid profile offline_access', client_info: '1', claims: undefined }
 * ```
 * @category requests
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_on_behalf_of`, RFC 7523 §2.1
 */
export const onBehalfOfRequest = (p: {
  readonly assertion: string
  readonly scopes: ReadonlyArray<string>
  readonly claims?: string | undefined
}): TokenFields => ({
  grant_type: JWT_BEARER_GRANT_TYPE,
  assertion: p.assertion,
  requested_token_use: 'on_behalf_of',
  scope: p.scopes.join(' '),
  client_info: '1',
  claims: p.claims,
})

/**
 * The form fields of a refresh with an on-behalf-of refresh token (MSAL .NET refreshes an
 * OBO token with the refresh token of the same user assertion): `grant_type=refresh_token`,
 * `refresh_token`, the decorated `scope`, `client_info=1`, `claims` when any.
 *
 * @category requests
 * @since 0.1.0
 * @see RFC 6749 §6, MSAL Python `oauth2cli.Client.obtain_token_by_refresh_token`
 */
export const oboRefreshRequest = (p: {
  readonly refreshToken: string
  readonly scopes: ReadonlyArray<string>
  readonly claims?: string | undefined
}): TokenFields => ({
  grant_type: 'refresh_token',
  refresh_token: p.refreshToken,
  scope: p.scopes.join(' '),
  client_info: '1',
  claims: p.claims,
})
