import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import * as https from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { derOid, derTime } from './der.js'
import {
  createCertificateAuthority,
  issueCertificate,
  pemToDer,
  selfSignedCertificate,
  thumbprintToBase64url,
  type CertificateAuthority,
  type GeneratedCertificate,
} from './selfSigned.js'

const OPENSSL = '/usr/bin/openssl'
const hasOpenssl = existsSync(OPENSSL)

describe('DER', () => {
  // Length encoding is core's derLength: its round-trip and never-throws properties are in
  // packages/core/src/credentials/der.test.ts.
  it('encodes OIDs and times as X.509 expects', () => {
    expect(Buffer.from(derOid('1.2.840.113549.1.1.11')).toString('hex')).toBe('06092a864886f70d01010b')
    expect(Buffer.from(derOid('2.5.29.17')).toString('hex')).toBe('0603551d11')
    expect(Buffer.from(derTime(Date.UTC(2024, 0, 2, 3, 4, 5))).toString('latin1').slice(2)).toBe('240102030405Z')
    expect(Buffer.from(derTime(Date.UTC(2051, 0, 2, 3, 4, 5))).toString('latin1').slice(2)).toBe('20510102030405Z')
  })
})

describe('certificates', () => {
  let ca: CertificateAuthority
  let server: GeneratedCertificate
  let client: GeneratedCertificate
  let dir: string

  beforeAll(async () => {
    ca = await createCertificateAuthority({ commonName: 'test CA' })
    server = await issueCertificate(ca, { commonName: '127.0.0.1', altNames: ['127.0.0.1', 'localhost'] })
    client = await selfSignedCertificate({ commonName: 'daemon app' })
    dir = mkdtempSync(join(tmpdir(), 'authfold-x509-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('are read by node:crypto with the right names, CA flag, chain and thumbprints', () => {
    const caX = new X509Certificate(ca.certificatePem)
    const serverX = new X509Certificate(server.certificatePem)
    const clientX = new X509Certificate(client.certificatePem)
    expect(caX.ca).toBe(true)
    expect(serverX.ca).toBe(false)
    expect(serverX.subject).toBe('CN=127.0.0.1')
    expect(serverX.issuer).toBe('CN=test CA')
    expect(serverX.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost')
    expect(serverX.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(serverX.checkHost('localhost')).toBe('localhost')
    expect(serverX.verify(caX.publicKey)).toBe(true)
    expect(serverX.checkIssued(caX)).toBe(true)
    expect(clientX.verify(clientX.publicKey)).toBe(true)
    expect(serverX.fingerprint.replace(/:/g, '')).toBe(server.sha1Thumbprint)
    expect(serverX.fingerprint256.replace(/:/g, '')).toBe(server.sha256Thumbprint)
    expect(server.sha1Thumbprint).toMatch(/^[0-9A-F]{40}$/)
    expect(Buffer.from(pemToDer(server.certificatePem) ?? []).equals(Buffer.from(server.der))).toBe(true)
    expect(server.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)
    expect(thumbprintToBase64url(server.sha1Thumbprint)).toBe(Buffer.from(server.sha1Thumbprint, 'hex').toString('base64url'))
  })

  it('pass `openssl x509 -text` and `openssl verify -x509_strict` (needs openssl; .ci/run installs it)', () => {
    expect(hasOpenssl).toBe(true)
    const caFile = join(dir, 'ca.pem')
    const serverFile = join(dir, 'server.pem')
    writeFileSync(caFile, ca.certificatePem)
    writeFileSync(serverFile, server.certificatePem)
    const text = execFileSync(OPENSSL, ['x509', '-in', serverFile, '-noout', '-text'], { encoding: 'utf8' })
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption')
    expect(text).toContain('IP Address:127.0.0.1, DNS:localhost')
    expect(text).toContain('CA:FALSE')
    expect(text).toContain('Public-Key: (2048 bit)')
    const caText = execFileSync(OPENSSL, ['x509', '-in', caFile, '-noout', '-text'], { encoding: 'utf8' })
    expect(caText).toMatch(/Basic Constraints: critical\s+CA:TRUE/)
    expect(caText).toContain('Certificate Sign, CRL Sign')
    const verified = execFileSync(OPENSSL, ['verify', '-x509_strict', '-CAfile', caFile, serverFile], { encoding: 'utf8' })
    expect(verified.trim()).toBe(`${serverFile}: OK`)
    const keyFile = join(dir, 'server.key')
    writeFileSync(keyFile, server.privateKeyPem)
    const keyCheck = execFileSync(OPENSSL, ['pkey', '-in', keyFile, '-noout', '-check'], { encoding: 'utf8' })
    expect(keyCheck).toContain('valid')
  })

  it('serve a real TLS handshake to a client that trusts only the CA, and fail one that does not', async () => {
    const srv = https.createServer({ key: server.privateKeyPem, cert: server.certificatePem }, (_req, res) => res.end('hello'))
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const { port } = srv.address() as AddressInfo
    const get = (host: string, ca?: string): Promise<string> =>
      new Promise((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', servername: host === '127.0.0.1' ? undefined : host, port, path: '/', ...(ca === undefined ? {} : { ca }), agent: false }, (res) => {
            let body = ''
            res.on('data', (c: Buffer) => (body += c.toString()))
            res.on('end', () => resolve(body))
          })
          .on('error', reject)
      })
    try {
      expect(await get('127.0.0.1', ca.certificatePem)).toBe('hello')
      expect(await get('localhost', ca.certificatePem)).toBe('hello')
      await expect(get('127.0.0.1')).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
      await expect(get('127.0.0.1', client.certificatePem)).rejects.toBeDefined()
    } finally {
      srv.closeAllConnections()
      await new Promise((r) => srv.close(r))
    }
  })
})
