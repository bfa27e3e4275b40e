/**
 * The IdP's token-signing key: an RSA key with a self-signed certificate, published as a
 * JWKS the way Entra publishes its keys (`kid` = `x5t`, `x5c`, `use: sig`).
 *
 * @module
 */
import { SignJWT, exportJWK, importSPKI, type JSONWebKeySet, type JWTPayload } from 'jose'
import { selfSignedCertificate, thumbprintToBase64url } from '../x509/selfSigned.js'

/**
 * A signing key and its public JWKS.
 *
 * @category idp
 * @since 0.1.0
 */
export interface SigningKey {
  readonly kid: string
  readonly jwks: JSONWebKeySet
  /** Signs a JWT (RS256; header `typ`, `kid`, `x5t`). */
  readonly sign: (payload: Readonly<Record<string, unknown>>) => Promise<string>
}

const toBase64 = (bytes: Uint8Array): string => {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s)
}

/**
 * Creates a fresh signing key with its JWKS.
 *
 * @category idp
 * @since 0.1.0
 */
export const createSigningKey = async (options: { readonly now: number; readonly issuer?: string }): Promise<SigningKey> => {
  const cert = await selfSignedCertificate({ commonName: 'authfold idp token signing', now: options.now, validityDays: 365 })
  const x5t = thumbprintToBase64url(cert.sha1Thumbprint)
  const publicJwk = await exportJWK(await importSPKI(cert.publicKeyPem, 'RS256', { extractable: true }))
  const jwks: JSONWebKeySet = {
    keys: [
      {
        kty: 'RSA',
        use: 'sig',
        kid: x5t,
        x5t,
        ...(publicJwk.n === undefined ? {} : { n: publicJwk.n }),
        ...(publicJwk.e === undefined ? {} : { e: publicJwk.e }),
        x5c: [toBase64(cert.der)],
        ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      },
    ],
  }
  return {
    kid: x5t,
    jwks,
    sign: (payload) =>
      new SignJWT({ ...payload } as JWTPayload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: x5t, x5t }).sign(cert.privateKey),
  }
}
