import { formPost, type HttpClient, type HttpResponse } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIdentityProvider, type IdentityProvider } from '../server.js'
import { grantScopes } from './userTokens.js'

const PASSWORD = 'correct horse battery staple'
const START = Date.UTC(2030, 0, 1, 12, 0, 0)

let idp: IdentityProvider
let clock = START
let http: HttpClient

const send = async (fields: Readonly<Record<string, string | undefined>>, tenant?: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const r = await http(formPost(idp.tokenEndpoint(tenant), fields, {}))()
  if (r._tag === 'Left') throw new Error(`transport failed: ${r.left.message}`)
  return { status: r.right.status, body: JSON.parse(r.right.body) as Record<string, unknown> }
}
const get = async (url: string): Promise<HttpResponse> => {
  const r = await http({ method: 'GET', url, headers: {} })()
  if (r._tag === 'Left') throw new Error(`transport failed: ${r.left.message}`)
  return r.right
}
const ropc = (extra: Readonly<Record<string, string>> = {}): Record<string, string> => ({
  grant_type: 'password',
  client_id: 'public-app',
  username: 'Alice@authfold.test',
  password: PASSWORD,
  scope: 'User.Read openid profile offline_access',
  client_info: '1',
  ...extra,
})
const codes = (body: Record<string, unknown>): unknown => body['error_codes']

beforeAll(async () => {
  idp = await startIdentityProvider({ now: () => clock })
  http = nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 })
  idp.registerClient({ clientId: 'public-app' })
  idp.registerClient({ clientId: 'other-app' })
  idp.registerClient({ clientId: 'family-a', foci: true })
  idp.registerClient({ clientId: 'family-b', foci: true })
  idp.registerClient({ clientId: 'confidential-app', secret: 'app-secret-value' })
  idp.registerClient({ clientId: 'short-rt', refreshTokenLifetimeSeconds: 60 })
  idp.registerUser({ username: 'alice@authfold.test', password: PASSWORD, name: 'Alice Liddell' })
})
afterAll(async () => {
  await idp.stop()
})

describe('scopes, as Entra grants them', () => {
  it('splits OIDC scopes from one resource and answers Graph with short names', () => {
    expect(grantScopes('User.Read openid profile offline_access', 'authfold.test')).toEqual({
      resource: 'https://graph.authfold.test',
      answer: ['User.Read', 'openid', 'profile'],
      scp: ['User.Read', 'openid', 'profile'],
      openid: true,
      offlineAccess: true,
      requested: ['User.Read', 'openid', 'profile', 'offline_access'],
    })
    expect(grantScopes('api://app/Things.Read openid', 'authfold.test')).toMatchObject({
      resource: 'api://app',
      answer: ['api://app/Things.Read'],
      scp: ['Things.Read'],
      offlineAccess: false,
    })
    expect(grantScopes('api://app/Things.Read User.Read', 'authfold.test')).toBe('multiple_resources')
  })
})

describe('the password grant (ROPC)', () => {
  it('signs a registered user in from a public client with Entra-shaped tokens', async () => {
    const { status, body } = await send(ropc({ nonce: 'n-0S6_WzA2Mj' }))
    expect(status).toBe(200)
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'User.Read openid profile', expires_in: 3599, ext_expires_in: 3599 })
    expect(body['foci']).toBeUndefined()
    const jwks = createLocalJWKSet(idp.signingKeys)
    const at = await jwtVerify(String(body['access_token']), jwks, { currentDate: new Date(clock) })
    const user = idp.registerUser({ username: 'alice@authfold.test', password: PASSWORD, name: 'Alice Liddell' })
    expect(at.payload).toMatchObject({ aud: 'https://graph.authfold.test', scp: 'User.Read openid profile', oid: user.objectId, tid: idp.tenantId, azp: 'public-app', azpacr: '0', ver: '2.0' })
    const idt = await jwtVerify(String(body['id_token']), jwks, { currentDate: new Date(clock), issuer: idp.issuer(), audience: 'public-app' })
    expect(idt.payload).toMatchObject({
      tid: idp.tenantId,
      oid: user.objectId,
      preferred_username: 'alice@authfold.test',
      name: 'Alice Liddell',
      ver: '2.0',
      nonce: 'n-0S6_WzA2Mj',
      iat: clock / 1000,
      nbf: clock / 1000,
      exp: clock / 1000 + 3600,
    })
    expect(idt.payload.sub).not.toBe(user.objectId)
    expect(JSON.parse(Buffer.from(String(body['client_info']), 'base64url').toString())).toEqual({ uid: user.objectId, utid: idp.tenantId })
    expect(String(body['refresh_token'])).toMatch(/^1\.A[\w-]+$/)
  })

  it('leaves out id_token, refresh_token and client_info when not asked for', async () => {
    const { body } = await send(ropc({ scope: 'api://things/Things.Read', client_info: '0' }))
    expect(body['scope']).toBe('api://things/Things.Read')
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'ext_expires_in', 'scope', 'token_type'])
    expect(decodeJwt(String(body['access_token']))).toMatchObject({ aud: 'api://things', scp: 'Things.Read' })
  })

  it('refuses a wrong password (AADSTS50126), an unknown user (AADSTS50034), missing fields and mixed resources', async () => {
    const wrong = await send(ropc({ password: 'not it' }))
    expect(wrong.status).toBe(400)
    expect(wrong.body['error']).toBe('invalid_grant')
    expect(codes(wrong.body)).toEqual([50126])
    expect(JSON.stringify(wrong.body)).not.toContain('not it')
    const unknown = await send(ropc({ username: 'mallory@authfold.test' }))
    expect([unknown.body['error'], codes(unknown.body)]).toEqual(['invalid_grant', [50034]])
    const missing = await send(ropc({ password: '' }))
    expect(codes(missing.body)).toEqual([900144])
    const mixed = await send(ropc({ scope: 'User.Read api://things/Things.Read' }))
    expect([mixed.body['error'], codes(mixed.body)]).toEqual(['invalid_scope', [28000]])
  })

  it('asks a confidential app for its credential (AADSTS7000218) and accepts it with one', async () => {
    const without = await send(ropc({ client_id: 'confidential-app' }))
    expect([without.status, without.body['error'], codes(without.body)]).toEqual([401, 'invalid_client', [7000218]])
    const withSecret = await send(ropc({ client_id: 'confidential-app', client_secret: 'app-secret-value' }))
    expect(withSecret.status).toBe(200)
    expect(decodeJwt(String(withSecret.body['access_token']))['azpacr']).toBe('1')
  })

  it('answers user realm discovery with a managed account type', async () => {
    const managed = await get(`${idp.url}/common/userrealm/alice%40authfold.test?api-version=1.0`)
    expect(JSON.parse(managed.body)).toMatchObject({ account_type: 'Managed', domain_name: 'authfold.test', ver: '1.0' })
    const unknown = await get(`${idp.url}/common/userrealm/bob@elsewhere.example?api-version=1.0`)
    expect(JSON.parse(unknown.body)).toMatchObject({ account_type: 'Unknown' })
  })
})

