/**
 * SSH certificates from the token endpoint, as Entra answers a request with
 * `token_type=ssh-cert`: `req_cnf` (the public key to certify, a JWK) and `key_id` are
 * required; the answer's `token_type` is `ssh-cert` and its `access_token` an OpenSSH
 * certificate line.
 *
 * Simplification: Entra signs a real OpenSSH certificate over the JWK's key; this server
 * answers `ssh-rsa-cert-v01@openssh.com <base64 of a JWT it signed>` whose claims name the
 * key id, a SHA-256 thumbprint of `req_cnf` and the audience, so a test can tell which key
 * and resource a certificate was issued for.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { errors, type ErrorContext } from '../errors.js'
import type { EndpointResult, IdpContext } from '../types.js'

/**
 * The token type of an SSH certificate.
 *
 * @category idp
 * @since 0.1.0
 */
export const SSH_CERT = 'ssh-cert'

/**
 * What an ssh-cert request asks for, the error answer for a missing field, or `undefined`
 * when the request asks for a Bearer token.
 *
 * @category idp
 * @since 0.1.0
 */
export const sshCertRequest = (
  ctx: ErrorContext,
  form: Readonly<Record<string, string>>,
): { readonly keyId: string; readonly reqCnf: string } | EndpointResult | undefined => {
  if (form['token_type'] !== SSH_CERT) return undefined
  const reqCnf = form['req_cnf']
  const keyId = form['key_id']
  if (reqCnf === undefined || reqCnf === '') return errors.missingParameter(ctx, 'req_cnf')
  if (keyId === undefined || keyId === '') return errors.missingParameter(ctx, 'key_id')
  return { keyId, reqCnf }
}

/**
 * The `access_token` of an SSH certificate answer (see the module note).
 *
 * @category idp
 * @since 0.1.0
 */
export const sshCertificate = async (
  idp: IdpContext,
  request: { readonly keyId: string; readonly reqCnf: string },
  claims: Readonly<Record<string, unknown>>,
): Promise<string> =>
  `ssh-rsa-cert-v01@openssh.com ${Buffer.from(
    await idp.signJwt({ ...claims, key_id: request.keyId, req_cnf_sha256: createHash('sha256').update(request.reqCnf).digest('base64url') }),
  ).toString('base64')}`
