/**
 * @module
 */
import type { TokenFields } from '../steps/authenticate.js'

/**
 * What the password grant's form says.
 *
 * @category model
 * @since 0.1.0
 */
export interface UsernamePasswordFields {
  readonly username: string
  readonly password: string
  /** The decorated scopes (`openid profile offline_access` added). */
  readonly scopes: ReadonlyArray<string>
  /** The merged claims challenge and client capabilities, as a JSON string. */
  readonly claims?: string | undefined
}

/**
 * The form fields of a password (ROPC) request, as MSAL Python sends them: `grant_type`,
 * `username`, `password`, `scope`, `client_info=1` and `claims` when there are any.
 * Pure, testable without HTTP.
 *
 * @example
 * ```ts
 * import { usernamePasswordRequest } from '@authfold/grants'
 *
 * declare const p: string // the password
 * usernamePasswordRequest({ username: 'jane@contoso.com', password: p, scopes: ['User.Read', 'openid', 'profile', 'offline_access'] })
 * // { grant_type: 'password', username: 'jane@contoso.com', password: p, scope: 'User.Read openid profile offline_access', client_info: '1', claims: undefined }
 * ```
 * @category requests
 * @since 0.1.0
 * @see RFC 6749 §4.3.2, MSAL Python `oauth2.Client.obtain_token_by_username_password`
 */
export const usernamePasswordRequest = (p: UsernamePasswordFields): TokenFields => ({
  grant_type: 'password',
  username: p.username,
  password: p.password,
  scope: p.scopes.join(' '),
  client_info: '1',
  claims: p.claims,
})

/**
 * The routing header MSAL Python sends with a password grant: `X-AnchorMailbox: upn:<username>`.
 *
 * @category requests
 * @since 0.1.0
 * @see MSAL Python `_ClientWithCcsRoutingInfo.obtain_token_by_username_password`
 */
export const usernameAnchorHeaders = (username: string): Readonly<Record<string, string>> => ({ 'X-AnchorMailbox': `upn:${username}` })
