import { randomUUID } from 'node:crypto'
import * as https from 'node:https'
import { formPost, type HttpClient, type HttpResponse } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import * as fc from 'fast-check'
import { SignJWT, createLocalJWKSet, decodeJwt, importPKCS8, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selfSignedCertificate, thumbprintToBase64url, type GeneratedCertificate } from '../x509/selfSigned.js'
import { JWT_BEARER_ASSERTION_TYPE } from './clientAuth.js'
import { DEFAULT_TENANT_ID, startIdentityProvider, type IdentityProvider } from './server.js'

const SECRET = 'a-very-secret-value-123'
const RESOURCE = 'https://graph.authfold.test'
const SCOPE = `${RESOURCE}/.default`

let idp: IdentityProvider
let clock = Date.UTC(2030, 0, 1, 12, 0, 0)
let http: HttpClient
let cert: GeneratedCertificate
let otherCert: GeneratedCertificate

const ok = async (res: ReturnType<ReturnType<HttpClient>>): Promise<HttpResponse> => {
  const r = await res
  if (r._tag === 'Left') throw new Error(`transport failed: ${r.left.message}`)
  return r.right
}
const get = (url: string): Promise<HttpResponse> => ok(http({ method: 'GET', url, headers: {} })())
const token = (fields: Readonly<Record<string, string | undefined>>, headers: Readonly<Record<string, string>> = {}, tenant?: string): Promise<HttpResponse> =>
  ok(http(formPost(idp.tokenEndpoint(tenant), fields, headers))())
const json = (res: HttpResponse): Record<string, unknown> => JSON.parse(res.body) as Record<string, unknown>
const secretRequest = (extra: Readonly<Record<string, string>> = {}): Record<string, string> => ({
  grant_type: 'client_credentials',
  client_id: 'app-secret',
  client_secret: SECRET,
  scope: SCOPE,
  ...extra,
})

const assertion = async (options: {
  readonly cert?: GeneratedCertificate
  readonly signer?: GeneratedCertificate
  readonly alg?: 'RS256' | 'PS256'
  readonly sha256?: boolean
  readonly claims?: Readonly<Record<string, unknown>>
}): Promise<string> => {
  const named = options.cert ?? cert
  const alg = options.alg ?? 'RS256'
  const key = await importPKCS8((options.signer ?? named).privateKeyPem, alg)
  const t = Math.floor(clock / 1000)
  const header = options.sha256 === true ? { alg, 'x5t#S256': thumbprintToBase64url(named.sha256Thumbprint) } : { alg, x5t: thumbprintToBase64url(named.sha1Thumbprint) }
  return new SignJWT({ aud: idp.tokenEndpoint(), iss: 'app-cert', sub: 'app-cert', jti: randomUUID(), nbf: t, iat: t, exp: t + 600, ...options.claims })
    .setProtectedHeader(header)
    .sign(key)
}
const assertionRequest = (clientAssertion: string): Record<string, string> => ({
  grant_type: 'client_credentials',
  client_id: 'app-cert',
  client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
  client_assertion: clientAssertion,
  scope: SCOPE,
})

const expectEntraError = (res: HttpResponse, status: number, error: string, code: number, correlationId?: string): Record<string, unknown> => {
  expect(res.status).toBe(status)
  const body = json(res)
  expect(body['error']).toBe(error)
  expect(body['error_codes']).toEqual([code])
  expect(String(body['error_description'])).toMatch(new RegExp(`^AADSTS${code}: .*Trace ID: [0-9a-f-]{36} Correlation ID: \\S+ Timestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`, 's'))
  expect(body['timestamp']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/)
  expect(body['trace_id']).toMatch(/^[0-9a-f-]{36}$/)
  expect(body['error_uri']).toBe(`${idp.url}/error?code=${code}`)
  if (correlationId !== undefined) expect(body['correlation_id']).toBe(correlationId)
  return body
}

beforeAll(async () => {
  idp = await startIdentityProvider({ now: () => clock })
  http = nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 })
  cert = await selfSignedCertificate({ commonName: 'app-cert' })
  otherCert = await selfSignedCertificate({ commonName: 'someone else' })
  idp.registerClient({ clientId: 'app-secret', secret: SECRET, roles: ['Things.Read.All'] })
  idp.registerClient({ clientId: 'app-cert', certificate: { certificatePem: cert.certificatePem } })
  idp.registerClient({ clientId: 'app-long', secret: SECRET, accessTokenLifetimeSeconds: 86_399 })
})
afterAll(async () => {
  await idp.stop()
})

