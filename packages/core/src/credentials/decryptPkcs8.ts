/**
 * Decrypts a PKCS#8 `EncryptedPrivateKeyInfo` protected with PBES2 (PBKDF2 + AES-CBC), the
 * form OpenSSL and Node write for a passphrase-protected key, using only WebCrypto.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { configError, type ConfigError } from '../errors/errors.js'
import { derChildren, derOid, readDer, type DerNode } from './der.js'

const OID_PBES2 = '1.2.840.113549.1.5.13'
const OID_PBKDF2 = '1.2.840.113549.1.5.12'
const PRF: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'SHA-1',
  '1.2.840.113549.2.9': 'SHA-256',
  '1.2.840.113549.2.10': 'SHA-384',
  '1.2.840.113549.2.11': 'SHA-512',
}
const AES: Readonly<Record<string, number>> = {
  '2.16.840.1.101.3.4.1.2': 16,
  '2.16.840.1.101.3.4.1.22': 24,
  '2.16.840.1.101.3.4.1.42': 32,
}

interface Pbes2Params {
  readonly salt: Uint8Array
  readonly iterations: number
  readonly hash: string
  readonly keyLength: number
  readonly iv: Uint8Array
  readonly data: Uint8Array
}

const unsupported = (what: string): ConfigError =>
  configError(
    'invalid_credential',
    `The encrypted private key uses ${what}, which is not supported. Re-encrypt it with PBES2/PBKDF2/AES-CBC (openssl pkcs8 -topk8 -v2 aes-256-cbc) or pass it decrypted.`,
    'privateKey',
  )

const intValue = (buf: Uint8Array, n: DerNode): number => {
  let v = 0
  for (let i = n.start; i < n.end; i++) v = v * 256 + (buf[i] ?? 0)
  return v
}

const parsePbes2 = (der: Uint8Array): Pbes2Params | ConfigError => {
  const top = readDer(der)
  const [alg, data] = top === undefined ? [] : (derChildren(der, top) ?? [])
  const [algOid, algParams] = alg === undefined ? [] : (derChildren(der, alg) ?? [])
  if (data === undefined || algOid === undefined || algParams === undefined) return unsupported('an unreadable structure')
  if (derOid(der, algOid) !== OID_PBES2) return unsupported(`the scheme ${derOid(der, algOid)}`)
  const [kdf, enc] = derChildren(der, algParams) ?? []
  const [kdfOid, kdfParams] = kdf === undefined ? [] : (derChildren(der, kdf) ?? [])
  const [encOid, ivNode] = enc === undefined ? [] : (derChildren(der, enc) ?? [])
  if (kdfOid === undefined || kdfParams === undefined || encOid === undefined || ivNode === undefined) return unsupported('an unreadable structure')
  if (derOid(der, kdfOid) !== OID_PBKDF2) return unsupported(`the key derivation ${derOid(der, kdfOid)}`)
  const keyLength = AES[derOid(der, encOid)]
  if (keyLength === undefined) return unsupported(`the cipher ${derOid(der, encOid)}`)
  const [saltNode, iterNode, ...rest] = derChildren(der, kdfParams) ?? []
  if (saltNode === undefined || iterNode === undefined) return unsupported('an unreadable structure')
  const prfNode = rest.find((n) => n.tag === 0x30)
  const prfOidNode = prfNode === undefined ? undefined : derChildren(der, prfNode)?.[0]
  const hash = prfOidNode === undefined ? 'SHA-1' : PRF[derOid(der, prfOidNode)]
  if (hash === undefined) return unsupported('an unknown PRF')
  return {
    salt: der.slice(saltNode.start, saltNode.end),
    iterations: intValue(der, iterNode),
    hash,
    keyLength,
    iv: der.slice(ivNode.start, ivNode.end),
    data: der.slice(data.start, data.end),
  }
}

/**
 * Decrypts an encrypted PKCS#8 key with its passphrase, giving the plain PKCS#8 DER.
 * A wrong passphrase is a clear {@link ConfigError}.
 *
 * @category credentials
 * @since 0.1.0
 */
export const decryptPkcs8 = (der: Uint8Array, passphrase: string): TE.TaskEither<ConfigError, Uint8Array> => {
  const params = parsePbes2(der)
  if ('_tag' in params) return TE.left(params)
  return TE.tryCatch(
    async () => {
      const subtle = globalThis.crypto.subtle
      const base = await subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey'])
      const key = await subtle.deriveKey(
        { name: 'PBKDF2', salt: new Uint8Array(params.salt), iterations: params.iterations, hash: params.hash },
        base,
        { name: 'AES-CBC', length: params.keyLength * 8 },
        false,
        ['decrypt'],
      )
      return new Uint8Array(await subtle.decrypt({ name: 'AES-CBC', iv: new Uint8Array(params.iv) }, key, new Uint8Array(params.data)))
    },
    () => configError('invalid_credential', 'The private key could not be decrypted: the passphrase is wrong.', 'passphrase'),
  )
}
