/**
 * SSH certificates from the token endpoint (`token_type=ssh-cert`), as MSAL Python takes
 * them in its `data` parameter.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { configError, type ConfigError } from '@authfold/core'
import type { TokenFields } from '../steps/authenticate.js'

/**
 * The token type of an SSH certificate, sent as `token_type` and answered by the IdP.
 *
 * @category constants
 * @since 0.1.0
 */
export const SSH_CERT_TOKEN_TYPE = 'ssh-cert'

/**
 * What asking for an SSH certificate takes: the public key to certify (`reqCnf`, a JWK as a
 * JSON string, sent as `req_cnf`) and the id of that key (`keyId`, sent as `key_id`; the
 * certificate is cached under it).
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._validate_ssh_cert_input_data`
 */
export interface SshCertificateRequest {
  readonly keyId: string
  readonly reqCnf: string
}

/**
 * Checks an SSH certificate request as MSAL Python's `_validate_ssh_cert_input_data`
 * does: a missing or empty `reqCnf`, then a missing or empty `keyId`, is a `ConfigError`
 * (nothing is sent).
 *
 * @example
 * ```ts
 * import { checkSshCertificate } from '@authfold/grants'
 *
 * checkSshCertificate({ keyId: 'key1', reqCnf: '{"kty":"RSA","n":"...","e":"AQAB","kid":"key1"}' }) // Right(...)
 * checkSshCertificate({ keyId: '', reqCnf: '{...}' }) // Left(ConfigError, field 'sshCertificate.keyId')
 * ```
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._validate_ssh_cert_input_data`
 */
export const checkSshCertificate = (ssh: Partial<SshCertificateRequest> | undefined): E.Either<ConfigError, SshCertificateRequest> =>
  typeof ssh?.reqCnf !== 'string' || ssh.reqCnf === ''
    ? E.left(
        configError(
          'invalid_argument',
          'When requesting an SSH certificate, pass sshCertificate.reqCnf: the public key to certify in JWK format (RFC 7517), as a JSON string.',
          'sshCertificate.reqCnf',
        ),
      )
    : typeof ssh.keyId !== 'string' || ssh.keyId === ''
      ? E.left(
          configError(
            'invalid_argument',
            "When requesting an SSH certificate, pass sshCertificate.keyId: the id of the key in reqCnf (the certificate is cached under it).",
            'sshCertificate.keyId',
          ),
        )
      : E.right({ keyId: ssh.keyId, reqCnf: ssh.reqCnf })

/**
 * The form fields an SSH certificate request adds, as MSAL Python sends its `data`:
 * `token_type=ssh-cert`, `key_id`, `req_cnf`.
 *
 * @example
 * ```ts
 * import { sshCertificateFields } from '@authfold/grants'
 *
 * declare const jwk: string // the public key, a JWK as JSON
 * sshCertificateFields({ keyId: 'key1', reqCnf: jwk }) // { token_type: 'ssh-cert', key_id: 'key1', req_cnf: jwk }
 * ```
 * @category requests
 * @since 0.1.0
 * @see MSAL Python `acquire_token_for_client(scopes, data={"token_type": "ssh-cert", "key_id": ..., "req_cnf": ...})`
 */
export const sshCertificateFields = (ssh: SshCertificateRequest | undefined): TokenFields =>
  ssh === undefined ? {} : { token_type: SSH_CERT_TOKEN_TYPE, key_id: ssh.keyId, req_cnf: ssh.reqCnf }
