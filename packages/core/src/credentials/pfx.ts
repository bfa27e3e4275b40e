/**
 * A PKCS#12 (`.pfx`, `.p12`) certificate credential, as MSAL Python 1.29+ takes one with
 * `client_credential={"private_key_pfx_path": ..., "passphrase": ...}`: the private key and
 * the certificate (and its chain) come from one file; the SHA-256 thumbprint (`x5t#S256`)
 * and PS256 are used automatically; `publicCertificate: true` sends the certificates of the
 * file as `x5c` (subject name / issuer authentication).
 *
 * This module is the `@authfold/core/pfx` entry point, kept apart from `@authfold/core` so
 * that an app that does not read a `.pfx` does not carry a PKCS#12 reader.
 *
 * **Why node-forge.** A `.pfx` made by Windows, by Azure Key Vault exports or by
 * `openssl pkcs12 -export -legacy` (and by every OpenSSL before 3.0) is encrypted with
 * `pbeWithSHAAnd3-KeyTripleDES-CBC` (the key) and `pbeWithSHAAnd40BitRC2-CBC` (the
 * certificates), with an HMAC-SHA1 MAC; OpenSSL 3's default is PBES2 (PBKDF2-HMAC-SHA256,
 * AES-256-CBC) with an HMAC-SHA256 MAC. WebCrypto has neither 3DES nor RC2, and the PKCS#12
 * key derivation is not in it either, so a reader that runs everywhere (browsers, Deno, Bun,
 * workers, not only Node) needs those ciphers in JavaScript. node-forge
 * (Digital Bazaar; BSD-3-Clause/GPL-2.0 dual licence; released 1.4.x in 2025-2026, its
 * PKCS#12 code used by the Azure and Google SDK tool chains for a decade, ~120 M weekly
 * downloads) reads both encryptions and the MAC algorithms SHA-1/256/384/512. PKI.js reads
 * PKCS#12 but decrypts through WebCrypto only (no 3DES/RC2: the legacy files fail), and
 * Node's `crypto` has no PKCS#12 reader at all (only `tls.createSecureContext({ pfx })`,
 * which does not hand out the key). node-forge is large (1.8 MB installed; the one-file
 * client-credentials app with a `.pfx` is 105 KB gzipped against 27 KB with a PEM key,
 * `pnpm size`), which is why it sits behind this entry point: apps that import only
 * `@authfold/core` never load it (the bundle test checks it). It is pinned to an exact
 * version. (Importing node-forge's own modules one by one instead of its index would cut
 * that size; not done yet.)
 *
 * One limit of node-forge 1.4.3: a non-ASCII passphrase opens legacy files (the PKCS#12 key
 * derivation takes characters) but not PBES2 files (it hands PBKDF2 the characters, not
 * their UTF-8 bytes); such a file is refused with a `ConfigError` naming the passphrase.
 *
 * @module @authfold/core/pfx
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import forge from 'node-forge'
import { configError, type ConfigError } from '../errors/errors.js'
import { makeClientAuth, type ClientAuth } from './clientAuth.js'
import { certificate, type CertificateOptions } from './certificate.js'
import { toPem } from './pem.js'

/**
 * What a `.pfx` holds, once opened: the private key (PKCS#8 DER) and the certificates, the
 * one of the key first, then its issuers in chain order (each certifying the one before it),
 * then any others in file order.
 *
 * @category model
 * @since 0.1.0
 */
export interface PfxContents {
  /** The private key as PKCS#8 (PrivateKeyInfo) DER. */
  readonly privateKey: Uint8Array
  /** Certificates as DER, the key's certificate first. Never empty. */
  readonly certificates: ReadonlyArray<Uint8Array>
}

/**
 * Options of {@link pfxCertificate}.
 *
 * @category model
 * @since 0.1.0
 */
