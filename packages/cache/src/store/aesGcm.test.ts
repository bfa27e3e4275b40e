import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { aesGcm } from './aesGcm.js'

const KEY = new Uint8Array(32).map((_, i) => i * 7 + 1)
const counterRandom = () => {
  let n = 0
  return (len: number) => new Uint8Array(len).map(() => n++ & 0xff)
}

const seal = async (plain: string, context = 'ctx', t = aesGcm(KEY)) => {
  const r = await t.seal(plain, context)()
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

describe('aesGcm', () => {
  it('decrypt(encrypt(x)) = x for arbitrary strings (full Unicode)', async () => {
    const t = aesGcm(KEY)
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 20 }), async (x, ctx) => {
        const blob = await seal(x, ctx, t)
        expect(blob.startsWith('authfold.aesgcm.1.')).toBe(true)
        expect(await t.open(blob, ctx)()).toEqual(E.right(x))
      }),
      { numRuns: 200 },
    )
  })

  it('any changed character or flipped bit of the blob is tampered, never garbage', async () => {
    const t = aesGcm(KEY)
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 120 }),
        fc.nat(),
        fc.integer({ min: 1, max: 0xffff }),
        async (x, at, delta) => {
          const blob = await seal(x, 'ctx', t)
          const i = at % blob.length
          const code = blob.charCodeAt(i) ^ (delta & 0x7f || 1)
          const changed = blob.slice(0, i) + String.fromCharCode(code) + blob.slice(i + 1)
          const r = await t.open(changed, 'ctx')()
          expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'tampered' } })
        },
      ),
      { numRuns: 300 },
    )
  })

  it('any flipped bit of the ciphertext bytes is tampered', async () => {
    const t = aesGcm(KEY)
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.nat(), fc.integer({ min: 0, max: 7 }), async (x, at, bit) => {
        const blob = await seal(x, 'ctx', t)
        const [, , , iv, ct] = blob.split('.')
        const bytes = Buffer.from(ct ?? '', 'base64url')
        const i = at % bytes.length
        bytes[i] = (bytes[i] ?? 0) ^ (1 << bit)
        const r = await t.open(`authfold.aesgcm.1.${iv}.${bytes.toString('base64url')}`, 'ctx')()
        expect(r).toMatchObject({ _tag: 'Left', left: { code: 'tampered' } })
      }),
      { numRuns: 200 },
    )
  })

  it('truncation, another key, another context, another version are tampered with a message saying what to do', async () => {
    const blob = await seal('{"AccessToken":{}}')
    for (const r of [
      await aesGcm(KEY).open(blob.slice(0, -3), 'ctx')(),
      await aesGcm(KEY).open(blob.slice(0, 30), 'ctx')(),
      await aesGcm(new Uint8Array(32)).open(blob, 'ctx')(),
      await aesGcm(KEY).open(blob, 'other partition')(),
      await aesGcm(KEY).open(blob.replace('aesgcm.1.', 'aesgcm.2.'), 'ctx')(),
    ]) {
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'tampered' } })
      if (E.isLeft(r)) expect(r.left.message).toContain('Use the key it was written with')
    }
  })

  it('draws a fresh 96-bit IV from the injected random source for every write (after the two of its self-check)', async () => {
    const t = aesGcm(KEY, { random: counterRandom() })
    const a = await seal('same', 'ctx', t)
    const b = await seal('same', 'ctx', t)
    expect(a).not.toBe(b)
    // bytes 0..23 went to the construction self-check (two IVs drawn and compared)
    expect(a.split('.')[3]).toBe(Buffer.from([24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35]).toString('base64url'))
    expect(b.split('.')[3]).toBe(Buffer.from([36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47]).toString('base64url'))
  })

  it('copies the key at construction: zeroing the caller\'s buffer afterwards does not change the key used', async () => {
    const mine = new Uint8Array(KEY)
    const t = aesGcm(mine)
    mine.fill(0)
    const blob = await seal('{"AccessToken":{}}', 'ctx', t)
    expect(await aesGcm(KEY).open(blob, 'ctx')()).toEqual(E.right('{"AccessToken":{}}'))
    expect(await aesGcm(new Uint8Array(32)).open(blob, 'ctx')()).toMatchObject({ _tag: 'Left', left: { code: 'tampered' } })
    // and the transform keeps opening what it sealed
    expect(await t.open(blob, 'ctx')()).toEqual(E.right('{"AccessToken":{}}'))
  })

  it('refuses a raw key of the wrong size at construction, before any token is fetched, with a ConfigError saying what to pass', () => {
    for (const size of [0, 10, 15, 31, 33, 64]) {
      let thrown: unknown
      try {
        aesGcm(new Uint8Array(size))
      } catch (e) {
        thrown = e
      }
      expect(thrown).toBeInstanceOf(Error)
      expect(thrown).toMatchObject({ name: 'ConfigError', authError: { _tag: 'ConfigError', code: 'invalid_argument', field: 'key' } })
      expect((thrown as Error).message).toContain(`${size} bytes`)
      expect((thrown as Error).message).toContain('16, 24 or 32')
    }
    for (const size of [16, 24, 32]) expect(() => aesGcm(new Uint8Array(size).fill(1))).not.toThrow()
  })

  it('refuses a CryptoKey that is not an AES-GCM encrypt/decrypt key at construction', async () => {
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    expect(() => aesGcm(hmac)).toThrow(/AES-GCM/)
    const encryptOnly = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt'])
    expect(() => aesGcm(encryptOnly)).toThrow(/decrypt/)
  })

  it('refuses a random source that repeats itself: at construction (two IVs drawn) and on any seal (against the previous IV)', async () => {
    const constant = () => new Uint8Array(12).fill(4)
    expect(() => aesGcm(KEY, { random: constant })).toThrow(/random source/)
    expect(() => aesGcm(KEY, { random: (n) => new Uint8Array(n) })).toThrow(/random source/)
    expect(() => aesGcm(KEY, { random: () => new Uint8Array(8) })).toThrow(/12-byte IV/)
    // distinct for the self-check and the first seal, then stuck
    const draws = [1, 2, 3, 3, 3].map((b) => new Uint8Array(12).fill(b))
    let i = 0
    const t = aesGcm(KEY, { random: () => draws[Math.min(i++, draws.length - 1)] ?? new Uint8Array(12) })
    const first = await seal('a', 'ctx', t)
    expect(first.split('.')[3]).toBe(Buffer.from(new Uint8Array(12).fill(3)).toString('base64url'))
    const again = await t.seal('b', 'ctx')()
    expect(again).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
    if (E.isLeft(again)) expect(again.left.message).toContain('repeated')
  })

  it('refuses plain JSON unless allowPlaintext, which reads it as it is', async () => {
    const plain = '{"AccessToken":{}}'
    const refused = await aesGcm(KEY).open(plain, 'ctx')()
    expect(refused).toMatchObject({ _tag: 'Left', left: { code: 'tampered' } })
    if (E.isLeft(refused)) expect(refused.left.message).toContain('allowPlaintext')
    expect(await aesGcm(KEY, { allowPlaintext: true }).open(plain, 'ctx')()).toEqual(E.right(plain))
  })

  it('accepts a WebCrypto CryptoKey', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
    const t = aesGcm(key)
    expect(await t.open(await seal('x', 'c', t), 'c')()).toEqual(E.right('x'))
  })
})
