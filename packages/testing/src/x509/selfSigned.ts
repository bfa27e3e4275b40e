/**
 * X.509 certificates made at run time with WebCrypto and a tiny DER writer: a CA, server
 * certificates it issues (with `subjectAltName` for `127.0.0.1` / `localhost`), and
 * self-signed client certificates for certificate credentials. No dependency, no openssl.
 *
 * Keys are RSA 2048, signatures RSASSA-PKCS1-v1_5 with SHA-256 (`sha256WithRSAEncryption`).
 *
 * @module
 */
import {
  derBitString,
  derBoolean,
  derElement,
  derExplicit,
  derImplicitPrimitive,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSet,
  derSmallInteger,
  derTime,
  derUnsignedInteger,
  derUtf8String,
} from './der.js'

/**
 * A certificate with its private key, in the forms MSAL and TLS want.
 *
 * @category x509
 * @since 0.1.0
 */
export interface GeneratedCertificate {
  /** `-----BEGIN CERTIFICATE-----` PEM. */
  readonly certificatePem: string
  /** `-----BEGIN PRIVATE KEY-----` (PKCS#8, unencrypted) PEM. */
  readonly privateKeyPem: string
  /** `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo) PEM. */
  readonly publicKeyPem: string
  /** SHA-1 of the DER, upper-case hex: MSAL's `thumbprint`. */
  readonly sha1Thumbprint: string
  /** SHA-256 of the DER, upper-case hex: MSAL's `thumbprint_sha256`. */
  readonly sha256Thumbprint: string
  /** The certificate's DER bytes. */
  readonly der: Uint8Array
  /** The private key as a WebCrypto key (RSASSA-PKCS1-v1_5, SHA-256, extractable). */
  readonly privateKey: CryptoKey
  /** The subject's common name. */
  readonly commonName: string
  /** Serial number, upper-case hex. */
  readonly serialNumber: string
  /** Validity start and end, epoch milliseconds. */
  readonly notBefore: number
  readonly notAfter: number
  /** The subject key identifier (also the authority key identifier of what it issues). */
  readonly subjectKeyIdentifier: Uint8Array
}

/**
 * A certificate authority: a certificate with `basicConstraints cA=TRUE` and the key to
 * issue others with {@link issueCertificate}.
 *
 * @category x509
 * @since 0.1.0
 */
export interface CertificateAuthority extends GeneratedCertificate {
  readonly isCertificateAuthority: true
}

/**
 * Options shared by every certificate factory.
 *
 * @category x509
 * @since 0.1.0
 */
export interface CertificateOptions {
  /** The subject CN. */
  readonly commonName: string
  /**
   * Subject alternative names: IPv4 literals become `iPAddress`, anything else `dNSName`.
   * Needed for TLS server certificates (e.g. `['127.0.0.1', 'localhost']`).
   */
  readonly altNames?: ReadonlyArray<string>
  /** Days of validity from `now`. Default 30. */
  readonly validityDays?: number
  /** The issuing time, epoch ms. Default `Date.now()`. `notBefore` is one hour earlier. */
  readonly now?: number
}

const OID = {
  sha256WithRSA: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

const subtle = (): SubtleCrypto => globalThis.crypto.subtle

const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()

const toBase64 = (bytes: Uint8Array): string => {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s)
}

/**
 * Wraps DER bytes in PEM armour with 64-character lines.
 *
 * @category x509
 * @since 0.1.0
 */