export interface PfxCertificateOptions {
  /** The bytes of the `.pfx` / `.p12` file (in Node: `await readFile(path)`, or `pfxFromFile`). */
  readonly pfx: Uint8Array
  /** The file's passphrase. Leave it out for a file made without one. */
  readonly passphrase?: string
  /**
   * `true`: send the certificates of the file as `x5c` (subject name / issuer
   * authentication), as MSAL Python's `"public_certificate": True` does.
   */
  readonly publicCertificate?: boolean
  /** `PS256` with `x5t#S256` (default, MSAL Python 1.29+ for Entra) or `RS256` with `x5t` (ADFS). */
  readonly algorithm?: 'RS256' | 'PS256'
  /** Extra claims merged into the assertion (MSAL's `client_claims`). */
  readonly clientClaims?: Readonly<Record<string, unknown>>
  /** Assertion lifetime in seconds. Default 600. */
  readonly lifetimeSeconds?: number
}

type Forge = typeof forge
type Pkcs12Bag = forge.pkcs12.Bag & { readonly asn1?: forge.asn1.Asn1 }

const pfxError = (message: string, field = 'pfx'): ConfigError => configError('invalid_credential', message, field)

const toBinary = (bytes: Uint8Array): string => {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return s
}

const fromBinary = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))

const derOf = (f: Forge, node: forge.asn1.Asn1): Uint8Array => fromBinary(f.asn1.toDer(node).getBytes())

const bagsOf = (p12: forge.pkcs12.Pkcs12Pfx, type: string): ReadonlyArray<Pkcs12Bag> => p12.getBags({ bagType: type })[type] ?? []

/**
 * The PKCS#12 passwords to try: the one given; without one, the empty password (what
 * `openssl pkcs12 -export -passout pass:` writes) and then no password at all (a NULL
 * password, what some tools write), as OpenSSL and `cryptography` try both. An empty
 * passphrase counts as none, as in MSAL Python.
 */
const passwordsFor = (passphrase: string | undefined): ReadonlyArray<string | null> =>
  passphrase === undefined || passphrase === '' ? ['', null] : [passphrase]

const openWith = (f: Forge, asn: forge.asn1.Asn1, password: string | null): forge.pkcs12.Pkcs12Pfx | undefined => {
  try {
    // node-forge's types omit the null password it accepts (no password at all).
    return f.pkcs12.pkcs12FromAsn1(asn, false, password as string)
  } catch {
    return undefined
  }
}

const isPkcs12 = (f: Forge, asn: forge.asn1.Asn1): boolean => {
  // PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData MacData OPTIONAL }
  const children = Array.isArray(asn.value) ? asn.value : []
  const version = children[0]
  return (
    asn.type === f.asn1.Type.SEQUENCE &&
    version !== undefined &&
    version.type === f.asn1.Type.INTEGER &&
    typeof version.value === 'string' &&
    version.value === '\x03' &&
    children.length >= 2
  )
}

const keyDer = (f: Forge, bag: Pkcs12Bag): E.Either<ConfigError, Uint8Array> =>
  bag.key !== undefined && bag.key !== null
    ? E.right(derOf(f, f.pki.wrapRsaPrivateKey(f.pki.privateKeyToAsn1(bag.key))))
    : E.left(pfxError('The private key in the PKCS#12 (.pfx) file is not an RSA key. Entra ID certificate credentials need an RSA key of at least 2048 bits.'))

const localKeyId = (bag: Pkcs12Bag): string | undefined => {
  const id: unknown = bag.attributes['localKeyId']
  return Array.isArray(id) && typeof id[0] === 'string' ? id[0] : undefined
}

const sameRsaKey = (cert: forge.pki.Certificate, key: forge.pki.PrivateKey | null | undefined): boolean => {
  const pub = cert.publicKey as Partial<forge.pki.rsa.PublicKey>
  const priv = key as Partial<forge.pki.rsa.PrivateKey> | null | undefined
  return pub.n !== undefined && priv?.n !== undefined && pub.n.equals(priv.n)
}