describe('the server', () => {
  it('listens on https://127.0.0.1 with a random port and builds authorities', () => {
    expect(idp.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(idp.host).toBe(`127.0.0.1:${idp.port}`)
    expect(idp.tenantId).toBe(DEFAULT_TENANT_ID)
    expect(idp.authority()).toBe(`${idp.url}/${DEFAULT_TENANT_ID}/`)
    expect(idp.authority('common')).toBe(`${idp.url}/common/`)
    expect(idp.ca).toMatch(/^-----BEGIN CERTIFICATE-----/)
  })
})

describe('discovery', () => {
  it('answers instance discovery with its own host as the cloud', async () => {
    const res = await get(`${idp.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${idp.url}/${idp.tenantId}/oauth2/v2.0/authorize`)}`)
    expect(res.status).toBe(200)
    expect(json(res)).toEqual({
      tenant_discovery_endpoint: `${idp.url}/${idp.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: idp.host, preferred_cache: idp.host, aliases: [idp.host, `localhost:${idp.port}`] }],
    })
    const unknown = await get(`${idp.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent('https://evil.example/t/oauth2/v2.0/authorize')}`)
    expectEntraError(unknown, 400, 'invalid_instance', 50049)
  })

  it('publishes an OpenID configuration per tenant, like Entra', async () => {
    const tenant = json(await get(`${idp.authority()}v2.0/.well-known/openid-configuration`))
    expect(tenant).toMatchObject({
      issuer: `${idp.url}/${idp.tenantId}/v2.0`,
      token_endpoint: `${idp.url}/${idp.tenantId}/oauth2/v2.0/token`,
      authorization_endpoint: `${idp.url}/${idp.tenantId}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${idp.url}/${idp.tenantId}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${idp.url}/${idp.tenantId}/oauth2/v2.0/logout`,
      jwks_uri: `${idp.url}/${idp.tenantId}/discovery/v2.0/keys`,
    })
    const common = json(await get(`${idp.authority('common')}v2.0/.well-known/openid-configuration`))
    expect(common['issuer']).toBe(`${idp.url}/{tenantid}/v2.0`)
    expect(common['token_endpoint']).toBe(`${idp.url}/common/oauth2/v2.0/token`)
    const byDomain = json(await get(`${idp.authority(idp.tenantDomain)}v2.0/.well-known/openid-configuration`))
    expect(byDomain['token_endpoint']).toBe(`${idp.url}/${idp.tenantId}/oauth2/v2.0/token`)
    const v1Path = await get(`${idp.authority()}.well-known/openid-configuration`)
    expect(json(v1Path)['token_endpoint']).toBe(tenant['token_endpoint'])
  })

  it("answers an unknown tenant with Entra's AADSTS90002, echoing client-request-id", async () => {
    const res = await ok(http({ method: 'GET', url: `${idp.url}/nosuchtenant/v2.0/.well-known/openid-configuration`, headers: { 'client-request-id': 'corr-1' } })())
    const body = expectEntraError(res, 400, 'invalid_tenant', 90002, 'corr-1')
    expect(body['error_description']).toContain("Tenant 'nosuchtenant' not found")
    expect(res.headers['client-request-id']).toBe('corr-1')
  })
})

