/**
 * The custom grant of customGrant.ts, run against the local identity provider over real
 * HTTPS: on explicit cache state, and on a confidential client's store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emptyCache, type CacheState } from '@authfold/cache'
import { clientSecret, parseAuthority, resolveAuthority, silentLogger, timerSleep, webCryptoRandom, type GrantEnv, type ResolvedAuthority } from '@authfold/core'
import { callGrant, confidentialContext, createConfidentialClient } from '@authfold/client'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { strictClientCredentials } from './customGrant.js'

const SECRET = 'custom-grant-secret-K2!'
const SCOPE = 'api://custom/.default'
let idp: IdentityProvider
let authority: ResolvedAuthority
let now = Date.now()
let env: GrantEnv

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'custom-app', secret: SECRET })
  env = { http: nodeHttpClient({ ca: idp.ca }), now: () => now, random: webCryptoRandom, sleep: timerSleep, log: silentLogger }
  const parsed = parseAuthority(idp.authority())
  if (parsed._tag === 'Left') throw new Error(parsed.left.message)
  const resolved = await resolveAuthority(parsed.right, { validateAuthority: false })(env)()
  if (resolved._tag === 'Left') throw new Error(resolved.left.message)
  authority = resolved.right
})
afterAll(async () => idp.stop())

const tokenPosts = () => idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'))
const run = async (cache: CacheState, marginSeconds: number): Promise<[{ readonly access_token: string; readonly token_source: string; readonly expires_in: number }, CacheState]> => {
  const grant = strictClientCredentials({ clientId: 'custom-app', authority, credential: clientSecret(SECRET), scopes: [SCOPE], marginSeconds, claims: '{"access_token":{"acrs":{"essential":true,"values":["c1"]}}}' })
  const outcome = await grant(cache)(env)()
  if (outcome._tag === 'Left') throw new Error(outcome.left.message)
  return outcome.right
}

describe('a custom grant composed from exported steps', () => {
  it('runs on explicit cache state: its own margin, its own claims, MSAL-schema cache', async () => {
    now = Date.now()
    idp.clearRequests()
    const [first, cache1] = await run(emptyCache, 1800)
    expect(first.token_source).toBe('identity_provider')
    expect(tokenPosts()[0]?.form).toMatchObject({ grant_type: 'client_credentials', scope: SCOPE, claims: '{"access_token":{"acrs":{"essential":true,"values":["c1"]}}}' })
    const [second, cache2] = await run(cache1, 1800)
    expect(second).toMatchObject({ access_token: first.access_token, token_source: 'cache' })
    expect(cache2).toBe(cache1) // a hit changes nothing

    // 40 minutes later (the IdP's tokens live an hour): MSAL's five-minute rule would still use
    // the cached token; this grant's thirty minutes do not
    now += 40 * 60_000
    const [third] = await run(cache2, 1800)
    expect(third.token_source).toBe('identity_provider')
    expect(tokenPosts()).toHaveLength(2)

    // the cache it wrote is the library's: the facade reads it
    const app = createConfidentialClient({ clientId: 'custom-app', authority: idp.authority(), credential: clientSecret(SECRET), http: env.http, validateAuthority: false, now: () => now })
    const { serialize } = await import('@authfold/cache')
    await app.deserializeCache(serialize(cache1))
    expect(await app.acquireTokenForClient([SCOPE])).toMatchObject({ access_token: first.access_token, token_source: 'cache' })
  })

  it('runs on a client store through the context (snapshot, grant, atomic commit)', async () => {
    now = Date.now()
    const ctx = confidentialContext({ clientId: 'custom-app', authority: idp.authority(), credential: clientSecret(SECRET), http: env.http, validateAuthority: false, now: () => now })
    if (ctx._tag === 'Left') throw new Error(ctx.left.message)
    const call = () =>
      callGrant(ctx.right, {}, (resolved) => strictClientCredentials({ clientId: 'custom-app', authority: resolved, credential: ctx.right.credential, scopes: [SCOPE], marginSeconds: 600 }))()
    const a = await call()
    const b = await call()
    expect(a).toMatchObject({ _tag: 'Right', right: { token_source: 'identity_provider' } })
    expect(b).toMatchObject({ _tag: 'Right', right: { token_source: 'cache' } })
  })

  it('refuses a margin below MSAL\'s five minutes with a ConfigError', async () => {
    const grant = strictClientCredentials({ clientId: 'custom-app', authority, credential: clientSecret(SECRET), scopes: [SCOPE], marginSeconds: 60 })
    expect(await grant(emptyCache)(env)()).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'invalid_argument' } })
  })
})