/**
 * Orders the certificates: the key's first (same `localKeyId`, else same public key, else
 * the file's first), then each one's issuer while one is found, then the rest.
 */
const orderChain = (certs: ReadonlyArray<Pkcs12Bag & { readonly cert: forge.pki.Certificate }>, keyBag: Pkcs12Bag) => {
  const id = localKeyId(keyBag)
  const leaf =
    certs.find((c) => id !== undefined && localKeyId(c) === id) ?? certs.find((c) => sameRsaKey(c.cert, keyBag.key)) ?? certs[0]
  if (leaf === undefined) return []
  const chain = [leaf]
  const rest = certs.filter((c) => c !== leaf)
  for (let current = leaf; ; ) {
    const issuer = current.cert.issuer.hash === current.cert.subject.hash ? undefined : rest.find((c) => c.cert.subject.hash === current.cert.issuer.hash)
    if (issuer === undefined) break
    chain.push(issuer)
    rest.splice(rest.indexOf(issuer), 1)
    current = issuer
  }
  return [...chain, ...rest]
}

const contentsOf = (f: Forge, p12: forge.pkcs12.Pkcs12Pfx): E.Either<ConfigError, PfxContents> => {
  const keyBags = [...bagsOf(p12, f.pki.oids['pkcs8ShroudedKeyBag'] ?? ''), ...bagsOf(p12, f.pki.oids['keyBag'] ?? '')]
  const keyBag = keyBags[0]
  if (keyBag === undefined)
    return E.left(
      pfxError(
        'The PKCS#12 (.pfx) file holds no private key. Export it with its private key (openssl pkcs12 -export -inkey key.pem -in cert.pem).',
      ),
    )
  const certBags = bagsOf(p12, f.pki.oids['certBag'] ?? '').flatMap((b) => (b.cert === undefined || b.cert === null ? [] : [{ ...b, cert: b.cert }]))
  if (certBags.length === 0)
    return E.left(pfxError('The PKCS#12 (.pfx) file holds no certificate. Export it with the certificate of its key (openssl pkcs12 -export -in cert.pem).'))
  return pipe(
    keyDer(f, keyBag),
    E.map((privateKey) => ({
      privateKey,
      certificates: orderChain(certBags, keyBag).map((c) => derOf(f, f.pki.certificateToAsn1(c.cert))),
    })),
  )
}

/**
 * Opens a PKCS#12 (`.pfx`) file: checks its MAC and decrypts its key and certificates, in
 * the legacy (3DES / RC2-40, HMAC-SHA1) and the current (PBES2 AES-256-CBC, HMAC-SHA256)
 * encryptions. Never throws: bytes that are not PKCS#12, a wrong passphrase, a file without
 * a private key or without a certificate are each a {@link ConfigError} saying so (never
 * with the passphrase in it).
 *
 * @example
 * ```ts
 * import { readPfx } from '@authfold/core/pfx'
 *
 * declare const bytes: Uint8Array // the .pfx file
 * const contents = readPfx(bytes, 'passphrase') // Either<ConfigError, PfxContents>
 * ```
 * @category credentials
 * @since 0.1.0
 * @see MSAL Python `_parse_pfx` (`cryptography`'s `pkcs12.load_key_and_certificates`)
 * @see RFC 7292
 */
