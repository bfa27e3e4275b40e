import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createPublicKey } from 'node:crypto'
import { decodeProtectedHeader, jwtVerify, type KeyObject } from 'jose'
import { pfxCertificate, readPfx } from './pfx.js'
import { makePfxFiles, NON_ASCII_PASSPHRASE, PASSPHRASE, type PfxFiles, type PfxName } from './pfxFiles.testkit.js'

let files: PfxFiles
let leafKey: KeyObject
beforeAll(() => {
  files = makePfxFiles()
  leafKey = createPublicKey(files.leafPem)
}, 60_000)
afterAll(() => files.cleanup())

const context = {
  clientId: 'pfx-app',
  tokenEndpoint: 'https://login.example/tenant/oauth2/v2.0/token',
  now: () => 1_700_000_000_000,
  random: (n: number) => new Uint8Array(n).fill(7),
}
const hexToB64url = (hex: string) => Buffer.from(hex, 'hex').toString('base64url')

const sign = async (options: Parameters<typeof pfxCertificate>[0]) => {
  const credential = pfxCertificate(options)
  expect(credential.problem).toBeUndefined()
  const r = await credential(context)()
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right.fields['client_assertion'] ?? ''
}

describe('pfxCertificate', () => {
  const encryptions: ReadonlyArray<readonly [PfxName, RegExp, string | undefined]> = [
    ['modern', /PBES2, PBKDF2, AES-256-CBC[\s\S]*Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/, PASSPHRASE],
    ['legacy', /MAC: sha1[\s\S]*pbeWithSHA1And40BitRC2-CBC[\s\S]*Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/, PASSPHRASE],
    ['tripleDes', /MAC: sha1[\s\S]*Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC[\s\S]*Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/, PASSPHRASE],
    ['emptyPassphrase', /MAC: sha256/, undefined],
    ['unencrypted', /^(?![\s\S]*MAC:)[\s\S]*PKCS7 Data[\s\S]*Key bag/, undefined],
    ['nonAscii', /pbeWithSHA1And3-KeyTripleDES-CBC/, NON_ASCII_PASSPHRASE],
  ]
  it.each(encryptions)('opens the %s file and signs PS256 with the SHA-256 thumbprint of its certificate', async (name, info, passphrase) => {
    expect(files.info(name)).toMatch(info)
    const assertion = await sign({ pfx: files.bytes(name), ...(passphrase === undefined ? {} : { passphrase }) })
    const header = decodeProtectedHeader(assertion)
    expect(header).toEqual({ alg: 'PS256', typ: 'JWT', 'x5t#S256': hexToB64url(files.leafSha256) })
    const { payload } = await jwtVerify(assertion, leafKey, { algorithms: ['PS256'], currentDate: new Date(context.now()) })
    expect(payload).toMatchObject({ iss: 'pfx-app', sub: 'pfx-app', aud: context.tokenEndpoint, iat: 1_700_000_000, exp: 1_700_000_600 })
  })

  it('sends the chain of the file (leaf, then intermediate) as x5c with publicCertificate: true, in both encryptions', async () => {
    for (const name of ['chain', 'legacyChain'] as const) {
      const header = decodeProtectedHeader(await sign({ pfx: files.bytes(name), passphrase: PASSPHRASE, publicCertificate: true }))
      expect(header.x5c).toEqual([files.leafB64, files.intermediateB64])
      expect(header['x5t#S256']).toBe(hexToB64url(files.leafSha256))
    }
    expect(decodeProtectedHeader(await sign({ pfx: files.bytes('chain'), passphrase: PASSPHRASE })).x5c).toBeUndefined()
  })

  it('signs RS256 with the SHA-1 x5t when asked (ADFS)', async () => {
    const assertion = await sign({ pfx: files.bytes('modern'), passphrase: PASSPHRASE, algorithm: 'RS256' })
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'RS256', typ: 'JWT', x5t: hexToB64url(files.leafSha1) })
    await jwtVerify(assertion, leafKey, { algorithms: ['RS256'], currentDate: new Date(context.now()) })
  })

  it('refuses a wrong or a missing passphrase at construction, without the passphrase in the message', async () => {
    const wrong = pfxCertificate({ pfx: files.bytes('modern'), passphrase: 'wrong horse staple' })
    expect(wrong.problem).toEqual({
      _tag: 'ConfigError',
      code: 'invalid_credential',
      field: 'passphrase',
      message: 'The PKCS#12 (.pfx) file could not be opened with this passphrase (or is damaged). Check the passphrase.',
    })
    expect(JSON.stringify(wrong.problem)).not.toContain('wrong horse')
    expect((await wrong(context)()) ).toEqual({ _tag: 'Left', left: wrong.problem })
    expect(pfxCertificate({ pfx: files.bytes('legacy'), passphrase: 'wrong horse staple' }).problem?.field).toBe('passphrase')
    expect(pfxCertificate({ pfx: files.bytes('modern') }).problem?.message).toBe(
      'The PKCS#12 (.pfx) file is protected by a passphrase (or is damaged). Pass its passphrase.',
    )
  })

  it('refuses a file without a private key, and bytes that are not PKCS#12', () => {
    expect(pfxCertificate({ pfx: files.bytes('noKey'), passphrase: PASSPHRASE }).problem?.message).toMatch(/holds no private key/)
    for (const pfx of [new Uint8Array(), new TextEncoder().encode(files.leafPem), new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x03]), new Uint8Array(64).fill(0xff)]) {
      const problem = pfxCertificate({ pfx }).problem
      expect(problem).toMatchObject({ _tag: 'ConfigError', code: 'invalid_credential' })
    }
  })
})

describe('readPfx never throws', () => {
  const outcome = (bytes: Uint8Array, passphrase?: string) => {
    const r = readPfx(bytes, passphrase)
    if (r._tag === 'Left') {
      expect(r.left._tag).toBe('ConfigError')
      expect(r.left.message).not.toContain(PASSPHRASE)
      return 'left'
    }
    expect(r.right.certificates.length).toBeGreaterThan(0)
    return 'right'
  }
  it('on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), fc.option(fc.string(), { nil: undefined }), (bytes, p) => void outcome(bytes, p)), { numRuns: 300 })
  })
  it('on mutated .pfx files (flipped bytes, cut tails) of every encryption', () => {
    const seen = new Set<string>()
    const names = ['modern', 'legacy', 'unencrypted', 'chain'] as const
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.option(fc.nat(), { nil: undefined }),
        (name, flips, cut) => {
          const bytes = files.bytes(name)
          for (const [at, x] of flips) bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ x
          const passphrase = name === 'unencrypted' ? undefined : PASSPHRASE
          seen.add(outcome(cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length), passphrase))
        },
      ),
      { numRuns: 150, seed: 11 },
    )
    expect(seen).toContain('left')
  }, 60_000)
})
