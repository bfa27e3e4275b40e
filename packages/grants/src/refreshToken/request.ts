/**
 * @module
 */
import type { TokenFields } from '../steps/authenticate.js'
import { sshCertificateFields, type SshCertificateRequest } from '../sshCert/sshCert.js'

/**
 * What a refresh token request's form says.
 *
 * @category model
 * @since 0.1.0
 */
export interface RefreshTokenFields {
  /** Sent once, in the form body; never in an error, a log line or a snapshot. */
  readonly refreshToken: string
  /** The decorated scopes (`openid profile offline_access` added). */
  readonly scopes: ReadonlyArray<string>
  /** The merged claims challenge and client capabilities, as a JSON string. */
  readonly claims?: string | undefined
  /** An SSH certificate request: adds `token_type=ssh-cert`, `key_id`, `req_cnf`. */
  readonly sshCertificate?: SshCertificateRequest | undefined
}

/**
 * The form fields of a `refresh_token` request as MSAL Python 1.21 sends them:
 * `grant_type=refresh_token`, `client_info=1`, `refresh_token`, `scope` (sorted and
 * space-joined, as `oauth2cli` normalises it) and `claims` when there are any. Pure.
 *
 * @example
 * ```ts
 * import { refreshTokenRequest } from '@authfold/grants'
 *
 * declare const rt: string
 * refreshTokenRequest({ refreshToken: rt, scopes: ['User.Read', 'openid', 'profile', 'offline_access'] })
 * // { grant_type: 'refresh_token', client_info: '1', refresh_token: rt, scope: 'User.Read offline_access openid profile', claims: undefined }
 * ```
 * @category requests
 * @since 0.1.0
 * @see RFC 6749 §6, MSAL Python `oauth2cli.oauth2.BaseClient.obtain_token_by_refresh_token`
 */
export const refreshTokenRequest = (p: RefreshTokenFields): TokenFields => ({
  grant_type: 'refresh_token',
  client_info: '1',
  refresh_token: p.refreshToken,
  scope: [...p.scopes].sort().join(' '),
  claims: p.claims,
  ...sshCertificateFields(p.sshCertificate),
})

/**
 * The routing header MSAL Python's silent flow sends with a refresh of an account's token:
 * `X-AnchorMailbox: Oid:<uid>@<utid>` (the home account id with its dot made an `@`).
 *
 * @category requests
 * @since 0.1.0
 * @see MSAL Python `_acquire_token_silent_by_finding_specific_refresh_token`
 */
export const accountAnchorHeaders = (homeAccountId: string): Readonly<Record<string, string>> => ({
  'X-AnchorMailbox': `Oid:${homeAccountId.replaceAll('.', '@')}`,
})
