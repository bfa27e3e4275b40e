import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientAssertion, type AssertionContext } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { selfSignedCertificate, signedAssertion, startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient } from '../confidentialClient.js'

const SCOPE = 'api://AzureADTokenExchange/.default'
let idp: IdentityProvider
let cert: Awaited<ReturnType<typeof selfSignedCertificate>>

beforeAll(async () => {
  idp = await startIdentityProvider()
  cert = await selfSignedCertificate({ commonName: 'authfold-fmi-app' })
  idp.registerClient({ clientId: 'fmi-app', certificate: { certificatePem: cert.certificatePem } })
})
afterAll(async () => idp.stop())

describe('the client assertion callback receives the request context (MSAL Python 1.37)', () => {
  it('one callback serves two FMI paths: it is told client id, token endpoint and fmi_path, and each path gets its own token', async () => {
    const seen: AssertionContext[] = []
    const sign = signedAssertion(cert)
    const credential = clientAssertion(async (context) => {
      seen.push(context)
      return sign(context)
    })
    const app = createConfidentialClient({
      clientId: 'fmi-app',
      authority: idp.authority(),
      credential,
      http: nodeHttpClient({ ca: idp.ca, timeoutMs: 5000 }),
      validateAuthority: false,
    })
    const tokenEndpoint = `${idp.authority().replace(/\/$/, '')}/oauth2/v2.0/token`
    const a = await app.acquireTokenForClient([SCOPE], { fmiPath: 'SomeFmiPath/agent-a' })
    const b = await app.acquireTokenForClient([SCOPE], { fmiPath: 'SomeFmiPath/agent-b' })
    const plain = await app.acquireTokenForClient([SCOPE])
    expect(seen).toEqual([
      { clientId: 'fmi-app', tokenEndpoint, fmiPath: 'SomeFmiPath/agent-a' },
      { clientId: 'fmi-app', tokenEndpoint, fmiPath: 'SomeFmiPath/agent-b' },
      { clientId: 'fmi-app', tokenEndpoint },
    ])
    expect(Object.keys(seen[2] ?? {})).not.toContain('fmiPath')
    expect(new Set([a.access_token, b.access_token, plain.access_token]).size).toBe(3)
    const forms = idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token')).map((r) => [r.form['fmi_path'], r.status])
    expect(forms).toEqual([
      ['SomeFmiPath/agent-a', 200],
      ['SomeFmiPath/agent-b', 200],
      [undefined, 200],
    ])
    // Cached per path: no further callback, no further request.
    expect(await app.acquireTokenForClient([SCOPE], { fmiPath: 'SomeFmiPath/agent-a' })).toMatchObject({ token_source: 'cache', access_token: a.access_token })
    expect(seen).toHaveLength(3)
  })
})
