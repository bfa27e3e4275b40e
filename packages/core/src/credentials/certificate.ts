/**
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { SignJWT, importPKCS8, type CryptoKey, type JWTHeaderParameters } from 'jose'
import { configError, type ConfigError } from '../errors/errors.js'
import { base64url, uuidFrom } from '../env/env.js'
import { JWT_BEARER_ASSERTION_TYPE, makeClientAuth, type ClientAuth, type ClientAuthContext } from './clientAuth.js'
import { decryptPkcs8 } from './decryptPkcs8.js'
import { findPrivateKey, parsePem, pkcs1ToPkcs8, toPem, type PrivateKeyPem } from './pem.js'

/**
 * Options of {@link certificate}.
 *
 * @category model
 * @since 0.1.0
 */
export interface CertificateOptions {
  /** The RSA private key as PEM (PKCS#8, PKCS#1, or encrypted PKCS#8 with `passphrase`). */
  readonly privateKey: string
  /** Hex SHA-1 thumbprint of the certificate (sent as `x5t`). */
  readonly thumbprint?: string
  /** Hex SHA-256 thumbprint (sent as `x5t#S256`; implies PS256 unless `algorithm` says otherwise). */
  readonly thumbprintSha256?: string
  /** The public certificate PEM (a chain is allowed): thumbprints are computed and `x5c` is sent (subject name / issuer auth). */
  readonly publicCertificate?: string
  /** Passphrase of an encrypted private key. */
  readonly passphrase?: string
  /** `RS256` with `x5t` (default, what MSAL Python 1.21 sends) or `PS256` with `x5t#S256` (newer MSAL). */
  readonly algorithm?: 'RS256' | 'PS256'
  /** Extra claims merged into the assertion (MSAL's `client_claims`). */
  readonly clientClaims?: Readonly<Record<string, unknown>>
  /** Assertion lifetime in seconds. Default 600. */
  readonly lifetimeSeconds?: number
}

const hexToBase64url = (hex: string): string =>
  base64url(Uint8Array.from(hex.replace(/[^0-9a-f]/gi, '').match(/../g) ?? [], (h) => parseInt(h, 16)))

const sha = async (name: 'SHA-1' | 'SHA-256', der: Uint8Array): Promise<string> =>
  base64url(new Uint8Array(await globalThis.crypto.subtle.digest(name, new Uint8Array(der))))

const checkOptions = (options: CertificateOptions): E.Either<ConfigError, PrivateKeyPem> =>
  pipe(
    findPrivateKey(options.privateKey, options.passphrase !== undefined),
    E.filterOrElse(
      () =>
        options.thumbprint !== undefined ||
        options.thumbprintSha256 !== undefined ||
        (options.publicCertificate !== undefined && parsePem(options.publicCertificate).some((b) => b.label === 'CERTIFICATE')),
      () =>
        configError(
          'invalid_credential',
          'A certificate credential needs thumbprint, thumbprintSha256, or publicCertificate (a PEM with BEGIN CERTIFICATE).',
          'publicCertificate',
        ),
    ),
  )

const importKey = (pem: PrivateKeyPem, options: CertificateOptions, alg: string): TE.TaskEither<ConfigError, CryptoKey> =>
  pipe(
    pem.format === 'encrypted-pkcs8' ? decryptPkcs8(pem.der, options.passphrase ?? '') : TE.right(pem.format === 'pkcs1' ? pkcs1ToPkcs8(pem.der) : pem.der),
    TE.chain((pkcs8) =>
      TE.tryCatch(
        () => importPKCS8(toPem('PRIVATE KEY', pkcs8), alg),
        () => configError('invalid_credential', 'The private key could not be imported. Use an RSA key of at least 2048 bits.', 'privateKey'),
      ),
    ),
  )

interface CertHeader {
  readonly x5t?: string
  readonly 'x5t#S256'?: string
  readonly x5c?: ReadonlyArray<string>
}

