/**
 * At-rest encryption of a stored cache with AES-GCM through WebCrypto, so it runs in
 * Node, browsers, Deno, Bun and edge workers alike.
 *
 * ### Envelope (version 1)
 *
 * `authfold.aesgcm.1.<iv>.<ciphertext>`: the prefix and version in clear, then a fresh
 * random 96-bit IV and the ciphertext with its 128-bit tag, both base64url without
 * padding. The additional authenticated data is `authfold.aesgcm.1|` followed by the
 * store's context (a Redis key; the file store uses a fixed name so a file can move), so
 * neither the header nor the blob's place can be changed unnoticed.
 *
 * Anything that does not open, a flipped bit, a truncated blob, a wrong key, a blob
 * moved to another partition, is a `CacheError('tampered')`, never garbage tokens.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { base64url, cacheError, webCryptoRandom, type CacheError, type RandomBytes } from '@authfold/core'
import { SEALED_PREFIX, type BlobTransform } from './store.js'

/**
 * Options of {@link aesGcm}.
 *
 * @category model
 * @since 0.1.0
 */
export interface AesGcmOptions {
  /** Source of the IVs. Default: WebCrypto `getRandomValues`. */
  readonly random?: RandomBytes
  /**
   * Read a blob that is not encrypted (plain MSAL JSON) as it is, so an existing cache can
   * be migrated: the next write encrypts it. Default `false`: a plain blob is refused.
   */
  readonly allowPlaintext?: boolean
}

const VERSION = '1'
const HEADER = `${SEALED_PREFIX}${VERSION}.`
const IV_BYTES = 12

const sextet = (c: number): number =>
  c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 71 : c >= 48 && c <= 57 ? c + 4 : c === 45 ? 62 : c === 95 ? 63 : -1

/**
 * Decodes canonical base64url without padding; `undefined` for anything else, including
 * a string whose unused trailing bits are set, so every changed character is noticed.
 * One pass, no intermediate strings.
 *
 * @internal
 */
const fromBase64url = (s: string): Uint8Array | undefined => {
  if (s.length % 4 === 1) return undefined
  const out = new Uint8Array(Math.floor((s.length * 3) / 4))
  let acc = 0
  let bits = 0
  let j = 0
  for (let i = 0; i < s.length; i++) {
    const v = sextet(s.charCodeAt(i))
    if (v < 0) return undefined
    acc = ((acc << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[j++] = (acc >> bits) & 0xff
    }
  }
  return (acc & ((1 << bits) - 1)) === 0 ? out : undefined
}

const tampered = (why: string): CacheError =>
  cacheError(
    'tampered',
    `The encrypted token cache does not open: ${why}. It was modified, truncated, moved from another place, or encrypted with another key. Use the key it was written with; if that key is lost, delete the cache (users sign in again).`,
  )

const bytesOf = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>

/**
 * An AES-GCM {@link BlobTransform} for any store's `transform` option. `key` is a
 * WebCrypto `CryptoKey` for `AES-GCM` (usages `encrypt` and `decrypt`) or 16, 24 or 32 raw
 * bytes (AES-128/192/256; keep them in a secret store, not beside the cache). Each write
 * draws a fresh 96-bit IV from `random`.
 *
 * @example
 * const store = fileStore({ path, transform: aesGcm(keyBytes) })
 * @category encryption
 * @since 0.1.0
 */
export const aesGcm = (key: CryptoKey | Uint8Array, options: AesGcmOptions = {}): BlobTransform => {
  const random = options.random ?? webCryptoRandom
  let imported: Promise<CryptoKey> | undefined
  const cryptoKey = (): Promise<CryptoKey> => {
    if (imported !== undefined) return imported
    if (!(key instanceof Uint8Array)) {
      imported = Promise.resolve(key)
    } else if (![16, 24, 32].includes(key.length)) {
      imported = Promise.reject(
        cacheError('io', `The cache encryption key has ${key.length} bytes; AES-GCM needs 16, 24 or 32 (32 recommended). Pass a key of the right size.`),
      )
    } else {
      imported = globalThis.crypto.subtle.importKey('raw', new Uint8Array(key), 'AES-GCM', false, ['encrypt', 'decrypt'])
    }
    return imported
  }
  const keyError = (e: unknown): CacheError =>
    typeof e === 'object' && e !== null && (e as { readonly _tag?: unknown })._tag === 'CacheError'
      ? (e as CacheError)
      : cacheError('io', `The cache encryption key cannot be used for AES-GCM (${e instanceof Error ? e.name : 'unknown error'}). Pass 32 random bytes or an AES-GCM CryptoKey.`)
  const aad = (context: string): Uint8Array<ArrayBuffer> => bytesOf(`${SEALED_PREFIX}${VERSION}|${context}`)

  const seal = (plain: string, context: string): TE.TaskEither<CacheError, string> => async () => {
    let k: CryptoKey
    try {
      k = await cryptoKey()
    } catch (e) {
      return { _tag: 'Left', left: keyError(e) }
    }
    const iv = random(IV_BYTES)
    if (iv.length !== IV_BYTES) return { _tag: 'Left', left: cacheError('io', `The random source gave ${iv.length} bytes for a ${IV_BYTES}-byte IV.`) }
    try {
      const ct = await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(iv), additionalData: aad(context) }, k, bytesOf(plain))
      return { _tag: 'Right', right: `${HEADER}${base64url(iv)}.${base64url(new Uint8Array(ct))}` }
    } catch (e) {
      return { _tag: 'Left', left: keyError(e) }
    }
  }

  const open = (blob: string, context: string): TE.TaskEither<CacheError, string> => async () => {
    if (!blob.startsWith(SEALED_PREFIX)) {
      return options.allowPlaintext === true
        ? { _tag: 'Right', right: blob }
        : {
            _tag: 'Left',
            left: cacheError(
              'tampered',
              'The token cache is not encrypted, but this store expects an encrypted one. To encrypt an existing plain cache, create the transform with aesGcm(key, { allowPlaintext: true }) once; otherwise delete the cache.',
            ),
          }
    }
    if (!blob.startsWith(HEADER)) return { _tag: 'Left', left: tampered(`envelope version "${blob.slice(SEALED_PREFIX.length).split('.')[0] ?? ''}" is not one this version reads (${VERSION})`) }
    const parts = blob.slice(HEADER.length).split('.')
    const iv = parts.length === 2 ? fromBase64url(parts[0] ?? '') : undefined
    const ct = parts.length === 2 ? fromBase64url(parts[1] ?? '') : undefined
    if (iv === undefined || ct === undefined || iv.length !== IV_BYTES || ct.length < 16) return { _tag: 'Left', left: tampered('the envelope is malformed') }
    let k: CryptoKey
    try {
      k = await cryptoKey()
    } catch (e) {
      return { _tag: 'Left', left: keyError(e) }
    }
    let plain: ArrayBuffer
    try {
      plain = await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(iv), additionalData: aad(context) }, k, new Uint8Array(ct))
    } catch {
      return { _tag: 'Left', left: tampered('the authentication tag does not match') }
    }
    try {
      return { _tag: 'Right', right: new TextDecoder('utf-8', { fatal: true }).decode(plain) }
    } catch {
      return { _tag: 'Left', left: tampered('the content is not UTF-8 text') }
    }
  }

  return { seal, open }
}
