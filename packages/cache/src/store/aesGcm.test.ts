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

  it('draws a fresh 96-bit IV from the injected random source for every write', async () => {
    const t = aesGcm(KEY, { random: counterRandom() })
    const a = await seal('same', 'ctx', t)
    const b = await seal('same', 'ctx', t)
    expect(a).not.toBe(b)
    expect(a.split('.')[3]).toBe(Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]).toString('base64url'))
    expect(b.split('.')[3]).toBe(Buffer.from([12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]).toString('base64url'))
  })

  it('refuses plain JSON unless allowPlaintext, which reads it as it is', async () => {
    const plain = '{"AccessToken":{}}'
    const refused = await aesGcm(KEY).open(plain, 'ctx')()
    expect(refused).toMatchObject({ _tag: 'Left', left: { code: 'tampered' } })
    if (E.isLeft(refused)) expect(refused.left.message).toContain('allowPlaintext')
    expect(await aesGcm(KEY, { allowPlaintext: true }).open(plain, 'ctx')()).toEqual(E.right(plain))
  })

  it('accepts a WebCrypto CryptoKey, and reports a raw key of the wrong size as a usable message', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
    const t = aesGcm(key)
    expect(await t.open(await seal('x', 'c', t), 'c')()).toEqual(E.right('x'))
    const bad = await aesGcm(new Uint8Array(10)).seal('x', 'c')()
    expect(bad).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
    if (E.isLeft(bad)) expect(bad.left.message).toContain('16, 24 or 32')
  })
})