describe('client credentials with a secret', () => {
  it('issues an RS256 access token that verifies against the published JWKS', async () => {
    const res = await token(secretRequest())
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toContain('no-store')
    const body = json(res)
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 })
    expect(body['refresh_in']).toBeUndefined()
    const jwks = json(await get(`${idp.authority()}discovery/v2.0/keys`))
    expect(jwks).toEqual(idp.signingKeys)
    const { payload, protectedHeader } = await jwtVerify(String(body['access_token']), createLocalJWKSet(idp.signingKeys), {
      issuer: idp.issuer(),
      audience: RESOURCE,
      currentDate: new Date(clock),
    })
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: idp.signingKeys.keys[0]?.kid })
    expect(payload).toMatchObject({ appid: 'app-secret', azp: 'app-secret', appidacr: '1', tid: idp.tenantId, roles: ['Things.Read.All'], idtyp: 'app', ver: '2.0' })
    expect(payload.iat).toBe(Math.floor(clock / 1000))
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3599)
  })

  it('accepts HTTP Basic client authentication', async () => {
    const basic = Buffer.from(`app-secret:${encodeURIComponent(SECRET)}`).toString('base64')
    const res = await token({ grant_type: 'client_credentials', scope: SCOPE }, { authorization: `Basic ${basic}` })
    expect(res.status).toBe(200)
    const logged = idp.requests.at(-1)
    expect(logged?.headers['authorization']).toBe('Basic <redacted>')
  })

  it("rejects a wrong secret with Entra's AADSTS7000215 and never echoes the secret", async () => {
    const res = await token(secretRequest({ client_secret: 'WRONG-SECRET-XYZ' }), { 'client-request-id': 'corr-2' })
    expectEntraError(res, 401, 'invalid_client', 7000215, 'corr-2')
    expect(res.body).not.toContain('WRONG-SECRET-XYZ')
    expect(json(res)['error_description']).toMatch(/^AADSTS7000215: Invalid client secret provided\./)
  })

  it('rejects unknown clients, missing credentials, bad scopes, unknown grants and GETs as Entra does', async () => {
    expectEntraError(await token(secretRequest({ client_id: 'nobody' })), 400, 'unauthorized_client', 700016)
    expectEntraError(await token({ grant_type: 'client_credentials', client_id: 'app-secret', scope: SCOPE }), 401, 'invalid_client', 7000216)
    expectEntraError(await token(secretRequest({ scope: `${RESOURCE}/Things.Read` })), 400, 'invalid_scope', 1002012)
    expectEntraError(await token(secretRequest({ scope: `${SCOPE} https://other/.default` })), 400, 'invalid_scope', 70011)
    expectEntraError(await token({ ...secretRequest(), grant_type: 'urn:nope' }), 400, 'unsupported_grant_type', 70003)
    expectEntraError(await token({ client_id: 'app-secret' }), 400, 'invalid_request', 900144)
    expectEntraError(await get(idp.tokenEndpoint()), 400, 'invalid_request', 900561)
    expectEntraError(await token(secretRequest(), {}, 'nosuchtenant'), 400, 'invalid_tenant', 90002)
  })

  it('adds refresh_in (half the lifetime) to tokens living over two hours, as Entra does', async () => {
    const body = json(await token(secretRequest({ client_id: 'app-long' })))
    expect(body).toMatchObject({ expires_in: 86_399, ext_expires_in: 86_399, refresh_in: 43_199 })
  })

  it('records claims and fmi_path and echoes them into the token', async () => {
    const claims = JSON.stringify({ access_token: { xms_cc: { values: ['cp1'] } } })
    const body = json(await token(secretRequest({ claims, fmi_path: 'SomeFmiPath/agent' })))
    const payload = decodeJwt(String(body['access_token']))
    expect(payload).toMatchObject({ xms_cc: ['cp1'], xms_claims: claims, fmi_path: 'SomeFmiPath/agent' })
    const logged = idp.requests.at(-1)
    expect(logged?.form).toMatchObject({ claims, fmi_path: 'SomeFmiPath/agent', client_secret: '<redacted>' })
  })
})

