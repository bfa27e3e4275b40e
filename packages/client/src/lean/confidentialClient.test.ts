/**
 * The lean `createConfidentialClient` (`@authfold/client/lean`) over real HTTPS, with the real
 * Entra host routed to the local identity provider: the calls an app makes, the cache it
 * shares with the full client, concurrency, bad input and bad configuration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientSecret, type AuthError, type HttpClient } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { routeToIdentityProvider, startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient as createFullClient } from '../confidentialClient.js'
import { AuthFailureError } from '../failure.js'
import { createConfidentialClient, leanConfidentialClient } from '../lean.js'

const SECRET = 'lean-facade-secret-Q7!'
const SCOPE = 'api://lean/.default'
let idp: IdentityProvider
let http: HttpClient
let authority = ''

beforeAll(async () => {
  idp = await startIdentityProvider({ publicHost: 'login.microsoftonline.com' })
  idp.registerClient({ clientId: 'lean-app', secret: SECRET })
  http = routeToIdentityProvider(idp)(nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 }))
  authority = `https://login.microsoftonline.com/${idp.tenantId}`
})
afterAll(async () => idp.stop())

const lean = () => createConfidentialClient({ clientId: 'lean-app', authority, credential: clientSecret(SECRET), http })
const full = () => createFullClient({ clientId: 'lean-app', authority, credential: clientSecret(SECRET), http })
const tokenPosts = () => idp.requests.filter((r) => r.method === 'POST' && r.path === `/${idp.tenantId}/oauth2/v2.0/token`)
const appTokens = (json: string): ReadonlyArray<string> => Object.keys((JSON.parse(json) as { readonly AccessToken?: object }).AccessToken ?? {})
const failure = async (p: Promise<unknown>): Promise<AuthError> => {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(AuthFailureError)
  return (e as AuthFailureError).authError
}

describe('lean createConfidentialClient, the real Entra host routed to the local IdP', () => {
  it('acquires an app token with one client credentials request, then answers from its cache', async () => {
    idp.clearRequests()
    const app = lean()
    const first = await app.acquireTokenForClient([SCOPE])
    const second = await app.acquireTokenForClient([SCOPE])
    expect(first.token_source).toBe('identity_provider')
    expect(second).toMatchObject({ token_source: 'cache', access_token: first.access_token, token_type: 'Bearer' })
    const posts = tokenPosts()
    expect(posts).toHaveLength(1)
    expect(posts[0]?.headers['host']).toBe('login.microsoftonline.com')
    expect(posts[0]?.form).toMatchObject({ grant_type: 'client_credentials', client_id: 'lean-app', scope: SCOPE })
    // the library headers the full client sends
    expect(posts[0]?.headers['x-client-sku']).toBeDefined()
    expect(posts[0]?.headers['x-client-ver']).toBeDefined()
    expect(posts[0]?.headers['client-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    // no discovery: nothing but the token request was sent
    expect(idp.requests).toHaveLength(1)
  })

  it('shares its cache with the full client both ways: each answers from what the other saved', async () => {
    idp.clearRequests()
    const a = lean()
    const fromLean = await a.acquireTokenForClient([SCOPE])
    const b = full()
    await b.deserializeCache(await a.serializeCache())
    expect(await b.acquireTokenForClient([SCOPE])).toMatchObject({ token_source: 'cache', access_token: fromLean.access_token })

    const c = full()
    const fromFull = await c.acquireTokenForClient(['api://other/.default'])
    const d = lean()
    await d.deserializeCache(await c.serializeCache())
    expect(await d.acquireTokenForClient(['api://other/.default'])).toMatchObject({ token_source: 'cache', access_token: fromFull.access_token })
    // the full client discovers the authority once; the token requests were one per client that needed one
    expect(tokenPosts()).toHaveLength(2)
    // and a cache the lean client saved reads back byte for byte in the full client
    const saved = await d.serializeCache()
    const e = full()
    await e.deserializeCache(saved)
    expect(await e.serializeCache()).toBe(saved)
  })

  it('sends one request for 100 identical concurrent calls, and keeps every token of concurrent calls for different scopes', async () => {
    idp.clearRequests()
    const app = lean()
    const same = await Promise.all(Array.from({ length: 100 }, () => app.acquireTokenForClient([SCOPE])))
    expect(new Set(same.map((r) => r.access_token)).size).toBe(1)
    expect(tokenPosts()).toHaveLength(1)
    const scopes = ['api://s1/.default', 'api://s2/.default', 'api://s3/.default', 'api://s4/.default']
    const mixed = await Promise.all(Array.from({ length: 40 }, (_, i) => app.acquireTokenForClient([scopes[i % 4] ?? SCOPE])))
    expect(tokenPosts()).toHaveLength(5)
    // every concurrent grant's token was committed (each replayed onto the others' commits)
    const cached = JSON.parse(await app.serializeCache()) as { readonly AccessToken: Readonly<Record<string, { readonly target: string; readonly secret: string }>> }
    expect(Object.values(cached.AccessToken).map((t) => t.target).sort()).toEqual([SCOPE, ...scopes].sort())
    for (const [i, r] of mixed.entries()) expect(Object.values(cached.AccessToken).find((t) => t.target === scopes[i % 4])?.secret).toBe(r.access_token)
    const again = await app.acquireTokenForClient(['api://s3/.default'])
    expect(again.token_source).toBe('cache')
  })

  it('removeTokensForClient empties its app tokens: the next call asks the IdP again', async () => {
    const app = lean()
    await app.acquireTokenForClient([SCOPE])
    await app.removeTokensForClient()
    expect(appTokens(await app.serializeCache())).toEqual([])
    idp.clearRequests()
    expect((await app.acquireTokenForClient([SCOPE])).token_source).toBe('identity_provider')
    expect(tokenPosts()).toHaveLength(1)
  })

  it('refuses broken cache JSON with a typed error and keeps the cache as it was', async () => {
    const app = lean()
    await app.acquireTokenForClient([SCOPE])
    const before = await app.serializeCache()
    for (const bad of ['{', '[]', 'null', '{"AccessToken": 3}'])
      expect((await failure(app.deserializeCache(bad)))._tag).toMatch(/DecodeError|CacheError/)
    expect(await app.serializeCache()).toBe(before)
    expect((await app.acquireTokenForClient([SCOPE])).token_source).toBe('cache')
  })

  it('gives the IdP’s error as a ProtocolError, without the secret, and caches nothing', async () => {
    const app = createConfidentialClient({ clientId: 'lean-app', authority, credential: clientSecret('wrong-secret-9'), http })
    const e = await failure(app.acquireTokenForClient([SCOPE]))
    expect(e._tag).toBe('ProtocolError')
    expect(JSON.stringify(e)).not.toContain('wrong-secret-9')
    expect(appTokens(await app.serializeCache())).toEqual([])
  })

  it('refuses a configuration that cannot work before any request, with a ConfigError naming the field', async () => {
    idp.clearRequests()
    const cases = [
      [{ clientId: '', authority, credential: clientSecret(SECRET) }, 'clientId'],
      [{ clientId: 'lean-app', authority, credential: 'secret' as never }, 'credential'],
      [{ clientId: 'lean-app', authority: 'https://adfs.contoso.com/adfs', credential: clientSecret(SECRET) }, 'authority'],
      [{ clientId: 'lean-app', authority: 'https://contoso.b2clogin.com/tfp/contoso.onmicrosoft.com/B2C_1_signin', credential: clientSecret(SECRET) }, 'authority'],
    ] as const
    for (const [config, field] of cases) {
      const built = leanConfidentialClient(config)
      expect(built).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', field } })
      expect(() => createConfidentialClient(config)).toThrow(AuthFailureError)
    }
    expect(idp.requests).toHaveLength(0)
  })

  it('answers a hit at once with the log line appToken writes, and still refuses no scopes or a blank one when tokens are cached', async () => {
    const lines: Array<string> = []
    const app = createConfidentialClient({ clientId: 'lean-app', authority, credential: clientSecret(SECRET), http, logger: (level, message) => void lines.push(`${level} ${message}`) })
    await app.acquireTokenForClient([SCOPE])
    idp.clearRequests()
    lines.length = 0
    expect((await app.acquireTokenForClient([SCOPE])).token_source).toBe('cache')
    expect(lines).toEqual(['info Answered from the token cache'])
    // a lookup for no scopes would match any token of the slot: the scopes are checked first
    for (const scopes of [[], ['  ']]) expect(await failure(app.acquireTokenForClient(scopes))).toMatchObject({ _tag: 'ConfigError', field: 'scopes' })
    expect(idp.requests).toHaveLength(0)
  })

  it('has TaskEither twins that give the Either', async () => {
    const app = lean()
    const r = await app.te.acquireTokenForClient([SCOPE])()
    expect(r._tag).toBe('Right')
    const bad = await app.te.deserializeCache('{')()
    expect(bad._tag).toBe('Left')
  })
})
