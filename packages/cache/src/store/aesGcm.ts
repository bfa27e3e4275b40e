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
 * ### Key and IVs
 *
 * `aesGcm(key)` copies raw key bytes and starts their import at once, and refuses at
 * construction (a thrown `ConfigError`, before any token is fetched) a key of the wrong
 * size and a random source that repeats itself; each seal also refuses an IV equal to the
 * previous one.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { base64url, cacheError, configError, webCryptoRandom, type CacheError, type ConfigError, type RandomBytes } from '@authfold/core'
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

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * The exception {@link aesGcm} throws for a configuration that cannot work: an `Error`
 * named `ConfigError` whose `authError` holds the typed {@link ConfigError}, the shape the
 * client facades throw at construction.
 */
const refuse = (message: string, field: string): Error & { readonly authError: ConfigError } =>
  Object.assign(new Error(message), { name: 'ConfigError', authError: configError('invalid_argument', message, field) })

/** The key's problem when it is not a usable AES-GCM key, or `undefined`. */
const keyProblem = (key: CryptoKey | Uint8Array): string | undefined => {
  if (key instanceof Uint8Array) {
    return [16, 24, 32].includes(key.length)
      ? undefined
      : `The cache encryption key has ${key.length} bytes; AES-GCM needs 16, 24 or 32 (32 recommended). Pass a key of the right size.`
  }
  if (key.algorithm.name !== 'AES-GCM') return `The cache encryption key is a ${key.algorithm.name} key, not an AES-GCM one. Pass 32 random bytes or an AES-GCM CryptoKey.`
  const missing = ['encrypt', 'decrypt'].filter((u) => !key.usages.includes(u as KeyUsage))
  return missing.length === 0 ? undefined : `The cache encryption key lacks the usages ${missing.join(' and ')}. Create the AES-GCM CryptoKey with usages ['encrypt', 'decrypt'].`
}

/** The random source's problem when two IVs in a row, `a` then `b`, are not two distinct IVs, or `undefined`. */
const randomProblem = (a: Uint8Array, b: Uint8Array): string | undefined =>
  a.length !== IV_BYTES || b.length !== IV_BYTES
    ? `The random source of aesGcm gave ${a.length === IV_BYTES ? b.length : a.length} bytes when asked for a ${IV_BYTES}-byte IV. Pass a random source that returns as many bytes as asked, or omit it (WebCrypto).`
    : sameBytes(a, b)
      ? 'The random source of aesGcm repeated the previous IV; reusing an AES-GCM IV with one key reveals the data and allows forgeries. Pass a cryptographic random source, or omit it (WebCrypto).'
      : undefined

/**
 * An AES-GCM {@link BlobTransform} for any store's `transform` option. `key` is a
 * WebCrypto `CryptoKey` for `AES-GCM` (usages `encrypt` and `decrypt`) or 16, 24 or 32 raw
 * bytes (AES-128/192/256; keep them in a secret store, not beside the cache). Each write
 * draws a fresh 96-bit IV from `random`.
 *
 * Construction checks everything it can before any token is fetched, and **throws** (an
 * `Error` named `ConfigError` whose `authError` is a `ConfigError` with code
 * `invalid_argument`, as the client factories do) when:
 * - a raw key is not 16, 24 or 32 bytes, or a `CryptoKey` is not an AES-GCM key with the
 *   `encrypt` and `decrypt` usages (`field: 'key'`);
 * - `random` fails a self-check: two IVs drawn at construction are equal or of the wrong
 *   size (`field: 'random'`).
 *
 * Raw key bytes are copied at construction and their WebCrypto import starts at once, so a
 * caller may zero its buffer as soon as `aesGcm` returns. Every seal also compares its IV
 * with the previous one and refuses to encrypt (`CacheError('io')`) on a repeat.
 *
 * @example
 * ```ts
 * import { aesGcm } from '@authfold/cache'
 * import { fileStore } from '@authfold/node'
 *
 * declare const path: string, keyBytes: Uint8Array // a 32-byte key from your secret store
 * const store = fileStore({ path, transform: aesGcm(keyBytes) })
 * ```
 * @category encryption
 * @since 0.1.0
 */
export const aesGcm = (key: CryptoKey | Uint8Array, options: AesGcmOptions = {}): BlobTransform => {
  const random = options.random ?? webCryptoRandom
  const problem = keyProblem(key)
  if (problem !== undefined) throw refuse(problem, 'key')
  const first = new Uint8Array(random(IV_BYTES))
  let previousIv = new Uint8Array(random(IV_BYTES))
  const weak = randomProblem(first, previousIv)
  if (weak !== undefined) throw refuse(weak, 'random')
  // Copied now: the caller may wipe its buffer once we return.
  const imported: Promise<CryptoKey> =
    key instanceof Uint8Array ? globalThis.crypto.subtle.importKey('raw', new Uint8Array(key), 'AES-GCM', false, ['encrypt', 'decrypt']) : Promise.resolve(key)
  // A failed import is reported by the first seal or open; never an unhandled rejection.
  imported.catch(() => undefined)
  const cryptoKey = (): Promise<CryptoKey> => imported
  const keyError = (e: unknown): CacheError =>
    cacheError('io', `The cache encryption key cannot be used for AES-GCM (${e instanceof Error ? e.name : 'unknown error'}). Pass 32 random bytes or an AES-GCM CryptoKey.`)
  const aad = (context: string): Uint8Array<ArrayBuffer> => bytesOf(`${SEALED_PREFIX}${VERSION}|${context}`)

  const seal = (plain: string, context: string): TE.TaskEither<CacheError, string> => async () => {
    let k: CryptoKey
    try {
      k = await cryptoKey()
    } catch (e) {
      return { _tag: 'Left', left: keyError(e) }
    }
    const iv = new Uint8Array(random(IV_BYTES))
    const weak = randomProblem(previousIv, iv)
    if (weak !== undefined) return { _tag: 'Left', left: cacheError('io', `${weak} Nothing was written.`) }
    previousIv = iv
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
