/**
 * The `ext_cache_key` of an access token: a hash of the non-standard request fields
 * (today `fmi_path`) that isolates tokens obtained with them from every other token of
 * the same client, tenant and scopes.
 *
 * The algorithm is the one current MSAL Python, Go, .NET and Java share (MSAL Python PR
 * #946, Go #629, .NET #6137): drop the standard OAuth fields and empty values, sort the
 * rest by key (code-unit order), write each as a netstring pair
 * `<utf8 byte length of key>:<key><utf8 byte length of value>:<value>`, concatenate, SHA-256
 * over the UTF-8 bytes, base64url without padding, lower-cased. The length prefixes make
 * the encoding injective: `{fmi_path: "value"}` and `{fmi_pat: "hvalue"}` (both
 * `fmi_pathvalue` under the older, unprefixed concatenation) get different keys.
 *
 * msal-node 7.2 does not write `ext_cache_key`: its access token carries the raw
 * components (`"additionalCacheKeyComponents": {"fmi_path": "…"}`) and its cache key ends
 * with a hash of them; see the README (FMI paths and msal-node).
 *
 * SHA-256 is computed here synchronously in plain JavaScript so the fold stays a pure
 * function with no WebCrypto promise in the way; it is only a cache-slot name, not a
 * security boundary.
 *
 * @module
 */

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
] as const

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n))

/**
 * SHA-256 of some bytes (FIPS 180-4), synchronous and dependency-free.
 *
 * @category utils
 * @since 0.1.0
 */
export const sha256 = (data: Uint8Array): Uint8Array => {
  const bitLen = data.length * 8
  const total = Math.ceil((data.length + 9) / 64) * 64
  const buf = new Uint8Array(total)
  buf.set(data)
  buf[data.length] = 0x80
  const view = new DataView(buf.buffer)
  view.setUint32(total - 8, Math.floor(bitLen / 0x100000000))
  view.setUint32(total - 4, bitLen >>> 0)
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
  const w = new Uint32Array(64)
  for (let off = 0; off < total; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4)
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15] ?? 0
      const w2 = w[i - 2] ?? 0
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3)
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10)
      w[i] = ((w[i - 16] ?? 0) + s0 + (w[i - 7] ?? 0) + s1) >>> 0
    }
    let [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number]
    for (let i = 0; i < 64; i++) {
      const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
      const ch = (e & f) ^ (~e & g)
      const t1 = (hh + S1 + ch + (K[i] ?? 0) + (w[i] ?? 0)) >>> 0
      const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
      const maj = (a & b) ^ (a & c) ^ (b & c)
      const t2 = (S0 + maj) >>> 0
      hh = g
      g = f
      f = e
      e = (d + t1) >>> 0
      d = c
      c = b
      b = a
      a = (t1 + t2) >>> 0
    }
    const add = [a, b, c, d, e, f, g, hh]
    for (let i = 0; i < 8; i++) h[i] = ((h[i] ?? 0) + (add[i] ?? 0)) >>> 0
  }
  const out = new Uint8Array(32)
  const ov = new DataView(out.buffer)
  for (let i = 0; i < 8; i++) ov.setUint32(i * 4, h[i] ?? 0)
  return out
}

const base64urlOf = (bytes: Uint8Array): string => {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Request fields that never take part in the ext cache key: the standard OAuth 2.0 /
 * OpenID Connect token-request fields, MSAL's own bookkeeping, and the PoP / SSH
 * fields (`key_id`, `token_type`, `req_cnf`) that have their own place in the cache.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `_EXT_CACHE_KEY_EXCLUDED_FIELDS`
 */
export const extCacheKeyExcludedFields: ReadonlyArray<string> = [
  'grant_type',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'client_info',
  'scope',
  'claims',
  'code',
  'code_verifier',
  'redirect_uri',
  'refresh_token',
  'username',
  'password',
  'assertion',
  'requested_token_use',
  'device_code',
  'resource',
  'key_id',
  'token_type',
  'req_cnf',
]

/**
 * The ext cache key of a token request's extra fields; `''` when none take part (no
 * fields, only excluded fields, only empty values).
 *
 * @example
 * ```ts
 * import { computeExtCacheKey } from '@authfold/cache'
 *
 * computeExtCacheKey({ fmi_path: 'SomePath/Credential' }) // non-empty, stable
 * computeExtCacheKey({ key1: 'value1', key2: 'value2' }) // 'latlwkpewb_a0rcsmjvkecqt0_huumkw4sflzociike'
 * ```
 *
 * @category fold
 * @since 0.1.0
 * @see MSAL Python `token_cache._compute_ext_cache_key`
 */
export const computeExtCacheKey = (data: Readonly<Record<string, string | null | undefined>> | undefined): string => {
  const input = extCacheKeyInput(data)
  return input === '' ? '' : base64urlOf(sha256(new TextEncoder().encode(input))).toLowerCase()
}

/**
 * {@link computeExtCacheKey} with the SHA-256 done by WebCrypto (`crypto.subtle.digest`):
 * the same keys, without bundling the JavaScript SHA-256. The grants use this one.
 *
 * @example
 * ```ts
 * import { computeExtCacheKeyAsync } from '@authfold/cache'
 *
 * await computeExtCacheKeyAsync({ key1: 'value1', key2: 'value2' }) // 'latlwkpewb_a0rcsmjvkecqt0_huumkw4sflzociike'
 * ```
 *
 * @category fold
 * @since 0.1.0
 * @see MSAL Python `token_cache._compute_ext_cache_key`
 */
export const computeExtCacheKeyAsync = async (data: Readonly<Record<string, string | null | undefined>> | undefined): Promise<string> => {
  const input = extCacheKeyInput(data)
  return input === '' ? '' : base64urlOf(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(input)))).toLowerCase()
}

const utf8Length = (s: string): number => new TextEncoder().encode(s).length

/** The hashed text: the non-excluded, non-empty fields sorted by key, each `<len>:<key><len>:<value>`. */
const extCacheKeyInput = (data: Readonly<Record<string, string | null | undefined>> | undefined): string => {
  if (data === undefined) return ''
  const excluded = new Set(extCacheKeyExcludedFields)
  return Object.keys(data)
    .filter((k) => !excluded.has(k))
    .flatMap((k) => {
      const v = data[k]
      return typeof v === 'string' && v !== '' ? [[k, v] as const] : []
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${utf8Length(k)}:${k}${utf8Length(v)}:${v}`)
    .join('')
}
