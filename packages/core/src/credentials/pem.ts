/**
 * PEM decoding and the checks that turn a wrong key into a clear error before any request.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { configError, type ConfigError } from '../errors/errors.js'
import { derElement, readDer } from './der.js'

/**
 * One PEM block.
 *
 * @category model
 * @since 0.1.0
 */
export interface PemBlock {
  readonly label: string
  readonly der: Uint8Array
}

/**
 * Decodes every PEM block in a text. Blocks whose base64 is broken are skipped.
 *
 * @category utils
 * @since 0.1.0
 */
export const parsePem = (text: string): ReadonlyArray<PemBlock> => {
  const out: PemBlock[] = []
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const body = (m[2] ?? '').replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '')
    try {
      out.push({ label: m[1] ?? '', der: Uint8Array.from(atob(body), (c) => c.charCodeAt(0)) })
    } catch {
      // not base64: ignore the block
    }
  }
  return out
}

/**
 * Encodes DER bytes as a PEM block.
 *
 * @category utils
 * @since 0.1.0
 */
export const toPem = (label: string, der: Uint8Array): string => {
  let s = ''
  for (const b of der) s += String.fromCharCode(b)
  const b64 = btoa(s).replace(/(.{64})/g, '$1\n').replace(/\n$/, '')
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`
}

/**
 * A private key found in PEM text, not yet imported.
 *
 * @category model
 * @since 0.1.0
 */
export interface PrivateKeyPem {
  readonly format: 'pkcs8' | 'pkcs1' | 'encrypted-pkcs8'
  readonly der: Uint8Array
}

const isSequence = (der: Uint8Array): boolean => {
  const node = readDer(der)
  return node !== undefined && node.tag === 0x30 && node.next === der.length
}

/**
 * Finds the private key in a PEM text, or says precisely why there is none
 * (a certificate or public key passed by mistake, an encrypted key without a passphrase).
 *
 * @category utils
 * @since 0.1.0
 */
export const findPrivateKey = (pem: string, hasPassphrase: boolean): E.Either<ConfigError, PrivateKeyPem> => {
  if (typeof pem !== 'string') return E.left(configError('invalid_credential', 'The private key must be a PEM string.', 'privateKey'))
  const blocks = parsePem(pem)
  const key = blocks.find((b) => /PRIVATE KEY$/.test(b.label))
  if (key === undefined) {
    const labels = blocks.map((b) => b.label)
    return E.left(
      configError(
        'invalid_credential',
        labels.includes('CERTIFICATE')
          ? 'The privateKey holds a certificate, not a private key. Pass the private key PEM as privateKey and the certificate as publicCertificate.'
          : labels.includes('PUBLIC KEY')
            ? 'The privateKey holds a public key. Pass the private key PEM (BEGIN PRIVATE KEY).'
            : 'The privateKey is not a PEM private key. Pass the text of a PEM file that starts with -----BEGIN PRIVATE KEY-----.',
        'privateKey',
      ),
    )
  }
  if (!isSequence(key.der)) {
    return E.left(configError('invalid_credential', 'The private key PEM is damaged (its DER is not well formed). Export the key again.', 'privateKey'))
  }
  if (key.label === 'ENCRYPTED PRIVATE KEY') {
    return hasPassphrase
      ? E.right({ format: 'encrypted-pkcs8', der: key.der })
      : E.left(configError('invalid_credential', 'The private key is encrypted. Pass its passphrase.', 'passphrase'))
  }
  if (key.label === 'RSA PRIVATE KEY') return E.right({ format: 'pkcs1', der: key.der })
  if (key.label === 'PRIVATE KEY') return E.right({ format: 'pkcs8', der: key.der })
  return E.left(configError('invalid_credential', `A ${key.label} is not supported; use an RSA key in PKCS#8 or PKCS#1 PEM.`, 'privateKey'))
}

const RSA_ALGORITHM_ID = Uint8Array.of(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00)

/**
 * Wraps a PKCS#1 `RSAPrivateKey` into a PKCS#8 `PrivateKeyInfo` (what WebCrypto imports).
 *
 * @category utils
 * @since 0.1.0
 */
export const pkcs1ToPkcs8 = (pkcs1: Uint8Array): Uint8Array =>
  derElement(0x30, Uint8Array.of(0x02, 0x01, 0x00), RSA_ALGORITHM_ID, derElement(0x04, pkcs1))
