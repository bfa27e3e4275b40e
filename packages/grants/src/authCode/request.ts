/**
 * @module
 */
import type { TokenFields } from '../steps/authenticate.js'

/**
 * What the authorization code redemption form says.
 *
 * @category model
 * @since 0.1.0
 */
export interface AuthCodeFields {
  readonly code: string
  /** Must be the one sent in the auth URI, when one was sent. */
  readonly redirectUri?: string | undefined
  /** The decorated scopes (sent sorted, as MSAL normalizes them). */
  readonly scopes: ReadonlyArray<string>
  /** The PKCE verifier of the flow (absent with the older `acquireTokenByAuthorizationCode`). */
  readonly codeVerifier?: string | undefined
  /** The merged claims challenge and client capabilities, as a JSON string. */
  readonly claims?: string | undefined
}

/**
 * The form fields of an authorization code redemption, as MSAL Python sends them:
 * `grant_type=authorization_code`, `client_info=1`, `claims`, `code_verifier`, `code`,
 * `redirect_uri`, `scope` (undefined ones left out).
 *
 * @example
 * ```ts
 * import { authCodeRequest } from '@authfold/grants'
 *
 * declare const code: string, redirectUri: string, codeVerifier: string
 * const fields = authCodeRequest({ code, redirectUri, scopes: ['User.Read', 'openid', 'profile', 'offline_access'], codeVerifier })
 * ```
 * @category requests
 * @since 0.1.0
 * @see RFC 6749 §4.1.3, RFC 7636 §4.5, MSAL Python `oauth2cli.oauth2.Client._obtain_token_by_authorization_code`
 */
export const authCodeRequest = (f: AuthCodeFields): TokenFields => ({
  grant_type: 'authorization_code',
  client_info: '1',
  claims: f.claims,
  code_verifier: f.codeVerifier,
  code: f.code,
  redirect_uri: f.redirectUri,
  scope: f.scopes.length === 0 ? undefined : [...f.scopes].sort().join(' '),
})
