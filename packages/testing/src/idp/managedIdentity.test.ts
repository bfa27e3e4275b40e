import { formPost, type HttpClient, type HttpRequest } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { decodeJwt } from 'jose'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MANAGED_IDENTITY_PATHS, managedIdentityRoute } from './managedIdentity.js'
import { startIdentityProvider, type IdentityProvider } from './server.js'

const SECRET = 'route-test-identity-header'
const RESOURCE = 'https://management.azure.com'
const START = Date.UTC(2030, 0, 1, 12, 0, 0)

let idp: IdentityProvider
let http: HttpClient
let arcFolder: string

const send = async (request: HttpRequest) => {
  const r = await http(request)()
  if (r._tag === 'Left') throw new Error(`transport failed: ${r.left.message}`)
  return { status: r.right.status, body: JSON.parse(r.right.body) as Record<string, unknown> }
}
const get = (path: string, query: Readonly<Record<string, string>>, headers: Readonly<Record<string, string>>) =>
  send({ method: 'GET', url: `${idp.url}${path}?${new URLSearchParams(query).toString()}`, headers })

beforeAll(async () => {
  idp = await startIdentityProvider({ now: () => START })
  arcFolder = mkdtempSync(join(tmpdir(), 'authfold-idp-arc-'))
  idp.addRoute(managedIdentityRoute(SECRET, { arcKeyFolder: arcFolder }))
  http = nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 })
})
afterAll(async () => {
  await idp.stop()
  rmSync(arcFolder, { recursive: true, force: true })
})

const arcQuery = new URLSearchParams({ 'api-version': '2020-06-01', resource: RESOURCE }).toString()
const arcGet = async (headers: Readonly<Record<string, string>>, on: IdentityProvider = idp) => {
  const client = on === idp ? http : nodeHttpClient({ ca: on.ca, timeoutMs: 5_000 })
  const r = await client({ method: 'GET', url: `${on.url}${MANAGED_IDENTITY_PATHS.arc}?${arcQuery}`, headers })()
  if (r._tag === 'Left') throw new Error(`transport failed: ${r.left.message}`)
  return r.right
}

describe('the IdP managed identity route', () => {
  it('IMDS: a signed token for the resource with expires_in as a string; without Metadata: true a 400', async () => {
    const ok = await get(MANAGED_IDENTITY_PATHS.imds, { 'api-version': '2018-02-01', resource: RESOURCE }, { Metadata: 'true' })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: '3600', expires_on: String(START / 1000 + 3600), resource: RESOURCE, client_id: 'system' })
    expect(decodeJwt(String(ok.body['access_token']))).toMatchObject({ aud: RESOURCE, exp: START / 1000 + 3600 })
    const bad = await get(MANAGED_IDENTITY_PATHS.imds, { 'api-version': '2018-02-01', resource: RESOURCE }, {})
    expect(bad).toEqual({ status: 400, body: { error: 'invalid_request', error_description: 'Required metadata header not specified' } })
  })

  it('App Service: X-IDENTITY-HEADER checked (401 in its own error shape), expires_on as a string', async () => {
    const ok = await get(MANAGED_IDENTITY_PATHS.appService, { 'api-version': '2019-08-01', resource: RESOURCE }, { 'X-IDENTITY-HEADER': SECRET })
    expect(ok.body).toMatchObject({ expires_on: String(START / 1000 + 3600), resource: RESOURCE, token_type: 'Bearer' })
    const bad = await get(MANAGED_IDENTITY_PATHS.appService, { 'api-version': '2019-08-01', resource: RESOURCE }, { 'X-IDENTITY-HEADER': 'wrong' })
    expect(bad.status).toBe(401)
    expect(bad.body).toMatchObject({ statusCode: 401 })
  })

  it('Service Fabric: the secret header checked, expires_on as a number; Azure ML: expires_on as a date', async () => {
    const sf = await get(MANAGED_IDENTITY_PATHS.serviceFabric, { 'api-version': '2019-07-01-preview', resource: RESOURCE }, { secret: SECRET })
    expect(sf.body).toMatchObject({ expires_on: START / 1000 + 3600, token_type: 'Bearer' })
    expect((await get(MANAGED_IDENTITY_PATHS.serviceFabric, { 'api-version': '2019-07-01-preview', resource: RESOURCE }, {})).body).toEqual({
      error: { code: 'SecretHeaderNotFound', message: 'Secret is not found in the request headers.' },
    })
    const ml = await get(MANAGED_IDENTITY_PATHS.machineLearning, { 'api-version': '2017-09-01', resource: RESOURCE }, { secret: SECRET })
    expect(ml.body).toMatchObject({ expires_on: '01/01/2030 01:00:00 PM +00:00', resource: RESOURCE })
  })

  it('Cloud Shell: a form POST with Metadata: true; a GET is refused', async () => {
    const ok = await send(formPost(`${idp.url}${MANAGED_IDENTITY_PATHS.cloudShell}`, { resource: RESOURCE }, { Metadata: 'true' }))
    expect(ok.body).toMatchObject({ expires_in: '3600', resource: RESOURCE, token_type: 'Bearer' })
    expect((await get(MANAGED_IDENTITY_PATHS.cloudShell, { resource: RESOURCE }, { Metadata: 'true' })).status).toBe(405)
  })

  it('Azure Arc: a 401 challenge naming a fresh key file in the folder, then the token for that key (once), expires_in as a string', async () => {
    const challenge = await arcGet({ Metadata: 'true' })
    expect(challenge.status).toBe(401)
    const realm = /^Basic realm=(.+)$/.exec(challenge.headers['www-authenticate'] ?? '')?.[1] ?? ''
    expect(realm.startsWith(`${arcFolder}/`) && realm.endsWith('.key')).toBe(true)
    expect(readdirSync(arcFolder)).toContain(realm.slice(arcFolder.length + 1))
    expect(statSync(realm).mode & 0o777).toBe(0o600)
    const key = readFileSync(realm, 'utf8')
    const ok = await arcGet({ Metadata: 'true', Authorization: `Basic ${key}` })
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body)).toMatchObject({ expires_in: '3600', expires_on: String(START / 1000 + 3600), resource: RESOURCE, token_type: 'Bearer' })
    const again = await arcGet({ Metadata: 'true', Authorization: `Basic ${key}` })
    expect(again.status).toBe(401)
    expect(JSON.parse(again.body)).toEqual({ error: 'invalid_request', error_description: 'The key is not valid' })
    expect((await arcGet({})).status).toBe(400) // no Metadata: true
  })

  it('Azure Arc without a key folder: its challenge round answers 500', async () => {
    const bare = await startIdentityProvider({ now: () => START })
    try {
      bare.addRoute(managedIdentityRoute(SECRET))
      const r = await arcGet({ Metadata: 'true' }, bare)
      expect(r.status).toBe(500)
      expect(JSON.parse(r.body)).toMatchObject({ error: 'server_error' })
    } finally {
      await bare.stop()
    }
  })

  it('other paths are left to the other routes (a 404 here)', async () => {
    expect((await get('/managedidentity/unknown', {}, {})).status).toBe(404)
  })
})