export const toPem = (label: string, der: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${(toBase64(der).match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`

/**
 * The DER bytes of the first PEM block (any label), or undefined when there is none.
 *
 * @category x509
 * @since 0.1.0
 */
export const pemToDer = (pem: string): Uint8Array | undefined => {
  const m = /-----BEGIN [A-Z0-9 ]+-----([A-Za-z0-9+/=\s]+)-----END [A-Z0-9 ]+-----/.exec(pem)
  if (m === null || m[1] === undefined) return undefined
  const bin = atob(m[1].replace(/\s+/g, ''))
  return Uint8Array.from(bin, (c) => c.charCodeAt(0))
}

const digest = async (alg: 'SHA-1' | 'SHA-256', bytes: Uint8Array): Promise<Uint8Array> =>
  new Uint8Array(await subtle().digest(alg, new Uint8Array(bytes)))

/**
 * Upper-case hex SHA-1 and SHA-256 thumbprints of a certificate's DER (or PEM).
 *
 * @category x509
 * @since 0.1.0
 */
export const certificateThumbprints = async (
  certificate: Uint8Array | string,
): Promise<{ readonly sha1Thumbprint: string; readonly sha256Thumbprint: string }> => {
  const der = typeof certificate === 'string' ? pemToDer(certificate) : certificate
  if (der === undefined) throw new TypeError('The certificate is not PEM: expected a -----BEGIN CERTIFICATE----- block.')
  return { sha1Thumbprint: toHex(await digest('SHA-1', der)), sha256Thumbprint: toHex(await digest('SHA-256', der)) }
}

/**
 * The JWS `x5t` (base64url SHA-1) or `x5t#S256` (base64url SHA-256) value for an upper- or
 * lower-case hex thumbprint.
 *
 * @category x509
 * @since 0.1.0
 */
export const thumbprintToBase64url = (hex: string): string => {
  const bytes = Uint8Array.from(hex.match(/[0-9a-fA-F]{2}/g) ?? [], (h) => parseInt(h, 16))
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

const generateRsaKey = async (): Promise<CryptoKeyPair> =>
  subtle().generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )

const name = (commonName: string): Uint8Array => derSequence(derSet(derSequence(derOid(OID.commonName), derUtf8String(commonName))))

const extension = (oid: string, critical: boolean, value: Uint8Array): Uint8Array =>
  critical ? derSequence(derOid(oid), derBoolean(true), derOctetString(value)) : derSequence(derOid(oid), derOctetString(value))

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

const generalName = (altName: string): Uint8Array => {
  const ip = IPV4.exec(altName)
  return ip === null
    ? derImplicitPrimitive(2, new TextEncoder().encode(altName))
    : derImplicitPrimitive(7, Uint8Array.from(ip.slice(1, 5), Number))
}

interface Subject {
  readonly keys: CryptoKeyPair
  readonly spki: Uint8Array
  readonly ski: Uint8Array
}

const makeSubject = async (): Promise<Subject> => {
  const keys = await generateRsaKey()
  const spki = new Uint8Array(await subtle().exportKey('spki', keys.publicKey))
  return { keys, spki, ski: await digest('SHA-1', spki) }
}

interface Issuer {
  readonly commonName: string
  readonly privateKey: CryptoKey
  readonly ski: Uint8Array
}

const buildCertificate = async (
  subject: Subject,
  issuer: Issuer,
  options: CertificateOptions,
  profile: 'ca' | 'leaf',
): Promise<GeneratedCertificate> => {
  const now = options.now ?? Date.now()
  const notBefore = now - HOUR_MS
  const notAfter = now + (options.validityDays ?? 30) * DAY_MS
  const serial = globalThis.crypto.getRandomValues(new Uint8Array(16))
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01
  const algorithm = derSequence(derOid(OID.sha256WithRSA), derNull())
  const altNames = options.altNames ?? []
  const extensions = [
    profile === 'ca'
      ? extension(OID.basicConstraints, true, derSequence(derBoolean(true)))
      : extension(OID.basicConstraints, false, derSequence()),
    // keyUsage: CA = digitalSignature | keyCertSign | cRLSign; leaf = digitalSignature | keyEncipherment
    extension(OID.keyUsage, true, profile === 'ca' ? derElement(0x03, Uint8Array.of(1, 0x86)) : derElement(0x03, Uint8Array.of(5, 0xa0))),
    ...(profile === 'leaf' ? [extension(OID.extKeyUsage, false, derSequence(derOid(OID.serverAuth), derOid(OID.clientAuth)))] : []),
    ...(altNames.length > 0 ? [extension(OID.subjectAltName, false, derSequence(...altNames.map(generalName)))] : []),
    extension(OID.subjectKeyIdentifier, false, derOctetString(subject.ski)),
    extension(OID.authorityKeyIdentifier, false, derSequence(derImplicitPrimitive(0, issuer.ski))),
  ]
  const tbs = derSequence(
    derExplicit(0, derSmallInteger(2)),
    derUnsignedInteger(serial),
    algorithm,
    name(issuer.commonName),
    derSequence(derTime(notBefore), derTime(notAfter)),
    name(options.commonName),
    subject.spki,
    derExplicit(3, derSequence(...extensions)),
  )
  const signature = new Uint8Array(await subtle().sign('RSASSA-PKCS1-v1_5', issuer.privateKey, new Uint8Array(tbs)))
  const der = derSequence(tbs, algorithm, derBitString(signature))
  const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', subject.keys.privateKey))
  const thumbprints = await certificateThumbprints(der)
  return {
    certificatePem: toPem('CERTIFICATE', der),
    privateKeyPem: toPem('PRIVATE KEY', pkcs8),
    publicKeyPem: toPem('PUBLIC KEY', subject.spki),
    ...thumbprints,
    der,
    privateKey: subject.keys.privateKey,
    commonName: options.commonName,
    serialNumber: toHex(serial),
    notBefore,
    notAfter,
    subjectKeyIdentifier: subject.ski,
  }
}

/**
 * Creates a self-signed certificate authority (`basicConstraints cA=TRUE`, `keyCertSign`).
 * Trust its `certificatePem` (e.g. `nodeHttpClient({ ca })`, `REQUESTS_CA_BUNDLE`,
 * `NODE_EXTRA_CA_CERTS`) and every certificate it issues is trusted.
 *
 * @example
 * ```ts
 * import { createCertificateAuthority, issueCertificate } from '@authfold/testing'
 *
 * const ca = await createCertificateAuthority()
 * const server = await issueCertificate(ca, { commonName: '127.0.0.1', altNames: ['127.0.0.1', 'localhost'] })
 * ```
 *
 * @category x509
 * @since 0.1.0
 */
export const createCertificateAuthority = async (
  options: Partial<CertificateOptions> = {},
): Promise<CertificateAuthority> => {
  const subject = await makeSubject()
  const commonName = options.commonName ?? 'authfold test CA'
  const cert = await buildCertificate(
    subject,
    { commonName, privateKey: subject.keys.privateKey, ski: subject.ski },
    { ...options, commonName, validityDays: options.validityDays ?? 365 },
    'ca',
  )
  return { ...cert, isCertificateAuthority: true }
}

/**
 * Issues a leaf certificate (server and client auth) signed by `ca`.
 *
 * @category x509
 * @since 0.1.0
 */
export const issueCertificate = async (ca: CertificateAuthority, options: CertificateOptions): Promise<GeneratedCertificate> =>
  buildCertificate(await makeSubject(), { commonName: ca.commonName, privateKey: ca.privateKey, ski: ca.subjectKeyIdentifier }, options, 'leaf')

/**
 * Creates a self-signed leaf certificate: what an app registration's "certificate
 * credential" usually is. Register `certificatePem` with the identity provider and sign
 * client assertions with `privateKeyPem` and `sha1Thumbprint` (or `sha256Thumbprint`).
 *
 * @example
 * ```ts
 * import { selfSignedCertificate, type IdentityProvider } from '@authfold/testing'
 *
 * declare const idp: IdentityProvider
 * const cert = await selfSignedCertificate({ commonName: 'my daemon' })
 * idp.registerClient({ clientId: 'daemon', certificate: { certificatePem: cert.certificatePem } })
 * ```
 *
 * @category x509
 * @since 0.1.0
 */
export const selfSignedCertificate = async (options: CertificateOptions): Promise<GeneratedCertificate> => {
  const subject = await makeSubject()
  return buildCertificate(subject, { commonName: options.commonName, privateKey: subject.keys.privateKey, ski: subject.ski }, options, 'leaf')
}

/**
 * Concatenates PEM certificates into one bundle string (for `ca` options and CA files).
 *
 * @category x509
 * @since 0.1.0
 */
export const pemBundle = (...certificates: ReadonlyArray<Pick<GeneratedCertificate, 'certificatePem'>>): string =>
  certificates.map((c) => c.certificatePem).join('')
