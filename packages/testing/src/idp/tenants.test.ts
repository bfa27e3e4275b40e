import { formPost, type HttpClient } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIdentityProvider, type IdentityProvider } from './server.js'
import { signInWithoutBrowser } from './signInWithoutBrowser.js'
import type { RegisteredUser } from './grants/users.js'

const PASSWORD = 'correct horse battery staple'
const FABRIKAM = '0b7c2d4e-1f3a-4b5c-8d9e-0a1b2c3d4e5f'

let idp: IdentityProvider
let alice: RegisteredUser | undefined
let bob: RegisteredUser | undefined
let http: HttpClient

const send = async (fields: Readonly<Record<string, string>>, tenant?: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const r = await http(formPost(idp.tokenEndpoint(tenant), fields, {}))()
  if (r._tag === 'Left') throw new Error(`transport failed: ${r.left.message}`)
  return { status: r.right.status, body: JSON.parse(r.right.body) as Record<string, unknown> }
}
const ropc = (username: string, tenant?: string) =>
  send({ grant_type: 'password', client_id: 'app', username, password: PASSWORD, scope: 'User.Read openid profile offline_access', client_info: '1' }, tenant)
const refresh = (refreshToken: string, tenant: string) =>
  send({ grant_type: 'refresh_token', client_id: 'app', refresh_token: refreshToken, scope: 'User.Read openid profile offline_access', client_info: '1' }, tenant)
const clientInfo = (body: Record<string, unknown>): unknown => JSON.parse(Buffer.from(String(body['client_info']), 'base64url').toString())

beforeAll(async () => {
  idp = await startIdentityProvider()
  http = nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 })
  idp.addTenant({ tenantId: FABRIKAM, tenantDomain: 'fabrikam.test' })
  idp.registerClient({ clientId: 'app' })
  idp.registerClient({ clientId: 'long-lived', accessTokenLifetimeSeconds: 86_399 })
  alice = idp.registerUser({ username: 'alice@authfold.test', password: PASSWORD })
  bob = idp.registerUser({ username: 'bob@fabrikam.test', password: PASSWORD, tenantId: FABRIKAM })
  idp.inviteGuest('alice@authfold.test', FABRIKAM)
})
afterAll(async () => {
  await idp.stop()
})

describe('a second tenant and guest users', () => {
  it('the sign-in page answers client_info of the home account, wherever the user signs in (a guest at the guest tenant, a user of the second tenant at common)', async () => {
    for (const [tenant, username, home] of [
      [FABRIKAM, 'alice@authfold.test', { uid: alice?.objectId, utid: idp.tenantId }],
      ['common', 'bob@fabrikam.test', { uid: bob?.objectId, utid: FABRIKAM }],
      ['common', 'alice@authfold.test', { uid: alice?.objectId, utid: idp.tenantId }],
    ] as const) {
      const authUri = `${idp.url}/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: 'app', response_type: 'code', redirect_uri: 'http://localhost:8400', scope: 'User.Read openid profile offline_access', state: 's1', client_info: '1' })}`
      const answer = await signInWithoutBrowser({ authUri, username, password: PASSWORD, ca: idp.ca })
      expect(answer['state']).toBe('s1')
      expect(JSON.parse(Buffer.from(answer['client_info'] ?? '', 'base64url').toString())).toEqual(home)
    }
  })

  it('answers the second tenant\u2019s discovery by GUID and by domain', async () => {
    for (const segment of [FABRIKAM, 'fabrikam.test']) {
      const r = await http({ method: 'GET', url: `${idp.url}/${segment}/v2.0/.well-known/openid-configuration`, headers: {} })()
      expect(r._tag === 'Right' && JSON.parse(r.right.body)).toMatchObject({ issuer: idp.issuer(FABRIKAM), token_endpoint: idp.tokenEndpoint(FABRIKAM) })
    }
  })

  it('signs a user of the second tenant in there, and at common for their home tenant', async () => {
    for (const tenant of [FABRIKAM, 'common']) {
      const { status, body } = await ropc('bob@fabrikam.test', tenant)
      expect(status).toBe(200)
      expect(decodeJwt(String(body['id_token']))).toMatchObject({ tid: FABRIKAM, iss: idp.issuer(FABRIKAM) })
      expect(clientInfo(body)).toMatchObject({ utid: FABRIKAM })
    }
  })

  it('serves a guest at the guest tenant with the home refresh token: tid and iss of the guest tenant, client_info of home', async () => {
    const home = await ropc('alice@authfold.test')
    const guest = await refresh(String(home.body['refresh_token']), FABRIKAM)
    expect(guest.status).toBe(200)
    const homeClaims = decodeJwt(String(home.body['id_token']))
    const guestClaims = decodeJwt(String(guest.body['id_token']))
    expect(guestClaims).toMatchObject({ tid: FABRIKAM, iss: idp.issuer(FABRIKAM), preferred_username: 'alice@authfold.test' })
    expect(decodeJwt(String(guest.body['access_token']))).toMatchObject({ tid: FABRIKAM })
    expect(guestClaims['oid']).not.toBe(homeClaims['oid'])
    expect(clientInfo(guest.body)).toEqual(clientInfo(home.body))
    expect(clientInfo(guest.body)).toEqual({ uid: homeClaims['oid'], utid: idp.tenantId })
  })

  it('refuses a user in a tenant they were not invited into (AADSTS50020)', async () => {
    const { status, body } = await ropc('bob@fabrikam.test', idp.tenantId)
    expect(status).toBe(400)
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [50020] })
  })

  it('adds refresh_in (half the lifetime) to user tokens living over two hours, none to shorter ones', async () => {
    const long = await send({ grant_type: 'password', client_id: 'long-lived', username: 'alice@authfold.test', password: PASSWORD, scope: 'User.Read offline_access', client_info: '1' })
    expect(long.body).toMatchObject({ expires_in: 86_399, refresh_in: 43_199 })
    expect((await ropc('alice@authfold.test')).body['refresh_in']).toBeUndefined()
  })
})
