import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { codeChallenge, codeVerifier, createPkce } from './pkce.js'
import { nonceHash } from './nonceHash.js'
import { randomLetters } from './randomLetters.js'

const bytesFrom = (seed: ReadonlyArray<number>) => (n: number) => Uint8Array.from({ length: n }, (_, i) => seed[i % seed.length] ?? 0)

describe('PKCE (RFC 7636)', () => {
  it('the RFC 7636 appendix B pair', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')
  })

  it('a pair MSAL Python 1.21 made (_generate_pkce_code_verifier)', async () => {
    expect(await codeChallenge('MQ3FTX1HkjStmVpB9uU85yC4AIKYwzxPND_72rv-ahn')).toBe('89lJnkV-P1gZ22uA9AuIsY5ykI1v7JmJ3R5H_YT5_WE')
  })

  it('property: the verifier is 43 unreserved characters and challenge = base64url(sha256(verifier))', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }), async (seed) => {
        const pkce = await createPkce(bytesFrom(seed))
        expect(pkce.code_verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/)
        expect(pkce.code_verifier).toHaveLength(43)
        expect(pkce.code_challenge_method).toBe('S256')
        expect(pkce.code_challenge).toBe(createHash('sha256').update(pkce.code_verifier, 'ascii').digest('base64url'))
      }),
      { numRuns: 200 },
    )
  })

  it('two verifiers from the real random source differ', () => {
    const random = (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n))
    expect(codeVerifier(random)).not.toBe(codeVerifier(random))
  })
})

describe('nonce hash and random letters', () => {
  it("hashes as MSAL's _nonce_hash (a nonce and hash MSAL Python 1.21 sent)", async () => {
    expect(await nonceHash('LeHnGmJEIpxFyRQc')).toBe('9f441dcd098c925c25e1a1ed2506c3c69b8715078b3234e9f9791a459e8ad31a')
  })

  it('property: 16 ASCII letters whatever the random bytes (including bytes that are rejected)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 40 }).filter((a) => a.some((b) => b < 208)), (seed) => {
        expect(randomLetters(bytesFrom(seed))).toMatch(/^[A-Za-z]{16}$/)
      }),
    )
  })
})