describe('the refresh_token grant', () => {
  it('rotates: each redemption answers a new refresh token, and the old one still works (as Entra)', async () => {
    const first = await send(ropc())
    const rt1 = String(first.body['refresh_token'])
    const second = await send({ grant_type: 'refresh_token', client_id: 'public-app', refresh_token: rt1, scope: 'User.Read openid profile offline_access', client_info: '1' })
    expect(second.status).toBe(200)
    const rt2 = String(second.body['refresh_token'])
    expect(rt2).not.toBe(rt1)
    expect(second.body).toMatchObject({ scope: 'User.Read openid profile', client_info: first.body['client_info'] })
    expect(decodeJwt(String(second.body['id_token']))['oid']).toBe(decodeJwt(String(first.body['id_token']))['oid'])
    const again = await send({ grant_type: 'refresh_token', client_id: 'public-app', refresh_token: rt1 })
    expect(again.status).toBe(200)
    expect(again.body['scope']).toBe('User.Read openid profile')
    const otherResource = await send({ grant_type: 'refresh_token', client_id: 'public-app', refresh_token: rt2, scope: 'api://things/Things.Read offline_access' })
    expect(otherResource.body['scope']).toBe('api://things/Things.Read')
  })

  it('refuses an unknown refresh token (AADSTS70000), another app\'s (client_mismatch) and a revoked one', async () => {
    const bad = await send({ grant_type: 'refresh_token', client_id: 'public-app', refresh_token: '1.Anot-a-real-token' })
    expect([bad.status, bad.body['error'], codes(bad.body)]).toEqual([400, 'invalid_grant', [70000]])
    const rt = String((await send(ropc())).body['refresh_token'])
    const other = await send({ grant_type: 'refresh_token', client_id: 'other-app', refresh_token: rt })
    expect(other.body).toMatchObject({ error: 'invalid_grant', error_codes: [70000], suberror: 'client_mismatch', error_additional_info: ['client_mismatch'] })
    idp.revokeRefreshTokens('ALICE@authfold.test')
    const revoked = await send({ grant_type: 'refresh_token', client_id: 'public-app', refresh_token: rt })
    expect(codes(revoked.body)).toEqual([70000])
  })

  it('refuses an expired refresh token with AADSTS700082', async () => {
    const rt = String((await send(ropc({ client_id: 'short-rt' }))).body['refresh_token'])
    clock += 61_000
    try {
      const expired = await send({ grant_type: 'refresh_token', client_id: 'short-rt', refresh_token: rt })
      expect([expired.body['error'], codes(expired.body)]).toEqual(['invalid_grant', [700082]])
      expect(String(expired.body['error_description'])).toContain('expired due to inactivity')
    } finally {
      clock = START
    }
  })

  it('shares family (FOCI) refresh tokens between family apps only', async () => {
    const a = await send(ropc({ client_id: 'family-a' }))
    expect(a.body['foci']).toBe('1')
    const rt = String(a.body['refresh_token'])
    const b = await send({ grant_type: 'refresh_token', client_id: 'family-b', refresh_token: rt, scope: 'User.Read openid offline_access', client_info: '1' })
    expect(b.status).toBe(200)
    expect(b.body['foci']).toBe('1')
    expect(decodeJwt(String(b.body['id_token']))['aud']).toBe('family-b')
    const outsider = await send({ grant_type: 'refresh_token', client_id: 'public-app', refresh_token: rt })
    expect(outsider.body['suberror']).toBe('client_mismatch')
  })

  it('never records passwords or refresh tokens in the request log', () => {
    const logged = JSON.stringify(idp.requests)
    expect(logged).not.toContain(PASSWORD)
    expect(logged).not.toMatch(/1\.A[\w-]{20,}/)
    expect(idp.requests.some((r) => r.form['grant_type'] === 'refresh_token' && r.form['refresh_token'] === '<redacted>')).toBe(true)
  })
})
