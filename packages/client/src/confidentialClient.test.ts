import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { certificate, clientAssertion, clientSecret, type LogLevel } from '@authfold/core'
import { serialize } from '@authfold/cache'
import { nodeHttpClient } from '@authfold/node'
import { selfSignedCertificate, signedAssertion, startIdentityProvider, type Fault, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient, type ConfidentialClientConfig } from './confidentialClient.js'
import type { AuthFailure } from './failure.js'

const SECRET = 'idp-secret-Zq8!'
const SCOPE = 'api://resource-1/.default'

let idp: IdentityProvider
let cert: Awaited<ReturnType<typeof selfSignedCertificate>>
const lines: string[] = []
const logger = (level: LogLevel, message: string) => {
  lines.push(`${level} ${message}`)
}

beforeAll(async () => {
  idp = await startIdentityProvider()
  cert = await selfSignedCertificate({ commonName: 'authfold-test-app' })
  idp.registerClient({ clientId: 'app-secret', secret: SECRET })
  idp.registerClient({ clientId: 'app-cert', certificate: { certificatePem: cert.certificatePem } })
  idp.registerClient({ clientId: 'app-assertion', certificate: { certificatePem: cert.certificatePem } })
})
afterAll(async () => idp.stop())

const config = (over: Partial<ConfidentialClientConfig> = {}): ConfidentialClientConfig => ({
  clientId: 'app-secret',
  authority: idp.authority(),
  credential: clientSecret(SECRET),
  http: nodeHttpClient({ ca: idp.ca, timeoutMs: 2000 }),
  validateAuthority: false,
  logger,
  piiLoggingEnabled: true,
  ...over,
})

const tokenRequests = () => idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'))

