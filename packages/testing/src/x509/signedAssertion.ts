/**
 * @module
 */
import { SignJWT, type CryptoKey } from 'jose'

/**
 * A callback for `clientAssertion(...)` that signs a fresh RS256 client assertion (RFC 7523)
 * with a certificate's key on every call: what a workload identity or a key vault would
 * hand an app, made here from a certificate created at run time. The header names the
 * certificate by its SHA-1 thumbprint (`x5t`); `aud` is the token endpoint.
 *
 * @example
 * ```ts
 * import { clientAssertion } from '@authfold/core'
 * import { selfSignedCertificate, signedAssertion } from '@authfold/testing'
 *
 * const cert = await selfSignedCertificate({ commonName: 'app' })
 * const credential = clientAssertion(signedAssertion(cert))
 * ```
 * @category x509
 * @since 0.1.0
 */
export const signedAssertion =
  (
    cert: { readonly privateKey: CryptoKey; readonly sha1Thumbprint: string },
    options: { readonly lifetimeSeconds?: number; readonly now?: () => number } = {},
  ) =>
  (context: { readonly clientId: string; readonly tokenEndpoint: string }): Promise<string> => {
    const now = Math.floor((options.now ?? Date.now)() / 1000)
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', x5t: Buffer.from(cert.sha1Thumbprint, 'hex').toString('base64url') })
      .setIssuer(context.clientId)
      .setSubject(context.clientId)
      .setAudience(context.tokenEndpoint)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.lifetimeSeconds ?? 300))
      .setJti(crypto.randomUUID())
      .sign(cert.privateKey)
  }
