import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientSecret, type HttpClient } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient } from './confidentialClient.js'
import { createPublicClient } from './publicClient.js'
import type { AuthFailure } from './failure.js'

const SECRET = 'mid-tier-secret-9!'
const DOWNSTREAM = 'api://downstream/read'
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

let idp: IdentityProvider
let alice: string
let bob: string
let otherAudience: string
let aliceShort: string
let bobShort: string
/** The token request bodies the middle tier sent (the IdP's log redacts assertions and refresh tokens). */
let sent: Array<Readonly<Record<string, string>>> = []

const http = () => nodeHttpClient({ ca: idp.ca, timeoutMs: 2000 })
const spying = (inner: HttpClient): HttpClient => (request) => {
  if (request.url.endsWith('/oauth2/v2.0/token') && request.body !== undefined) sent.push(Object.fromEntries(new URLSearchParams(request.body)))
  return inner(request)
}
const midTier = (clientId = 'mid-tier') =>
  createConfidentialClient({ clientId, authority: idp.authority(), credential: clientSecret(SECRET), http: spying(http()), validateAuthority: false })
const cacheOf = async (app: ReturnType<typeof midTier>) =>
  JSON.parse(await app.serializeCache()) as Record<string, Record<string, Record<string, unknown>>>
const tokenRequests = () => idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'))
// msal-node's CryptoProvider.hashString: base64url(SHA-256(assertion)), no padding.
const hashOf = (assertion: string) => createHash('sha256').update(assertion, 'utf8').digest('base64url')

const userToken = async (username: string, scope: string): Promise<string> => {
  const front = createPublicClient({ clientId: 'front-app', authority: idp.authority(), http: http(), validateAuthority: false })
  return (await front.acquireTokenByUsernamePassword(username, 'pw-' + username, [scope])).access_token
}

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'front-app' })
  idp.registerClient({ clientId: 'mid-tier', secret: SECRET })
  // Access tokens shorter than MSAL's 5-minute margin: every cached one counts as expired.
  idp.registerClient({ clientId: 'mid-tier-short', secret: SECRET, accessTokenLifetimeSeconds: 120 })
  for (const u of ['alice@authfold.test', 'bob@authfold.test']) idp.registerUser({ username: u, password: 'pw-' + u })
  alice = await userToken('alice@authfold.test', 'api://mid-tier/access_as_user')
  bob = await userToken('bob@authfold.test', 'api://mid-tier/access_as_user')
  otherAudience = await userToken('alice@authfold.test', 'api://someone-else/access_as_user')
  aliceShort = await userToken('alice@authfold.test', 'api://mid-tier-short/access_as_user')
  bobShort = await userToken('bob@authfold.test', 'api://mid-tier-short/access_as_user')
})
afterAll(async () => idp.stop())

