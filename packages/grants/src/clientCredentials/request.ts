/**
 * @module
 */
import type { TokenFields } from '../steps/authenticate.js'
import { sshCertificateFields, type SshCertificateRequest } from '../sshCert/sshCert.js'

/**
 * What the client-credentials form says.
 *
 * @category model
 * @since 0.1.0
 */
export interface ClientCredentialsFields {
  /** Sent as given (never decorated); typically one `<resource>/.default`. */
  readonly scopes: ReadonlyArray<string>
  /** The merged claims challenge and client capabilities, as a JSON string. */
  readonly claims?: string | undefined
  /** A Federated Managed Identity path. */
  readonly fmiPath?: string | undefined
  /** An SSH certificate request: adds `token_type=ssh-cert`, `key_id`, `req_cnf`. */
  readonly sshCertificate?: SshCertificateRequest | undefined
}

/**
 * The form fields of a client-credentials request: pure, testable without HTTP.
 *
 * @example
 * ```ts
 * import { clientCredentialsRequest } from '@authfold/grants'
 *
 * clientCredentialsRequest({ scopes: ['https://graph.microsoft.com/.default'] })
 * // { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default', claims: undefined, fmi_path: undefined }
 * ```
 * @category requests
 * @since 0.1.0
 * @see RFC 6749 §4.4.2, MSAL Python `ConfidentialClientApplication._acquire_token_for_client`
 */
export const clientCredentialsRequest = (p: ClientCredentialsFields): TokenFields => ({
  grant_type: 'client_credentials',
  scope: p.scopes.join(' '),
  claims: p.claims,
  fmi_path: p.fmiPath,
  ...sshCertificateFields(p.sshCertificate),
})