describe('client credentials with a certificate assertion', () => {
  it('accepts an RS256 assertion named by x5t and a PS256 one named by x5t#S256', async () => {
    const rs = await token(assertionRequest(await assertion({})))
    expect(rs.status).toBe(200)
    expect(decodeJwt(String(json(rs)['access_token']))).toMatchObject({ appid: 'app-cert', appidacr: '2' })
    const ps = await token(assertionRequest(await assertion({ alg: 'PS256', sha256: true })))
    expect(ps.status).toBe(200)
    expect(idp.requests.at(-1)?.form['client_assertion']).toBe('<redacted>')
  })

  it("accepts MSAL Python's padded base64url x5t, and a client registered by bare public key", async () => {
    const key = await importPKCS8(cert.privateKeyPem, 'RS256')
    const t = Math.floor(clock / 1000)
    const padded = Buffer.from(cert.sha1Thumbprint, 'hex').toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
    expect(padded.endsWith('=')).toBe(true)
    const jwt = await new SignJWT({ aud: idp.tokenEndpoint(), iss: 'app-cert', sub: 'app-cert', jti: randomUUID(), exp: t + 600 })
      .setProtectedHeader({ alg: 'RS256', x5t: padded })
      .sign(key)
    expect((await token(assertionRequest(jwt))).status).toBe(200)
    idp.registerClient({ clientId: 'app-key', publicKeyPem: otherCert.publicKeyPem })
    const byKey = await assertion({ signer: otherCert, claims: { iss: 'app-key', sub: 'app-key' } })
    expect((await token({ ...assertionRequest(byKey), client_id: 'app-key' })).status).toBe(200)
  })

  it('rejects a wrong signature and an unknown thumbprint with AADSTS700027', async () => {
    const forged = await token(assertionRequest(await assertion({ signer: otherCert })))
    expect(expectEntraError(forged, 401, 'invalid_client', 700027)['error_description']).toContain('invalid signature')
    const unknown = await token(assertionRequest(await assertion({ cert: otherCert })))
    expect(expectEntraError(unknown, 401, 'invalid_client', 700027)['error_description']).toContain(
      `Thumbprint of key used by client: '${otherCert.sha1Thumbprint}'`,
    )
  })

  it('rejects a wrong audience, a wrong issuer, an expired or not-yet-valid assertion', async () => {
    expectEntraError(await token(assertionRequest(await assertion({ claims: { aud: `${idp.url}/other/oauth2/v2.0/token` } }))), 401, 'invalid_client', 50027)
    expectEntraError(await token(assertionRequest(await assertion({ claims: { iss: 'someone', sub: 'someone' } }))), 401, 'invalid_client', 700021)
    const t = Math.floor(clock / 1000)
    const expired = await token(assertionRequest(await assertion({ claims: { exp: t - 301, nbf: t - 900 } })))
    expect(expectEntraError(expired, 401, 'invalid_client', 700024)['error_description']).toContain('Client assertion is not within its valid time range')
    expectEntraError(await token(assertionRequest(await assertion({ claims: { nbf: t + 301, exp: t + 900 } }))), 401, 'invalid_client', 700024)
    // inside the five-minute skew is fine
    expect((await token(assertionRequest(await assertion({ claims: { exp: t - 200 } })))).status).toBe(200)
  })

  it('rejects a replayed jti, and accepts it again once the server clock moves past its expiry', async () => {
    const once = await assertion({})
    expect((await token(assertionRequest(once))).status).toBe(200)
    expectEntraError(await token(assertionRequest(once)), 401, 'invalid_client', 50013)
    const saved = clock
    try {
      clock += 2 * 3_600_000
      // expired now: the time check answers before the replay check
      expectEntraError(await token(assertionRequest(once)), 401, 'invalid_client', 700024)
    } finally {
      clock = saved
    }
  })

  it('rejects garbage assertions and a missing thumbprint as malformed (AADSTS50027)', async () => {
    expectEntraError(await token(assertionRequest('not.a.jwt')), 401, 'invalid_client', 50027)
    const key = await importPKCS8(cert.privateKeyPem, 'RS256')
    const t = Math.floor(clock / 1000)
    const noX5t = await new SignJWT({ aud: idp.tokenEndpoint(), iss: 'app-cert', sub: 'app-cert', jti: randomUUID(), exp: t + 600 }).setProtectedHeader({ alg: 'RS256' }).sign(key)
    const body = expectEntraError(await token(assertionRequest(noX5t)), 401, 'invalid_client', 50027)
    expect(body['error_description']).toContain('No certificate thumbprint specified in token header')
  })
})

describe('faults', () => {
  it('plays html, invalid_json, missing_access_token, 500 and 429 for the next token requests only', async () => {
    idp.inject('html')
    idp.inject('invalid_json')
    idp.inject('missing_access_token')
    idp.inject({ status: 500 })
    idp.inject({ status: 429, retryAfter: 7 })
    // discovery is not affected
    expect((await get(`${idp.authority()}v2.0/.well-known/openid-configuration`)).status).toBe(200)
    const html = await token(secretRequest())
    expect(html.status).toBe(200)
    expect(html.headers['content-type']).toContain('text/html')
    const invalid = await token(secretRequest())
    expect(() => JSON.parse(invalid.body)).toThrow()
    const missing = await token(secretRequest())
    expect(json(missing)['access_token']).toBeUndefined()
    expectEntraError(await token(secretRequest()), 500, 'server_error', 90033)
    const throttled = await token(secretRequest())
    expect(throttled.status).toBe(429)
    expect(throttled.headers['retry-after']).toBe('7')
    expect((await token(secretRequest())).status).toBe(200)
  })

  it('repeats a fault `times` times', async () => {
    idp.inject({ status: 503 }, 2)
    expect((await token(secretRequest())).status).toBe(503)
    expect((await token(secretRequest())).status).toBe(503)
    expect((await token(secretRequest())).status).toBe(200)
  })

  it('delays an answer past a client timeout, and resets a connection', async () => {
    idp.inject({ delayMs: 400 })
    const impatient = nodeHttpClient({ ca: idp.ca, timeoutMs: 100 })
    const late = await impatient(formPost(idp.tokenEndpoint(), secretRequest()))()
    expect(late).toMatchObject({ _tag: 'Left', left: { code: 'timeout' } })
    idp.inject('reset')
    const reset = await http(formPost(idp.tokenEndpoint(), secretRequest()))()
    expect(reset).toMatchObject({ _tag: 'Left', left: { code: 'network' } })
    expect((await token(secretRequest())).status).toBe(200)
  })
})