export const readPfx = (bytes: Uint8Array, passphrase?: string): E.Either<ConfigError, PfxContents> => {
  const f: Forge = forge
  if (!(bytes instanceof Uint8Array) || bytes.length === 0)
    return E.left(pfxError('The PKCS#12 (.pfx) content is empty. Pass the bytes of the .pfx file (not its path or its base64 text).'))
  let asn: forge.asn1.Asn1
  try {
    asn = f.asn1.fromDer(toBinary(bytes), false)
  } catch {
    return E.left(pfxError('The content is not a PKCS#12 (.pfx) file. Pass the bytes of the .pfx file (not its path, a PEM, or its base64 text).'))
  }
  if (!isPkcs12(f, asn))
    return E.left(pfxError('The content is not a PKCS#12 (.pfx) file. Pass the bytes of the .pfx file (not its path, a PEM, or its base64 text).'))
  for (const password of passwordsFor(passphrase)) {
    const p12 = openWith(f, asn, password)
    if (p12 !== undefined) {
      try {
        return contentsOf(f, p12)
      } catch {
        return E.left(pfxError('The PKCS#12 (.pfx) file could not be read: its key or a certificate is malformed. Export it again.'))
      }
    }
  }
  return E.left(
    passphrase === undefined
      ? pfxError('The PKCS#12 (.pfx) file is protected by a passphrase (or is damaged). Pass its passphrase.', 'passphrase')
      : pfxError('The PKCS#12 (.pfx) file could not be opened with this passphrase (or is damaged). Check the passphrase.', 'passphrase'),
  )
}

const digestHex = (f: Forge, md: forge.md.MessageDigest, der: Uint8Array): string => {
  md.update(toBinary(der))
  return f.util.bytesToHex(md.digest().getBytes())
}

/**
 * The options of the `certificate` credential that the contents of a `.pfx` amount to:
 * the key as PKCS#8 PEM, both thumbprints of the key's certificate, and (with
 * `publicCertificate: true`) the certificates as a PEM chain for `x5c`.
 *
 * @category credentials
 * @since 0.1.0
 */
export const pfxCertificateOptions = (contents: PfxContents, options: Omit<PfxCertificateOptions, 'pfx' | 'passphrase'>): CertificateOptions => {
  const f: Forge = forge
  const leaf = contents.certificates[0] ?? new Uint8Array()
  return {
    privateKey: toPem('PRIVATE KEY', contents.privateKey),
    thumbprint: digestHex(f, f.md.sha1.create(), leaf),
    thumbprintSha256: digestHex(f, f.md.sha256.create(), leaf),
    algorithm: options.algorithm ?? 'PS256',
    ...(options.publicCertificate === true ? { publicCertificate: contents.certificates.map((c) => toPem('CERTIFICATE', c)).join('') } : {}),
    ...(options.clientClaims === undefined ? {} : { clientClaims: options.clientClaims }),
    ...(options.lifetimeSeconds === undefined ? {} : { lifetimeSeconds: options.lifetimeSeconds }),
  }
}

/**
 * Authenticates with the certificate of a PKCS#12 (`.pfx`) file: opens it at once (a wrong
 * passphrase, a file without a private key or bytes that are not PKCS#12 make `problem` a
 * {@link ConfigError}, and the facades refuse to build the client), then signs client
 * assertions as {@link certificate} does, with PS256 and the SHA-256 thumbprint
 * (`x5t#S256`) by default, as MSAL Python does with a `.pfx` for Entra authorities.
 * `publicCertificate: true` sends the file's certificates (the key's first, then its chain)
 * as `x5c` for subject name / issuer authentication.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises'
 * import { pfxCertificate } from '@authfold/core/pfx'
 *
 * declare const passphrase: string // from your secret store
 * const credential = pfxCertificate({ pfx: await readFile('app.pfx'), passphrase })
 * ```
 * @category credentials
 * @since 0.1.0
 * @see MSAL Python `client_credential={"private_key_pfx_path": ..., "passphrase": ..., "public_certificate": True}`
 * @see RFC 7292, RFC 7523 §3, RFC 7515 §4.1.6 (x5c)
 */
export const pfxCertificate = (options: PfxCertificateOptions): ClientAuth => {
  const contents = readPfx(options.pfx, options.passphrase)
  if (E.isRight(contents)) return certificate(pfxCertificateOptions(contents.right, options))
  return makeClientAuth('certificate', () => TE.left(contents.left), contents.left)
}
