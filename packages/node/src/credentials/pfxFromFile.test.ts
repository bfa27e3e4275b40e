import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConfidentialClient } from '@authfold/client'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { nodeHttpClient } from '../http/nodeHttpClient.js'
import { pfxFromFile } from './pfxFromFile.js'
import { makePfxFiles, PASSPHRASE, SUBJECT_NAME, type PfxFiles } from '../../../core/src/credentials/pfxFiles.testkit.js'

const SCOPE = 'api://resource-1/.default'
let idp: IdentityProvider
let files: PfxFiles

beforeAll(async () => {
  files = makePfxFiles()
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'pfx-thumbprint', certificate: { certificatePem: files.leafPem } })
  idp.registerClient({ clientId: 'pfx-sni', subjectNameIssuer: { subjectName: SUBJECT_NAME, trustedIssuerPem: files.rootPem } })
}, 60_000)
afterAll(async () => {
  await idp.stop()
  files.cleanup()
})

const app = (clientId: string, credential: ReturnType<typeof pfxFromFile>) =>
  createConfidentialClient({ clientId, authority: idp.authority(), credential, http: nodeHttpClient({ ca: idp.ca, timeoutMs: 5000 }), validateAuthority: false })

const lastTokenRequest = (): Record<string, unknown> => {
  const token = idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token')).at(-1)
  return token?.form['client_assertion_type'] === undefined ? {} : { type: token.form['client_assertion_type'], status: token.status }
}

describe('pfxFromFile against the local identity provider (HTTPS)', () => {
  it.each(['modern', 'legacy'] as const)('acquires an app token with the registered certificate of a %s .pfx (PS256, x5t#S256)', async (name) => {
    const result = await app('pfx-thumbprint', pfxFromFile(files.path(name), PASSPHRASE)).acquireTokenForClient([SCOPE])
    expect(result).toMatchObject({ token_source: 'identity_provider', token_type: 'Bearer' })
    expect(lastTokenRequest()).toEqual({ type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', status: 200 })
  })

  it('acquires with subject name / issuer: publicCertificate: true sends the chain, which leads to the trusted root', async () => {
    const result = await app('pfx-sni', pfxFromFile(files.path('chain'), PASSPHRASE, { publicCertificate: true })).acquireTokenForClient([SCOPE])
    expect(result).toMatchObject({ token_source: 'identity_provider' })
  })

  it('is refused by a subject name / issuer registration without the chain (no x5c), and with the leaf alone (no path to the root)', async () => {
    await expect(app('pfx-sni', pfxFromFile(files.path('chain'), PASSPHRASE)).acquireTokenForClient([SCOPE])).rejects.toMatchObject({
      authError: { error: 'invalid_client', errorDescription: expect.stringContaining('No x5c certificate chain') },
    })
    await expect(
      app('pfx-sni', pfxFromFile(files.path('modern'), PASSPHRASE, { publicCertificate: true })).acquireTokenForClient([SCOPE]),
    ).rejects.toMatchObject({
      authError: { error: 'invalid_client', errorDescription: expect.stringContaining('does not lead to the trusted issuer') },
    })
  })

  it('a missing file or a wrong passphrase: the client is refused at construction, no request is sent', () => {
    const before = idp.requests.length
    expect(pfxFromFile(`${files.dir}/absent.pfx`).problem?.message).toBe(
      `The PKCS#12 (.pfx) file ${files.dir}/absent.pfx could not be read. Check the path and that this process may read it.`,
    )
    expect(() => app('pfx-thumbprint', pfxFromFile(files.path('modern'), 'wrong'))).toThrow(/could not be opened with this passphrase/)
    expect(idp.requests.length).toBe(before)
  })
})
