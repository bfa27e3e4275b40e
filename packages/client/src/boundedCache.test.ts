/**
 * The bounded store behind the facade: many client-credentials calls with distinct scopes
 * against the local IdP keep the cache within its bound, and cache hits are still served,
 * a token in steady use outliving all the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientSecret } from '@authfold/core'
import { boundedStore, toJsonObject, type CacheState } from '@authfold/cache'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient } from './confidentialClient.js'

const SECRET = 'bounded-cache-secret-Q7!'
const HOT = 'api://hot/.default'
let idp: IdentityProvider

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'app-bounded', secret: SECRET })
})
afterAll(async () => idp.stop())

const tokenPosts = (): number => idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token')).length
const accessTokenTargets = (s: CacheState | undefined): ReadonlyArray<string> =>
  Object.values((s === undefined ? {} : toJsonObject(s))['AccessToken'] as Record<string, { readonly target: string }>).map((e) => e.target)

describe('boundedStore as a confidential client cacheStore', () => {
  it('holds at most maxEntries over 60 calls with distinct scopes; the token in steady use stays and is served from the cache', async () => {
    const MAX = 5
    const store = boundedStore({ maxEntries: MAX })
    const app = createConfidentialClient({
      clientId: 'app-bounded',
      authority: idp.authority(),
      credential: clientSecret(SECRET),
      http: nodeHttpClient({ ca: idp.ca, timeoutMs: 2000 }),
      validateAuthority: false,
      cacheStore: store,
    })
    const hot = await app.acquireTokenForClient([HOT])
    expect(hot.token_source).toBe('identity_provider')
    const sizes: Array<number> = []
    for (let i = 0; i < 60; i++) {
      const fresh = await app.acquireTokenForClient([`api://svc-${i}/.default`])
      expect(fresh.token_source).toBe('identity_provider')
      sizes.push(accessTokenTargets(store.peek?.()).length)
      // the hot token is asked for between every two new ones: a hit, with no request
      const posts = tokenPosts()
      const again = await app.acquireTokenForClient([HOT])
      expect(again).toMatchObject({ token_source: 'cache', access_token: hot.access_token })
      expect(tokenPosts()).toBe(posts)
    }
    expect(Math.max(...sizes)).toBe(MAX)
    // what is left: the hot token and the four most recent ones, each still a hit
    const left = accessTokenTargets(store.peek?.())
    expect([...left].sort()).toEqual([HOT, 'api://svc-56/.default', 'api://svc-57/.default', 'api://svc-58/.default', 'api://svc-59/.default'].sort())
    const posts = tokenPosts()
    for (const scope of left) expect((await app.acquireTokenForClient([scope])).token_source).toBe('cache')
    expect(tokenPosts()).toBe(posts)
    // an evicted one goes back to the IdP
    expect((await app.acquireTokenForClient(['api://svc-0/.default'])).token_source).toBe('identity_provider')
    expect(tokenPosts()).toBe(posts + 1)
  })
})