describe('the request log', () => {
  it('lets a test assert that no request was made, and redacts secrets', async () => {
    idp.clearRequests()
    expect(idp.requests).toHaveLength(0)
    await token(secretRequest())
    expect(idp.requests).toHaveLength(1)
    const [entry] = idp.requests
    expect(entry).toMatchObject({ method: 'POST', path: `/${idp.tenantId}/oauth2/v2.0/token`, status: 200 })
    expect(JSON.stringify(idp.requests)).not.toContain(SECRET)
  })
})

describe('extension points', () => {
  it('routes a grant registered on this instance only', async () => {
    const other = await startIdentityProvider({ certificateAuthority: idp.certificateAuthority })
    try {
      other.registerClient({ clientId: 'pub' })
      other.registerGrant('urn:test:echo', {
        clientAuthentication: 'optional',
        handle: async (grant) => ({ status: 200, json: { echoed: grant.form['value'], credential: grant.client?.credential } }),
      })
      const otherHttp = nodeHttpClient({ ca: other.ca })
      const res = await otherHttp(formPost(other.tokenEndpoint(), { grant_type: 'urn:test:echo', client_id: 'pub', value: 'hi' }))()
      expect(res).toMatchObject({ _tag: 'Right', right: { status: 200 } })
      if (res._tag === 'Right') expect(json(res.right)).toEqual({ echoed: 'hi', credential: 'none' })
      // the first server knows nothing of it
      expectEntraError(await token({ grant_type: 'urn:test:echo', client_id: 'app-secret' }), 400, 'unsupported_grant_type', 70003)
    } finally {
      await other.stop()
    }
  })
})

describe('robustness', () => {
  const FIELDS = ['grant_type', 'client_id', 'client_secret', 'client_assertion', 'client_assertion_type', 'scope', 'claims', 'fmi_path']
  const VALUES = fc.oneof(
    fc.string(),
    fc.constantFrom('client_credentials', 'app-secret', 'app-cert', SCOPE, JWT_BEARER_ASSERTION_TYPE, 'a.b.c', 'eyJhbGciOiJub25lIn0.e30.', '%', '%zz'),
  )

  it('answers any body sent to the token endpoint with JSON: an Entra error, or a token', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 })
    const client = nodeHttpClient({ ca: idp.ca, agent })
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 200 }),
            fc.dictionary(fc.constantFrom(...FIELDS), VALUES).map((d) => new URLSearchParams(d).toString()),
          ),
          async (body) => {
            const r = await client({ method: 'POST', url: idp.tokenEndpoint(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })()
            expect(r._tag).toBe('Right')
            if (r._tag !== 'Right') return
            const parsed = JSON.parse(r.right.body) as Record<string, unknown>
            if (r.right.status === 200) expect(typeof parsed['access_token']).toBe('string')
            else {
              expect([400, 401]).toContain(r.right.status)
              expect(typeof parsed['error']).toBe('string')
              expect(parsed['error_codes']).toEqual([expect.any(Number)])
            }
          },
        ),
        { numRuns: 60 },
      )
    } finally {
      agent.destroy()
    }
    expect((await token(secretRequest())).status).toBe(200)
  })
})

describe('stop()', () => {
  it('closes the server and every open socket, idempotently', async () => {
    const local = await startIdentityProvider({ certificateAuthority: idp.certificateAuthority })
    const agent = new https.Agent({ keepAlive: true })
    const client = nodeHttpClient({ ca: local.ca, agent })
    expect((await client({ method: 'GET', url: `${local.authority()}v2.0/.well-known/openid-configuration`, headers: {} })())._tag).toBe('Right')
    local.inject({ delayMs: 10_000 })
    local.registerClient({ clientId: 'c', secret: 's' })
    const pending = client(formPost(local.tokenEndpoint(), { grant_type: 'client_credentials', client_id: 'c', client_secret: 's', scope: SCOPE }))()
    await new Promise((r) => setTimeout(r, 100))
    const started = Date.now()
    await Promise.all([local.stop(), local.stop()])
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(await pending).toMatchObject({ _tag: 'Left', left: { code: 'network' } })
    const after = await nodeHttpClient({ ca: local.ca })({ method: 'GET', url: `${local.authority()}v2.0/.well-known/openid-configuration`, headers: {} })()
    expect(after).toMatchObject({ _tag: 'Left', left: { code: 'network' } })
    agent.destroy()
  })
})
