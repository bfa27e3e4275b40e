/**
 * createManagedIdentityClient against the simulator of every source, over real HTTP on
 * 127.0.0.1. The sources' fixed addresses (IMDS's 169.254.169.254, Arc's localhost:40342)
 * are routed to the simulator by a routing HttpClient wrapper.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManagedIdentityClient, type ManagedIdentityClientConfig } from '@authfold/client'
import { fetchHttpClient, timerSleep, type HttpClient, type HttpRequest } from '@authfold/core'
import { serialize } from '@authfold/cache'
import { systemAssignedManagedIdentity, userAssignedManagedIdentity, type ArcKeyFiles } from '@authfold/grants'
import { routeToSimulator, startManagedIdentitySimulator, type ManagedIdentitySimulator } from '@authfold/testing'
import { arcKeyFiles, managedIdentityEnvironment } from './environment.js'

const RESOURCE = 'https://management.azure.com'

describe('createManagedIdentityClient against the source simulators', () => {
  let sim: ManagedIdentitySimulator
  let arcFolder: string
  const sent: HttpRequest[] = []
  const sleeps: number[] = []
  let http: HttpClient
  const base = (extra: Partial<ManagedIdentityClientConfig> = {}): ManagedIdentityClientConfig => ({
    managedIdentity: systemAssignedManagedIdentity(),
    http,
    // Backoffs are recorded and skipped; the call deadline (60 s) sleeps for real.
    sleep: (ms, signal) =>
      ms >= 10_000
        ? timerSleep(ms, signal)
        : async () => {
            sleeps.push(ms)
          },
    ...extra,
  })

  beforeAll(async () => {
    arcFolder = mkdtempSync(join(tmpdir(), 'authfold-arc-'))
    sim = await startManagedIdentitySimulator({ arcKeyFolder: arcFolder })
    const transport = fetchHttpClient({ timeoutMs: 5_000 })
    http = (request) => {
      sent.push(request)
      return transport({ ...request, url: routeToSimulator(sim)(request.url) })
    }
  })
  afterAll(async () => {
    await sim.close()
    rmSync(arcFolder, { recursive: true, force: true })
  })

  it('IMDS (no variables): the request MSAL Python sends, the token, then a cache hit with no request', async () => {
    const client = createManagedIdentityClient(base())
    const before = sim.requests.length
    const first = await client.acquireTokenForClient(RESOURCE)
    expect(first).toMatchObject({ token_type: 'Bearer', expires_in: 3600, token_source: 'identity_provider', resource: RESOURCE })
    expect(first.access_token).toBe(sim.issued.at(-1)?.token)
    const [req] = sim.requests.slice(before)
    expect(req?.method).toBe('GET')
    expect(req?.query).toEqual({ 'api-version': '2018-02-01', resource: RESOURCE })
    expect(req?.headers['metadata']).toBe('true')
    expect(req?.headers['x-ms-client-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(sent.at(-1)?.url).toBe('http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com')
    const second = await client.acquireTokenForClient(RESOURCE)
    expect(second).toMatchObject({ access_token: first.access_token, token_source: 'cache' })
    expect(sim.requests.length).toBe(before + 1)
    // Filed as MSAL Python files it.
    const cache = JSON.parse(await client.cacheStore.load()().then((s) => (s._tag === 'Right' ? serialize(s.right) : '{}'))) as Record<string, Record<string, Record<string, unknown>>>
    const entries = Object.entries(cache['AccessToken'] ?? {})
    expect(entries).toHaveLength(1)
    const [key, at] = entries[0] ?? ['', {}]
    expect(key).toBe('-localhost-accesstoken-system_assigned_managed_identity-managed_identity-https://management.azure.com')
    expect(at).toMatchObject({ client_id: 'SYSTEM_ASSIGNED_MANAGED_IDENTITY', environment: 'localhost', realm: 'managed_identity', target: RESOURCE, home_account_id: null, token_type: 'Bearer' }) // as MSAL Python's SerializableTokenCache writes it
  })

  it('IMDS user-assigned by client id, resource id and object id: client_id / msi_res_id / object_id', async () => {
    for (const [ids, param] of [
      [{ clientId: 'c-1' }, 'client_id'],
      [{ resourceId: '/subscriptions/s/rg/r' }, 'msi_res_id'],
      [{ objectId: 'o-1' }, 'object_id'],
    ] as const) {
      const client = createManagedIdentityClient(base({ managedIdentity: userAssignedManagedIdentity(ids) }))
      const r = await client.acquireTokenForClient(RESOURCE)
      expect(r.token_source).toBe('identity_provider')
      expect(sim.requests.at(-1)?.query).toEqual({ 'api-version': '2018-02-01', resource: RESOURCE, [param]: Object.values(ids)[0] })
    }
  })

  it('IMDS retries 500 / 429 / 410 / 404 with doubling backoff through the sleep effect, and not 400', async () => {
    const client = createManagedIdentityClient(base())
    sleeps.length = 0
    sim.script('imds', { status: 500, body: '{}' }, { status: 429, body: '{}' }, { status: 410, body: '' })
    const r = await client.acquireTokenForClient('https://vault.azure.net')
    expect(r.token_source).toBe('identity_provider')
    expect(sleeps).toEqual([1000, 2000, 4000])
    sleeps.length = 0
    sim.script('imds', { status: 404, body: '' }, { status: 404, body: '' }, { status: 404, body: '' }, { status: 404, body: '' })
    const gaveUp = await client.te.acquireTokenForClient('https://storage.azure.com')()
    expect(sleeps).toEqual([1000, 2000, 4000])
    expect(gaveUp).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', status: 404 } })
    sleeps.length = 0
    const n = sim.requests.length
    sim.script('imds', { status: 400, body: JSON.stringify({ error: 'invalid_resource', error_description: 'AADSTS500011: not found' }) })
    const refused = await client.te.acquireTokenForClient('https://unknown.example')()
    expect(refused).toMatchObject({ _tag: 'Left', left: { _tag: 'ProtocolError', error: 'invalid_resource' } })
    expect(sleeps).toEqual([])
    expect(sim.requests.length).toBe(n + 1)
  })

  it('IMDS not there (connection refused): an error saying the code is not on Azure', async () => {
    const client = createManagedIdentityClient(base({ environment: { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:1' } }))
    const r = await client.te.acquireTokenForClient(RESOURCE)()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'network' } })
    if (r._tag === 'Left') expect(r.left.message).toMatch(/not running on Azure/)
  })

  it('App Service: X-IDENTITY-HEADER, api-version 2019-08-01, mi_res_id; expires_on as a string', async () => {
    const environment = managedIdentityEnvironment({ IDENTITY_ENDPOINT: sim.endpoints.appService, IDENTITY_HEADER: sim.identityHeader }, { platform: 'linux', exists: () => false })
    const client = createManagedIdentityClient(base({ environment, managedIdentity: userAssignedManagedIdentity({ resourceId: '/sub/x' }) }))
    const r = await client.acquireTokenForClient(RESOURCE)
    expect(r).toMatchObject({ token_source: 'identity_provider', token_type: 'Bearer' })
    expect(r.expires_in).toBeGreaterThanOrEqual(3599)
    expect(sim.requests.at(-1)?.query).toEqual({ 'api-version': '2019-08-01', resource: RESOURCE, mi_res_id: '/sub/x' })
    expect(sim.requests.at(-1)?.headers['x-identity-header']).toBe(sim.identityHeader)
    expect((await client.acquireTokenForClient(RESOURCE)).token_source).toBe('cache')
    const wrong = createManagedIdentityClient(base({ environment: { IDENTITY_ENDPOINT: sim.endpoints.appService, IDENTITY_HEADER: 'wrong' } }))
    expect(await wrong.te.acquireTokenForClient(RESOURCE)()).toMatchObject({ _tag: 'Left', left: { _tag: 'ProtocolError', error: 'invalid_scope', status: 401 } })
  })

  it('Service Fabric: Secret header, claims challenge with token_sha256_to_refresh and xms_cc', async () => {
    const environment = { IDENTITY_ENDPOINT: sim.endpoints.serviceFabric, IDENTITY_HEADER: sim.identityHeader, IDENTITY_SERVER_THUMBPRINT: 'AB12' }
    const client = createManagedIdentityClient(base({ environment, clientCapabilities: ['cp1'] }))
    const first = await client.acquireTokenForClient(RESOURCE)
    expect(sim.requests.at(-1)?.query).toEqual({ 'api-version': '2019-07-01-preview', resource: RESOURCE, xms_cc: 'cp1' })
    expect(sim.requests.at(-1)?.headers['secret']).toBe(sim.identityHeader)
    const { createHash } = await import('node:crypto')
    const again = await client.acquireTokenForClient(RESOURCE, { claimsChallenge: '{"access_token":{"nbf":{"essential":true}}}' })
    expect(again.token_source).toBe('identity_provider')
    expect(again.access_token).not.toBe(first.access_token)
    expect(sim.requests.at(-1)?.query['token_sha256_to_refresh']).toBe(createHash('sha256').update(first.access_token).digest('hex'))
    const user = createManagedIdentityClient(base({ environment, managedIdentity: userAssignedManagedIdentity({ clientId: 'c' }) }))
    expect(await user.te.acquireTokenForClient(RESOURCE)()).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'unsupported' } })
  })

  it('Azure ML: secret header, clientid (not client_id), expires_on as a date', async () => {
    const environment = { MSI_ENDPOINT: sim.endpoints.machineLearning, MSI_SECRET: sim.msiSecret }
    const client = createManagedIdentityClient(base({ environment, managedIdentity: userAssignedManagedIdentity({ clientId: 'ml-1' }) }))
    const r = await client.acquireTokenForClient(RESOURCE)
    expect(r.token_source).toBe('identity_provider')
    expect(r.expires_in).toBeGreaterThanOrEqual(3598)
    expect(r.expires_in).toBeLessThanOrEqual(3600)
    expect(sim.requests.at(-1)?.query).toEqual({ 'api-version': '2017-09-01', resource: RESOURCE, clientid: 'ml-1' })
  })

  it('Cloud Shell: a form POST with Metadata: true; user-assigned refused before any request', async () => {
    const environment = { MSI_ENDPOINT: sim.endpoints.cloudShell }
    const client = createManagedIdentityClient(base({ environment }))
    const r = await client.acquireTokenForClient(RESOURCE)
    expect(r.token_source).toBe('identity_provider')
    expect(sim.requests.at(-1)).toMatchObject({ method: 'POST', body: 'resource=https%3A%2F%2Fmanagement.azure.com' })
    const n = sim.requests.length
    const user = createManagedIdentityClient(base({ environment, managedIdentity: userAssignedManagedIdentity({ objectId: 'o' }) }))
    expect(await user.te.acquireTokenForClient(RESOURCE)()).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError' } })
    expect(sim.requests.length).toBe(n)
  })

  it('Azure Arc (agent installed, fixed address): challenge, key file from the allowed folder, second request', async () => {
    const environment = managedIdentityEnvironment({}, { platform: 'linux', exists: (p) => p === '/opt/azcmagent/bin/himds' })
    expect(environment.arcAgentInstalled).toBe(true)
    const client = createManagedIdentityClient(base({ environment: { ...environment, arcKeyFolder: arcFolder }, arcFiles: arcKeyFiles() }))
    const n = sim.requests.length
    const r = await client.acquireTokenForClient(RESOURCE)
    expect(r.token_source).toBe('identity_provider')
    const [challenge, withKey] = sim.requests.slice(n)
    expect(challenge?.headers['authorization']).toBeUndefined()
    expect(withKey?.headers['authorization']).toMatch(/^Basic [0-9a-f]{48}$/)
    expect(withKey?.query).toEqual({ 'api-version': '2020-06-01', resource: RESOURCE })
    expect(sent.at(-1)?.url.startsWith('http://localhost:40342/metadata/identity/oauth2/token?')).toBe(true)
  })

  it('Azure Arc: a challenge outside the folder or a file over 4 KB is refused, nothing read, cache as it was', async () => {
    const reads: string[] = []
    const files = arcKeyFiles()
    const spy: ArcKeyFiles = { size: files.size, read: (p) => (reads.push(p), files.read(p)) }
    const client = createManagedIdentityClient(base({ environment: { arcAgentInstalled: true, arcKeyFolder: arcFolder }, arcFiles: spy }))
    sim.script('arc', { status: 401, body: '', headers: { 'www-authenticate': 'Basic realm=/etc/shadow.key' } })
    expect(await client.te.acquireTokenForClient(RESOURCE)()).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError' } })
    const big = join(arcFolder, 'big.key')
    writeFileSync(big, 'x'.repeat(4097))
    sim.script('arc', { status: 401, body: '', headers: { 'www-authenticate': `Basic realm=${big}` } })
    const tooLarge = await client.te.acquireTokenForClient(RESOURCE)()
    expect(tooLarge).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError' } })
    if (tooLarge._tag === 'Left') expect(tooLarge.left.message).toMatch(/4097 bytes/)
    expect(reads).toEqual([])
    const state = await client.cacheStore.load()()
    expect(state._tag === 'Right' ? serialize(state.right) : '').not.toContain('AccessToken":{"')
  })

  it('bad answers: HTML, no access_token, expires_on neither number nor date — typed errors and no cache entry', async () => {
    const environment = { IDENTITY_ENDPOINT: sim.endpoints.appService, IDENTITY_HEADER: sim.identityHeader }
    const client = createManagedIdentityClient(base({ environment }))
    sim.script(
      'appService',
      { status: 200, body: '<html>proxy login</html>', headers: { 'content-type': 'text/html' } },
      { status: 200, body: JSON.stringify({ expires_on: '1999999999', token_type: 'Bearer' }) },
      { status: 200, body: JSON.stringify({ access_token: 'SECRET-TOKEN-VALUE', expires_on: 'soon' }) },
    )
    const html = await client.te.acquireTokenForClient(RESOURCE)()
    const missing = await client.te.acquireTokenForClient(RESOURCE)()
    const badDate = await client.te.acquireTokenForClient(RESOURCE)()
    expect(html).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', code: 'not_json' } })
    expect(missing).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', path: 'access_token' } })
    expect(badDate).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', path: 'expires_on' } })
    expect(JSON.stringify(badDate)).not.toContain('SECRET-TOKEN-VALUE')
    const state = await client.cacheStore.load()()
    expect(state._tag === 'Right' ? serialize(state.right) : 'x').not.toContain('SECRET-TOKEN-VALUE')
    const notUrl = createManagedIdentityClient(base({ environment: { IDENTITY_ENDPOINT: 'not a url', IDENTITY_HEADER: 'h' } }))
    const n = sent.length
    expect(await notUrl.te.acquireTokenForClient(RESOURCE)()).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', field: 'IDENTITY_ENDPOINT' } })
    expect(sent.length).toBe(n)
  })

  it('long-lived tokens: refresh_on at half life when expires_in >= 2 h (MSAL rule)', async () => {
    sim.setLifetime(86400)
    const client = createManagedIdentityClient(base())
    const before = Math.floor(Date.now() / 1000)
    const r = await client.acquireTokenForClient('https://long.example')
    sim.setLifetime(3600)
    expect(r.expires_in).toBe(86400)
    expect(r.refresh_on).toBeGreaterThanOrEqual(before + 43200)
    expect(r.refresh_on).toBeLessThanOrEqual(before + 43202)
  })
})