describe('createConfidentialClient over real HTTPS', () => {
  it('acquires with a secret, then answers from the cache with no request', async () => {
    const app = createConfidentialClient(config())
    idp.clearRequests()
    const first = await app.acquireTokenForClient([SCOPE])
    expect(first).toMatchObject({ token_type: 'Bearer', token_source: 'identity_provider' })
    const second = await app.acquireTokenForClient([SCOPE])
    expect(second).toMatchObject({ access_token: first.access_token, token_source: 'cache' })
    expect(tokenRequests()).toHaveLength(1)
    expect(tokenRequests()[0]?.form).toMatchObject({ grant_type: 'client_credentials', scope: SCOPE, client_id: 'app-secret' })
  })

  it('acquires with a certificate made at run time (SHA-1 x5t and SHA-256 PS256)', async () => {
    for (const credential of [
      certificate({ privateKey: cert.privateKeyPem, thumbprint: cert.sha1Thumbprint }),
      certificate({ privateKey: cert.privateKeyPem, thumbprintSha256: cert.sha256Thumbprint }),
      certificate({ privateKey: cert.privateKeyPem, publicCertificate: cert.certificatePem }),
    ]) {
      const app = createConfidentialClient(config({ clientId: 'app-cert', credential }))
      expect(await app.acquireTokenForClient([SCOPE])).toMatchObject({ token_source: 'identity_provider' })
    }
  })

  it('acquires with an assertion callback', async () => {
    let calls = 0
    const sign = signedAssertion(cert)
    const credential = clientAssertion((context) => {
      calls++
      return sign(context)
    })
    const app = createConfidentialClient(config({ clientId: 'app-assertion', credential }))
    expect(await app.acquireTokenForClient([SCOPE])).toMatchObject({ token_source: 'identity_provider' })
    expect(calls).toBe(1)
  })

  it('removeTokensForClient makes the next call go to the identity provider', async () => {
    const app = createConfidentialClient(config())
    await app.acquireTokenForClient([SCOPE])
    await app.removeTokensForClient()
    idp.clearRequests()
    expect(await app.acquireTokenForClient([SCOPE])).toMatchObject({ token_source: 'identity_provider' })
    expect(tokenRequests()).toHaveLength(1)
  })

  it('the TaskEither twin returns a Left instead of rejecting', async () => {
    const app = createConfidentialClient(config({ credential: clientSecret('wrong-secret-value') }))
    const r = await app.te.acquireTokenForClient([SCOPE])()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ProtocolError', error: 'invalid_client', errorCodes: [7000215] } })
  })

  it('replays a 400 answer to an identical request for 60 s without sending it again (MSAL throttling)', async () => {
    const app = createConfidentialClient(config())
    idp.clearRequests()
    const first = await app.te.acquireTokenForClient(['api://resource-1/not-default'])()
    const second = await app.te.acquireTokenForClient(['api://resource-1/not-default'])()
    expect(first).toMatchObject({ _tag: 'Left', left: { status: 400, error: 'invalid_scope' } })
    expect(second).toMatchObject({ _tag: 'Left', left: { status: 400, error: 'invalid_scope' } })
    expect(tokenRequests()).toHaveLength(1)
    expect(tokenRequests()[0]?.headers['x-client-sku']).toBeDefined()
  })

  it('sends the library headers the caller gives (libraryInfo) on the token request, SKU and version included', async () => {
    const app = createConfidentialClient(config({ libraryInfo: { sku: 'my-wrapper.ts', version: '9.9.9', os: 'linux', appName: 'headers-test', appVersion: '1.2' } }))
    idp.clearRequests()
    await app.acquireTokenForClient(['api://headers/.default'])
    expect(tokenRequests()[0]?.headers).toMatchObject({
      'x-client-sku': 'my-wrapper.ts',
      'x-client-ver': '9.9.9',
      'x-client-os': 'linux',
      'x-app-name': 'headers-test',
      'x-app-ver': '1.2',
      'x-ms-lib-capability': 'retry-after, h429',
    })
    expect(tokenRequests()[0]?.headers['x-client-current-telemetry']).toBe('4|730,2|')
  })

  const faults: ReadonlyArray<readonly [Fault, Record<string, unknown>]> = [
    ['html', { _tag: 'DecodeError', code: 'not_json' }],
    ['invalid_json', { _tag: 'DecodeError', code: 'invalid_json' }],
    ['missing_access_token', { _tag: 'DecodeError', path: 'access_token' }],
    [{ status: 500, body: 'Internal error' }, { _tag: 'HttpError', status: 500 }],
    [{ delayMs: 3000 }, { _tag: 'HttpError', code: 'timeout' }],
    ['reset', { _tag: 'HttpError', code: 'network' }],
  ]
  for (const [fault, expected] of faults) {
    it(`a ${JSON.stringify(fault)} answer is a typed error and the cache is as it was`, async () => {
      const app = createConfidentialClient(config())
      await app.acquireTokenForClient(['api://seed/.default'])
      const before = await app.cacheStore.load()()
      idp.inject(fault, 2) // twice: a connection error is retried once, as MSAL does
      const failure = await app.acquireTokenForClient([SCOPE]).then(
        () => undefined,
        (e: AuthFailure) => e,
      )
      expect(failure?.authError).toMatchObject(expected)
      expect(failure?.message).toMatch(/\. [A-Z]/)
      const after = await app.cacheStore.load()()
      expect(before._tag === 'Right' && after._tag === 'Right' && serialize(after.right) === serialize(before.right)).toBe(true)
      idp.clearFaults()
    })
  }

  it('resolveAuthority() at start-up gives the endpoints and tenant id, and the first token call reuses it', async () => {
    const app = createConfidentialClient(config())
    idp.clearRequests()
    const resolved = await app.resolveAuthority()
    expect(resolved.realm).toBe(idp.tenantId)
    expect(resolved.metadata.token_endpoint).toBe(idp.tokenEndpoint())
    const discovery = idp.requests.length
    expect(discovery).toBeGreaterThan(0)
    await app.acquireTokenForClient(['api://reuse/.default'])
    expect(idp.requests.length - discovery).toBe(1) // the token request only
  })

  it('resolveAuthority() fails fast on an unknown tenant with a ConfigError, and the next call tries again', async () => {
    const app = createConfidentialClient(config({ authority: idp.authority("no-such-tenant.example") }))
    const r = await app.te.resolveAuthority()()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'invalid_authority' } })
    idp.clearRequests()
    await app.te.resolveAuthority()()
    expect(idp.requests.length).toBeGreaterThan(0)
  })

  it('serializeCache / deserializeCache move a cache between clients; broken JSON is a DecodeError and the cache stays', async () => {
    const a = createConfidentialClient(config())
    const first = await a.acquireTokenForClient(['api://moved/.default'])
    const json = await a.serializeCache()
    const b = createConfidentialClient(config())
    await b.deserializeCache(json)
    idp.clearRequests()
    expect(await b.acquireTokenForClient(['api://moved/.default'])).toMatchObject({ access_token: first.access_token, token_source: 'cache' })
    expect(tokenRequests()).toHaveLength(0)
    const broken = await b.te.deserializeCache('{"AccessToken": [1, 2')()
    expect(broken).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', code: 'invalid_json' } })
    expect(await b.serializeCache()).toBe(json)
  })

  it('connection refused is a network error that says what to check', async () => {
    const app = createConfidentialClient(config({ authority: 'https://127.0.0.1:1/tenant/' }))
    const r = await app.te.acquireTokenForClient([SCOPE])()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'network' } })
  })

  it('refuses a key that is not a key, or a certificate as the private key, when the client is created', () => {
    expect(() => createConfidentialClient(config({ credential: certificate({ privateKey: 'nope', thumbprint: '00' }) }))).toThrow(/not a PEM private key/)
    expect(() => createConfidentialClient(config({ credential: certificate({ privateKey: cert.certificatePem, thumbprint: '00' }) }))).toThrow(
      /certificate, not a private key/,
    )
    expect(() => createConfidentialClient(config({ authority: 'http://insecure.example/tenant' }))).toThrow()
    expect(() => createConfidentialClient(config({ azureRegion: 'evil.example/x' }))).toThrow(/azureRegion must be a region name/)
  })

  it('never writes a secret, an assertion or a token into a log line or an error', async () => {
    const app = createConfidentialClient(config())
    const result = await app.acquireTokenForClient(['api://logs/.default'])
    const bad = await createConfidentialClient(config({ credential: clientSecret('wrong-secret-value') }))
      .acquireTokenForClient([SCOPE])
      .catch((e: AuthFailure) => e)
    const everything = [...lines, JSON.stringify(bad), String(bad)].join('\n')
    expect(lines.length).toBeGreaterThan(0)
    expect(everything).not.toContain(SECRET)
    expect(everything).not.toContain('wrong-secret-value')
    expect(everything).not.toContain(result.access_token)
  })
})