describe('acquireTokenOnBehalfOf over real HTTPS', () => {
  it('sends the jwt-bearer grant as MSAL Python does, then answers the same assertion from the cache', async () => {
    const app = midTier()
    idp.clearRequests()
    sent = []
    const first = await app.acquireTokenOnBehalfOf(alice, [DOWNSTREAM])
    expect(first).toMatchObject({ token_type: 'Bearer', token_source: 'identity_provider', account: { username: 'alice@authfold.test' } })
    const [logged] = tokenRequests()
    expect(logged?.form).toMatchObject({
      grant_type: JWT_BEARER,
      assertion: '<redacted>',
      requested_token_use: 'on_behalf_of',
      client_info: '1',
      client_id: 'mid-tier',
    })
    expect(sent[0]?.['assertion']).toBe(alice)
    expect(new Set(logged?.form['scope']?.split(' '))).toEqual(new Set([DOWNSTREAM, 'openid', 'profile', 'offline_access']))
    const second = await app.acquireTokenOnBehalfOf(alice, [DOWNSTREAM])
    expect(second).toMatchObject({ access_token: first.access_token, token_source: 'cache' })
    expect(tokenRequests()).toHaveLength(1)

    const cache = await cacheOf(app)
    const ats = Object.values(cache['AccessToken'] ?? {})
    const rts = Object.values(cache['RefreshToken'] ?? {})
    expect(ats).toHaveLength(1)
    expect(ats[0]).toMatchObject({ user_assertion_hash: hashOf(alice), target: DOWNSTREAM, client_id: 'mid-tier' })
    expect(rts[0]).toMatchObject({ user_assertion_hash: hashOf(alice), client_id: 'mid-tier' })
  })

  it("keeps users apart: bob's assertion is never answered with alice's token", async () => {
    const app = midTier()
    const a = await app.acquireTokenOnBehalfOf(alice, [DOWNSTREAM])
    idp.clearRequests()
    sent = []
    const b = await app.acquireTokenOnBehalfOf(bob, [DOWNSTREAM])
    expect(b.token_source).toBe('identity_provider')
    expect(b.access_token).not.toBe(a.access_token)
    expect(b.account?.username).toBe('bob@authfold.test')
    expect(sent[0]?.['assertion']).toBe(bob)
    expect((await app.acquireTokenOnBehalfOf(alice, [DOWNSTREAM])).access_token).toBe(a.access_token)
    expect((await app.acquireTokenOnBehalfOf(bob, [DOWNSTREAM])).access_token).toBe(b.access_token)
    expect(tokenRequests()).toHaveLength(1)
  })

  it("refreshes an expired token with the refresh token of that assertion, not another user's", async () => {
    const app = midTier('mid-tier-short')
    await app.acquireTokenOnBehalfOf(aliceShort, [DOWNSTREAM])
    await app.acquireTokenOnBehalfOf(bobShort, [DOWNSTREAM])
    const rts = Object.values((await cacheOf(app))['RefreshToken'] ?? {})
    const rtOf = (assertion: string) => rts.find((rt) => rt['user_assertion_hash'] === hashOf(assertion))?.['secret']
    expect(rtOf(aliceShort)).toBeTypeOf('string')
    expect(rtOf(aliceShort)).not.toBe(rtOf(bobShort))
    idp.clearRequests()
    sent = []
    const refreshed = await app.acquireTokenOnBehalfOf(aliceShort, [DOWNSTREAM])
    expect(refreshed).toMatchObject({ token_source: 'identity_provider', account: { username: 'alice@authfold.test' } })
    expect(tokenRequests()).toHaveLength(1)
    expect(sent[0]).toMatchObject({ grant_type: 'refresh_token', refresh_token: rtOf(aliceShort), client_info: '1' })
    idp.clearRequests()
    sent = []
    await app.acquireTokenOnBehalfOf(bobShort, [DOWNSTREAM])
    expect(sent[0]).toMatchObject({ grant_type: 'refresh_token', refresh_token: rtOf(bobShort) })
  })

  it('falls back to the assertion when the refresh token of the assertion is refused', async () => {
    const app = midTier('mid-tier-short')
    await app.acquireTokenOnBehalfOf(aliceShort, [DOWNSTREAM])
    idp.revokeRefreshTokens('alice@authfold.test')
    idp.clearRequests()
    sent = []
    const result = await app.acquireTokenOnBehalfOf(aliceShort, [DOWNSTREAM])
    expect(result.token_source).toBe('identity_provider')
    expect(tokenRequests().map((r) => r.form['grant_type'])).toEqual(['refresh_token', JWT_BEARER])
  })

  it('refuses a user assertion that is not a JWT before any request, the cache untouched', async () => {
    const app = midTier()
    await app.acquireTokenOnBehalfOf(alice, [DOWNSTREAM])
    const before = await app.serializeCache()
    idp.clearRequests()
    sent = []
    for (const bad of ['', 'not-a-jwt', 'a.b', 'e30.e30', '!!.e30.x', 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln']) {
      const failure = (await app.acquireTokenOnBehalfOf(bad, [DOWNSTREAM]).catch((e: unknown) => e)) as AuthFailure
      expect(failure.authError).toMatchObject({ _tag: 'ConfigError', code: 'invalid_argument', field: 'userAssertion' })
      if (bad !== '') expect(failure.message).not.toContain(bad)
    }
    expect(tokenRequests()).toHaveLength(0)
    expect(await app.serializeCache()).toBe(before)
  })

  it('an error answer (an assertion for another audience) is a ProtocolError and the cache stays as it was', async () => {
    const app = midTier()
    await app.acquireTokenOnBehalfOf(alice, [DOWNSTREAM])
    const before = await app.serializeCache()
    const failure = (await app.acquireTokenOnBehalfOf(otherAudience, [DOWNSTREAM]).catch((e: unknown) => e)) as AuthFailure
    expect(failure.authError).toMatchObject({ _tag: 'ProtocolError', error: 'invalid_grant' })
    expect(JSON.stringify(failure.authError)).not.toContain(otherAudience)
    expect(await app.serializeCache()).toBe(before)
  })
})
