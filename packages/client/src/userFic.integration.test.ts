/**
 * acquireTokenByUserFederatedIdentityCredential over real HTTPS against the local IdP. The
 * expected fields are MSAL's (`grant_type=user_fic`, `user_federated_identity_credential`,
 * `username` or `user_id`, the decorated scope, `client_info=1`: MSAL Python PR #918,
 * MSAL Go PR #619, MSAL .NET PR #6050), the cache entries those every user sign-in writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientSecret, type HttpClient } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient } from './confidentialClient.js'
import type { AuthFailure } from './failure.js'

const SECRET = 'agent-secret-7!'
const AGENT_USER = 'agent-user@authfold.test'
const AGENT_USER_OID = '11111111-2222-3333-4444-555555555555'

let idp: IdentityProvider
/** The agent identity's exchange token (T2): a JWT this IdP signed. */
let fic: string
/** The token request bodies the agent sent, before the IdP's log redacts them. */
let sent: Array<Readonly<Record<string, string>>> = []

const http = () => nodeHttpClient({ ca: idp.ca, timeoutMs: 2000 })
const spying = (inner: HttpClient): HttpClient => (request) => {
  if (request.url.endsWith('/oauth2/v2.0/token') && request.body !== undefined) sent.push(Object.fromEntries(new URLSearchParams(request.body)))
  return inner(request)
}
const agent = () =>
  createConfidentialClient({ clientId: 'agent-identity', authority: idp.authority(), credential: clientSecret(SECRET), http: spying(http()), validateAuthority: false })
type CacheJson = Record<string, Record<string, Record<string, unknown>>>
const cacheOf = async (app: ReturnType<typeof agent>) => JSON.parse(await app.serializeCache()) as CacheJson
const tokenRequests = () => idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'))

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'agent-identity', secret: SECRET })
  idp.registerClient({ clientId: 'blueprint', secret: 'blueprint-secret-1' })
  idp.registerUser({ username: AGENT_USER, password: 'unused-password-1', objectId: AGENT_USER_OID, name: 'Agent User' })
  const blueprint = createConfidentialClient({ clientId: 'blueprint', authority: idp.authority(), credential: clientSecret('blueprint-secret-1'), http: http(), validateAuthority: false })
  fic = (await blueprint.acquireTokenForClient(['api://AzureADTokenExchange/.default'])).access_token
})
afterAll(async () => idp.stop())

describe('acquireTokenByUserFederatedIdentityCredential over real HTTPS', () => {
  it('sends the user_fic grant with username, as MSAL does, and files the user tokens', async () => {
    const app = agent()
    idp.clearRequests()
    sent = []
    const result = await app.acquireTokenByUserFederatedIdentityCredential(['User.Read'], fic, { username: AGENT_USER })
    expect(result).toMatchObject({ token_type: 'Bearer', token_source: 'identity_provider', account: { username: AGENT_USER, local_account_id: AGENT_USER_OID } })
    expect(result.id_token_claims).toMatchObject({ oid: AGENT_USER_OID, aud: 'agent-identity' })
    expect(tokenRequests()).toHaveLength(1)
    const body = sent[0] ?? {}
    expect(Object.keys(body).sort()).toEqual(
      ['client_id', 'client_info', 'client_secret', 'grant_type', 'scope', 'user_federated_identity_credential', 'username'].sort(),
    )
    expect(body).toMatchObject({
      grant_type: 'user_fic',
      user_federated_identity_credential: fic,
      username: AGENT_USER,
      client_info: '1',
      client_id: 'agent-identity',
    })
    expect(new Set(body['scope']?.split(' '))).toEqual(new Set(['User.Read', 'openid', 'profile', 'offline_access']))
    expect(tokenRequests()[0]?.headers['x-client-current-telemetry']).toBe('4|950,0|') // MSAL Python's "4|{api_id},{cache_refresh}|"

    const cache = await cacheOf(app)
    const ats = Object.values(cache['AccessToken'] ?? {})
    expect(ats).toHaveLength(1)
    expect(ats[0]).toMatchObject({ credential_type: 'AccessToken', client_id: 'agent-identity', secret: result.access_token, token_type: 'Bearer' })
    expect(ats[0]?.['home_account_id']).toBe(result.account?.home_account_id)
    expect(ats[0]?.['target']?.toString().split(' ')).toContain('User.Read')
    expect(Object.values(cache['RefreshToken'] ?? {})).toHaveLength(1)
    expect(Object.values(cache['IdToken'] ?? {})).toHaveLength(1)
    const accounts = Object.values(cache['Account'] ?? {})
    expect(accounts).toEqual([expect.objectContaining({ username: AGENT_USER, local_account_id: AGENT_USER_OID, authority_type: 'MSSTS' })])
  })

  it('sends user_id (not username) for userObjectId', async () => {
    const app = agent()
    sent = []
    const result = await app.acquireTokenByUserFederatedIdentityCredential(['User.Read'], fic, { userObjectId: AGENT_USER_OID })
    expect(result.account?.username).toBe(AGENT_USER)
    expect(sent[0]).toMatchObject({ grant_type: 'user_fic', user_id: AGENT_USER_OID, user_federated_identity_credential: fic })
    expect(sent[0]).not.toHaveProperty('username')
  })

  it('refuses neither or both of username and userObjectId before any request, the cache untouched', async () => {
    const app = agent()
    await app.acquireTokenByUserFederatedIdentityCredential(['User.Read'], fic, { username: AGENT_USER })
    const before = await app.serializeCache()
    idp.clearRequests()
    const cases = [{}, { username: AGENT_USER, userObjectId: AGENT_USER_OID }, { username: '' }, { userObjectId: ' ' }]
    for (const options of cases) {
      const failure = (await app.acquireTokenByUserFederatedIdentityCredential(['User.Read'], fic, options).catch((e: unknown) => e)) as AuthFailure
      expect(failure.authError).toMatchObject({ _tag: 'ConfigError', code: 'invalid_argument' })
      expect(failure.message).not.toContain(fic)
    }
    const empty = (await app.acquireTokenByUserFederatedIdentityCredential(['User.Read'], '', { username: AGENT_USER }).catch((e: unknown) => e)) as AuthFailure
    expect(empty.authError).toMatchObject({ _tag: 'ConfigError', field: 'assertion' })
    expect(tokenRequests()).toHaveLength(0)
    expect(await app.serializeCache()).toBe(before)
  })

  it('an error answer (an unknown user, a credential that is not the IdP\'s) is a ProtocolError and the cache stays as it was', async () => {
    const app = agent()
    await app.acquireTokenByUserFederatedIdentityCredential(['User.Read'], fic, { username: AGENT_USER })
    const before = await app.serializeCache()
    const unknown = (await app
      .acquireTokenByUserFederatedIdentityCredential(['User.Read'], fic, { username: 'nobody@authfold.test' })
      .catch((e: unknown) => e)) as AuthFailure
    expect(unknown.authError).toMatchObject({ _tag: 'ProtocolError', error: 'invalid_grant' })
    const forged = fic.slice(0, fic.lastIndexOf('.') + 1) + 'AAAA'
    const bad = (await app
      .acquireTokenByUserFederatedIdentityCredential(['User.Read'], forged, { username: AGENT_USER })
      .catch((e: unknown) => e)) as AuthFailure
    expect(bad.authError).toMatchObject({ _tag: 'ProtocolError', error: 'invalid_request' })
    expect(JSON.stringify(bad.authError)).not.toContain(forged)
    expect(await app.serializeCache()).toBe(before)
  })
})
