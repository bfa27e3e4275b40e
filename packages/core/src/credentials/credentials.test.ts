import { describe, expect, it } from 'vitest'
import { generateKeyPairSync, createPublicKey } from 'node:crypto'
import { decodeProtectedHeader, jwtVerify, importSPKI } from 'jose'
import { clientSecret } from './clientSecret.js'
import { clientAssertion } from './clientAssertion.js'
import { certificate } from './certificate.js'
import { findPrivateKey } from './pem.js'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString()
const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString()
const context = {
  clientId: 'app-1',
  tokenEndpoint: 'https://login.example/tenant/oauth2/v2.0/token',
  now: () => 1_700_000_000_000,
  random: (n: number) => new Uint8Array(n).fill(7),
}

const run = async (auth: ReturnType<typeof certificate>) => {
  const r = await auth(context)()
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right
}

describe('clientSecret', () => {
  it('sends client_secret in the body and nothing else', async () => {
    expect(await run(clientSecret('s3cret'))).toEqual({ fields: { client_secret: 's3cret' }, headers: {} })
  })
  it('flags an empty secret as a problem before any request', () => {
    expect(clientSecret('').problem?.code).toBe('invalid_credential')
  })
})

describe('clientAssertion', () => {
  it('passes a string through as a jwt-bearer assertion', async () => {
    const r = await run(clientAssertion('a.b.c'))
    expect(r.fields).toEqual({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: 'a.b.c' })
  })
  it('calls an async callback with the client id and token endpoint on every request', async () => {
    const seen: string[] = []
    const auth = clientAssertion(async (c) => {
      seen.push(`${c.clientId} ${c.tokenEndpoint}`)
      return `jwt-${seen.length}`
    })
    expect((await run(auth)).fields.client_assertion).toBe('jwt-1')
    expect((await run(auth)).fields.client_assertion).toBe('jwt-2')
    expect(seen).toEqual([`app-1 ${context.tokenEndpoint}`, `app-1 ${context.tokenEndpoint}`])
  })
  it('turns a failing callback into a ConfigError that does not leak what it threw', async () => {
    const r = await clientAssertion(() => {
      throw new Error('secret-material-123')
    })(context)()
    expect(r._tag).toBe('Left')
    expect(JSON.stringify(r)).not.toContain('secret-material-123')
  })
})

describe('certificate', () => {
  const verify = async (jwt: string) => jwtVerify(jwt, await importSPKI(spki, 'RS256'), { currentDate: new Date(context.now()) })

  it('signs an RS256 assertion with x5t and the claims MSAL sends', async () => {
    const thumbprint = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678'
    const r = await run(certificate({ privateKey: pkcs8, thumbprint, clientClaims: { extra: 'yes' } }))
    const jwt = r.fields.client_assertion ?? ''
    const { payload } = await verify(jwt)
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT', x5t: Buffer.from(thumbprint, 'hex').toString('base64url') })
    expect(payload).toMatchObject({ aud: context.tokenEndpoint, iss: 'app-1', sub: 'app-1', iat: 1_700_000_000, nbf: 1_700_000_000, exp: 1_700_000_600, extra: 'yes' })
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('signs PS256 with x5t#S256 when given the SHA-256 thumbprint', async () => {
    const r = await run(certificate({ privateKey: pkcs8, thumbprintSha256: 'ab'.repeat(32) }))
    const jwt = r.fields.client_assertion ?? ''
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'PS256', 'x5t#S256': Buffer.from('ab'.repeat(32), 'hex').toString('base64url') })
    await jwtVerify(jwt, createPublicKey(spki), { currentDate: new Date(context.now()) })
  })

  it('accepts PKCS#1 keys and passphrase-protected PKCS#8 keys', async () => {
    await verify((await run(certificate({ privateKey: pkcs1, thumbprint: '00'.repeat(20) }))).fields.client_assertion ?? '')
    await verify((await run(certificate({ privateKey: encrypted, passphrase: 'correct horse', thumbprint: '00'.repeat(20) }))).fields.client_assertion ?? '')
  })

  it('says the passphrase is wrong, without echoing it', async () => {
    const r = await certificate({ privateKey: encrypted, passphrase: 'wrong-pass', thumbprint: '00'.repeat(20) })(context)()
    expect(r._tag === 'Left' && r.left.message).toMatch(/passphrase is wrong/)
    expect(JSON.stringify(r)).not.toContain('wrong-pass')
  })

  it('reports a public key, a certificate, or garbage passed as the private key at creation', () => {
    expect(certificate({ privateKey: spki, thumbprint: '00' }).problem?.message).toMatch(/public key/)
    expect(certificate({ privateKey: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', thumbprint: '00' }).problem?.message).toMatch(/certificate, not a private key/)
    expect(certificate({ privateKey: 'not a key', thumbprint: '00' }).problem?.code).toBe('invalid_credential')
    expect(certificate({ privateKey: pkcs8 }).problem?.field).toBe('publicCertificate')
    expect(certificate({ privateKey: encrypted, thumbprint: '00' }).problem?.field).toBe('passphrase')
  })

  it('finds no key in any random text, and never throws', async () => {
    const fc = await import('fast-check')
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(findPrivateKey(s, false)._tag).toBe('Left')
      }),
    )
  })
})
