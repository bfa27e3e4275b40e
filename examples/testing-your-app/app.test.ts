// The app's test suite, against the local identity provider: docs/testing-your-app.md
// shows these blocks, and guide.test.ts checks that each of its blocks is here word for word.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { certificate, clientSecret, type HttpClient } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { routeToIdentityProvider, selfSignedCertificate, signInWithoutBrowser, startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createApp } from './app.js'

let idp: IdentityProvider
let http: HttpClient

beforeAll(async () => {
  // A local Entra on 127.0.0.1 that also answers as login.microsoftonline.com.
  idp = await startIdentityProvider({ publicHost: 'login.microsoftonline.com' })
  // The app's HTTP effect: Entra's host names go to the local IdP, any other host is refused.
  http = routeToIdentityProvider(idp)(nodeHttpClient({ ca: idp.ca }))
})
afterAll(() => idp.stop())

describe('the reports token', () => {
  it('is asked for once, then comes from the cache', async () => {
    idp.registerClient({ clientId: 'reports-job', secret: 'test-secret' })
    const app = createApp({ tenantId: idp.tenantId, clientId: 'reports-job', credential: clientSecret('test-secret'), http })
    idp.clearRequests()

    expect(await app.reportsToken()).toBe(await app.reportsToken())

    const tokenRequests = idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'))
    expect(tokenRequests).toHaveLength(1)
    expect(tokenRequests[0]?.headers['host']).toBe('login.microsoftonline.com')
    expect(tokenRequests[0]?.form).toMatchObject({
      grant_type: 'client_credentials',
      scope: 'api://reports/.default',
      client_id: 'reports-job',
      client_secret: '<redacted>', // the log never holds a secret
    })
  })

  it('can use a certificate made at run time', async () => {
    const cert = await selfSignedCertificate({ commonName: 'reports-job' })
    idp.registerClient({ clientId: 'reports-job-cert', certificate: { certificatePem: cert.certificatePem } })
    const credential = certificate({ privateKey: cert.privateKeyPem, thumbprint: cert.sha1Thumbprint })
    const app = createApp({ tenantId: idp.tenantId, clientId: 'reports-job-cert', credential, http })

    await app.reportsToken()

    const sent = idp.requests.filter((r) => r.form['client_id'] === 'reports-job-cert').at(-1)?.form
    expect(sent?.['client_assertion_type']).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
  })

  it('fails with the error Entra gives when the secret is wrong', async () => {
    idp.registerClient({ clientId: 'reports-job-rotated', secret: 'the-new-secret' })
    const app = createApp({ tenantId: idp.tenantId, clientId: 'reports-job-rotated', credential: clientSecret('the-old-secret'), http })

    await expect(app.reportsToken()).rejects.toMatchObject({
      authError: { _tag: 'ProtocolError', error: 'invalid_client', message: expect.stringContaining('AADSTS7000215') },
    })
  })
})

describe('when the identity provider misbehaves', () => {
  it('a 503 fails the call, and the same call right after is throttled without a request', async () => {
    idp.registerClient({ clientId: 'reports-job-503', secret: 'test-secret' })
    const app = createApp({ tenantId: idp.tenantId, clientId: 'reports-job-503', credential: clientSecret('test-secret'), http })

    idp.inject({ status: 503 }) // the next token request only
    await expect(app.reportsToken()).rejects.toMatchObject({ authError: { _tag: 'ProtocolError', status: 503, error: 'server_error' } })

    // MSAL's HTTP policy remembers a 429 or 5xx for Retry-After (default 60 s): no second request.
    idp.clearRequests()
    await expect(app.reportsToken()).rejects.toMatchObject({ authError: { status: 503 } })
    expect(idp.requests).toEqual([])
  })

  it('a reset connection is a network error', async () => {
    idp.registerClient({ clientId: 'reports-job-reset', secret: 'test-secret' })
    const app = createApp({ tenantId: idp.tenantId, clientId: 'reports-job-reset', credential: clientSecret('test-secret'), http })

    idp.inject('reset')
    await expect(app.reportsToken()).rejects.toMatchObject({ authError: { _tag: 'HttpError', code: 'network' } })
  })

  it('a token that is not a JWT is handed over as it came', async () => {
    idp.registerClient({ clientId: 'reports-job-opaque', secret: 'test-secret' })
    const app = createApp({ tenantId: idp.tenantId, clientId: 'reports-job-opaque', credential: clientSecret('test-secret'), http })

    idp.inject({ jwt: 'opaque' })
    expect((await app.reportsToken()).split('.')).toHaveLength(1)
  })
})

describe('signing a user in', () => {
  it('returns the user who signed in on the sign-in page', async () => {
    idp.registerClient({ clientId: 'web-app', secret: 'test-secret' })
    idp.registerUser({ username: 'ada@authfold.test', password: 'test-password', name: 'Ada' })
    const app = createApp({ tenantId: idp.tenantId, clientId: 'web-app', credential: clientSecret('test-secret'), http })

    const flow = await app.startSignIn('http://localhost:3000/redirect')
    // The user, without a browser: the sign-in page is read and submitted over real HTTPS.
    const query = await signInWithoutBrowser({ authUri: flow.auth_uri, username: 'ada@authfold.test', password: 'test-password', ca: idp.ca, identityProvider: idp })

    expect(await app.finishSignIn(flow, query)).toBe('ada@authfold.test')
  })
})