const certificateHeader = async (options: CertificateOptions, alg: 'RS256' | 'PS256'): Promise<CertHeader> => {
  const chain = parsePem(options.publicCertificate ?? '').filter((b) => b.label === 'CERTIFICATE')
  const leaf = chain[0]
  const x5c = chain.length > 0 ? { x5c: chain.map((b) => btoa(String.fromCharCode(...b.der))) } : {}
  if (alg === 'PS256') {
    const s256 = options.thumbprintSha256 !== undefined ? hexToBase64url(options.thumbprintSha256) : leaf !== undefined ? await sha('SHA-256', leaf.der) : undefined
    return s256 === undefined ? x5c : { 'x5t#S256': s256, ...x5c }
  }
  const s1 = options.thumbprint !== undefined ? hexToBase64url(options.thumbprint) : leaf !== undefined ? await sha('SHA-1', leaf.der) : undefined
  return s1 === undefined ? x5c : { x5t: s1, ...x5c }
}

const protectedHeader = (alg: 'RS256' | 'PS256', header: CertHeader): JWTHeaderParameters => {
  const out: JWTHeaderParameters = { alg, typ: 'JWT' }
  if (header.x5t !== undefined) out.x5t = header.x5t
  if (header['x5t#S256'] !== undefined) out['x5t#S256'] = header['x5t#S256']
  if (header.x5c !== undefined) out.x5c = [...header.x5c]
  return out
}

/**
 * Authenticates with a certificate: signs a client assertion (RFC 7523) with the private
 * key, naming the certificate by thumbprint in the JWT header. Claims: `aud` = token
 * endpoint, `iss` = `sub` = client id, `iat`, `nbf`, `exp` = iat + 600, a random `jti`,
 * plus `clientClaims`. The key is checked at once: a certificate or public key passed as
 * the private key makes `problem` a {@link ConfigError}, and the key is imported once.
 *
 * @example
 * ```ts
 * import { certificate } from '@authfold/core'
 *
 * declare const pem: string // the private key, PEM
 * const credential = certificate({ privateKey: pem, thumbprint: 'A1B2...' })
 * ```
 * @category credentials
 * @since 0.1.0
 * @see MSAL Python `client_credential={"private_key": ..., "thumbprint": ...}`
 * @see RFC 7523 §3
 */
export const certificate = (options: CertificateOptions): ClientAuth => {
  const checked = checkOptions(options)
  const alg = options.algorithm ?? (options.thumbprintSha256 !== undefined && options.thumbprint === undefined ? 'PS256' : 'RS256')
  let prepared: Promise<E.Either<ConfigError, readonly [CryptoKey, CertHeader]>> | undefined
  const prepare = (pem: PrivateKeyPem): Promise<E.Either<ConfigError, readonly [CryptoKey, CertHeader]>> => {
    prepared ??= pipe(
      importKey(pem, options, alg),
      TE.chain((key) => TE.fromTask(async () => [key, await certificateHeader(options, alg)] as const)),
    )()
    return prepared
  }
  const sign = (context: ClientAuthContext) => (pem: PrivateKeyPem) =>
    pipe(
      () => prepare(pem),
      TE.chain(([key, header]) =>
        TE.tryCatch(
          () => {
            const iat = Math.floor(context.now() / 1000)
            return new SignJWT({ ...options.clientClaims })
              .setProtectedHeader(protectedHeader(alg, header))
              .setIssuer(context.clientId)
              .setSubject(context.clientId)
              .setAudience(context.tokenEndpoint)
              .setIssuedAt(iat)
              .setNotBefore(iat)
              .setExpirationTime(iat + (options.lifetimeSeconds ?? 600))
              .setJti(uuidFrom(context.random))
              .sign(key)
          },
          () => configError('invalid_credential', 'Signing the client assertion failed. Check that the private key is an RSA key.', 'privateKey'),
        ),
      ),
      TE.map((assertion) => ({ fields: { client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertion }, headers: {} })),
    )
  return makeClientAuth(
    'certificate',
    (context) => pipe(TE.fromEither(checked), TE.chain(sign(context))),
    E.isLeft(checked) ? checked.left : undefined,
  )
}
