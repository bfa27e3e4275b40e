/**
 * The facade's synchronous cache-hit path (`callCacheFirst`): what it answers must be what
 * the grant would answer, and everything it skips must not matter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as TE from 'fp-ts/TaskEither'
import { clientSecret, type LogLevel } from '@authfold/core'
import { memoryStore, type CacheStore } from '@authfold/cache'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient, type ConfidentialClientConfig } from './confidentialClient.js'
import { createPublicClient } from './publicClient.js'
import type { AuthFailure } from './failure.js'

const SECRET = 'cache-hit-secret-W4!'
const SCOPE = 'api://hits/.default'
let idp: IdentityProvider

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'app-hits', secret: SECRET })
  idp.registerClient({ clientId: 'public-hits' })
  idp.registerUser({ username: 'hana@authfold.test', password: 'hana-pa55-local' })
})
afterAll(async () => idp.stop())

const config = (over: Partial<ConfidentialClientConfig> = {}): ConfidentialClientConfig => ({
  clientId: 'app-hits',
  authority: idp.authority(),
  credential: clientSecret(SECRET),
  http: nodeHttpClient({ ca: idp.ca, timeoutMs: 2000 }),
  validateAuthority: false,
  ...over,
})
const tokenPosts = (): number => idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token')).length

/** A store without `peek`: every call goes through `load`, as with a file or Redis store. */
const loadOnly = (): CacheStore => {
  const inner = memoryStore()
  return { load: inner.load, update: inner.update }
}

describe('cache hits answered by the facade', () => {
  it('answer as the grant does: same token, token_source cache, the hit logged and reported in the next request', async () => {
    const lines: Array<string> = []
    const logger = (level: LogLevel, message: string): void => void lines.push(`${level} ${message}`)
    const fast = createConfidentialClient(config({ logger, libraryInfo: { appName: 'fast' } }))
    const slow = createConfidentialClient(config({ cacheStore: loadOnly(), libraryInfo: { appName: 'slow' } }))
    const shapes: Array<unknown> = []
    for (const app of [fast, slow]) {
      const first = await app.acquireTokenForClient([SCOPE])
      const hits = [await app.acquireTokenForClient([SCOPE]), await app.acquireTokenForClient([SCOPE])]
      for (const hit of hits) {
        expect(hit).toMatchObject({ access_token: first.access_token, token_type: first.token_type, token_source: 'cache' })
        shapes.push({ ...hit, access_token: '(token)', expires_in: Math.round(hit.expires_in / 100) })
      }
    }
    // the shortcut's hits and the grant's hits (a store with no peek) are the same results
    expect(shapes[0]).toEqual(shapes[2])
    expect(shapes[1]).toEqual(shapes[3])
    expect(lines.filter((l) => l === 'info Answered from the token cache')).toHaveLength(2)
    // the two hits are counted in the telemetry the next request carries, on both paths
    for (const [name, app] of [['fast', fast], ['slow', slow]] as const) {
      await app.acquireTokenForClient(['api://other/.default'])
      const last = idp.requests.filter((r) => r.headers['x-app-name'] === name).at(-1)
      expect(last?.headers['x-client-last-telemetry']).toMatch(/^4\|2\|/)
    }
  })

  it('a cancelled call fails even when the token is in the cache', async () => {
    const app = createConfidentialClient(config())
    await app.acquireTokenForClient([SCOPE])
    const failure = await app.acquireTokenForClient([SCOPE], { signal: AbortSignal.abort() }).catch((e: AuthFailure) => e)
    expect((failure as AuthFailure).authError).toMatchObject({ _tag: 'HttpError', code: 'aborted' })
  })

  it('a TaskEither built once looks at the cache each time it runs', async () => {
    const app = createConfidentialClient(config())
    const call = app.te.acquireTokenForClient([SCOPE])
    const before = tokenPosts()
    const first = await call()
    expect(first).toMatchObject({ _tag: 'Right', right: { token_source: 'identity_provider' } })
    expect(await call()).toMatchObject({ _tag: 'Right', right: { token_source: 'cache' } })
    await app.removeTokensForClient()
    expect(await call()).toMatchObject({ _tag: 'Right', right: { token_source: 'identity_provider' } })
    expect(tokenPosts() - before).toBe(2)
  })

  it('a claims challenge, a forceRefresh or an FMI path is never answered by the shortcut', async () => {
    const app = createConfidentialClient(config())
    await app.acquireTokenForClient([SCOPE])
    const before = tokenPosts()
    expect(await app.acquireTokenForClient([SCOPE], { claimsChallenge: '{"access_token":{"nbf":{"essential":true,"value":"1"}}}' })).toMatchObject({
      token_source: 'identity_provider',
    })
    expect(tokenPosts() - before).toBe(1)
    await expect(app.acquireTokenForClient([SCOPE], { forceRefresh: true })).rejects.toMatchObject({ authError: { _tag: 'ConfigError' } })
    expect(await app.acquireTokenForClient([SCOPE], { fmiPath: 'a/b' })).toMatchObject({ token_source: 'identity_provider' })
    expect(await app.acquireTokenForClient([SCOPE], { fmiPath: 'a/b' })).toMatchObject({ token_source: 'cache' })
  })

  it('a token within five minutes of expiry is not served by the shortcut', async () => {
    let now = Date.now()
    const app = createConfidentialClient(config({ now: () => now }))
    const first = await app.acquireTokenForClient([SCOPE])
    now += (first.expires_in - 299) * 1000
    expect(await app.acquireTokenForClient([SCOPE])).toMatchObject({ token_source: 'identity_provider' })
  })

  it('the TaskEither twin answers hits too (and never runs a task for them)', async () => {
    const app = createConfidentialClient(config())
    await app.acquireTokenForClient([SCOPE])
    const result = await TE.map((r: { readonly token_source: string }) => r.token_source)(app.te.acquireTokenForClient([SCOPE]))()
    expect(result).toEqual({ _tag: 'Right', right: 'cache' })
  })

  it('acquireTokenSilent: the shortcut answers what the silent grant answers, and checks the account first', async () => {
    const results: Array<unknown> = []
    for (const cacheStore of [undefined, loadOnly()]) {
      const app = createPublicClient({
        clientId: 'public-hits',
        authority: idp.authority(),
        http: nodeHttpClient({ ca: idp.ca, timeoutMs: 2000 }),
        validateAuthority: false,
        ...(cacheStore === undefined ? {} : { cacheStore }),
      })
      await app.acquireTokenByUsernamePassword('hana@authfold.test', 'hana-pa55-local', ['User.Read'])
      const [account] = await app.getAccounts()
      if (account === undefined) throw new Error('no account')
      const before = tokenPosts()
      const hit = await app.acquireTokenSilent(['User.Read'], account)
      expect(hit?.token_source).toBe('cache')
      expect(tokenPosts()).toBe(before)
      results.push({ ...hit, access_token: '(token)', expires_in: Math.round((hit?.expires_in ?? 0) / 100) })
      // the shortcut never answers for something that is not an account, nor for forceRefresh
      await expect(app.acquireTokenSilent(['User.Read'], { username: 'hana@authfold.test' } as never)).rejects.toMatchObject({ authError: { _tag: 'ConfigError', field: 'account' } })
      expect((await app.acquireTokenSilent(['User.Read'], account, { forceRefresh: true }))?.token_source).toBe('identity_provider')
    }
    expect(results[0]).toEqual(results[1])
  })

  it('a hit schedules no deadline timer and sends nothing; only what is not a hit does', async () => {
    let sleeps = 0
    let sent = 0
    const transport = nodeHttpClient({ ca: idp.ca, timeoutMs: 2000 })
    const effects = {
      http: ((request) => {
        sent += 1
        return transport(request)
      }) satisfies typeof transport,
      sleep: (ms: number, signal?: AbortSignal) => {
        sleeps += 1
        return () =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, ms)
            signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
          })
      },
    }
    const app = createConfidentialClient(config(effects))
    const user = createPublicClient({ clientId: 'public-hits', authority: idp.authority(), validateAuthority: false, ...effects })
    await app.acquireTokenForClient([SCOPE])
    await user.acquireTokenByUsernamePassword('hana@authfold.test', 'hana-pa55-local', ['User.Read'])
    const [account] = await user.getAccounts()
    if (account === undefined) throw new Error('no account')
    expect(sleeps).toBeGreaterThan(0) // a call that is not a hit waits for its deadline through sleep
    const [sleepsBefore, sentBefore] = [sleeps, sent]
    for (let i = 0; i < 50; i++) {
      expect((await app.acquireTokenForClient([SCOPE])).token_source).toBe('cache')
      expect((await user.acquireTokenSilent(['User.Read'], account))?.token_source).toBe('cache')
      expect((await user.acquireTokenSilentWithError(['User.Read'], account))?.token_source).toBe('cache')
    }
    expect([sleeps - sleepsBefore, sent - sentBefore]).toEqual([0, 0])
    // a call the shortcut cannot answer still runs under its deadline
    await app.acquireTokenForClient(['api://other/.default'])
    expect(sleeps - sleepsBefore).toBe(1)
  })

  it('acquireTokenSilent: a reserved scope is refused even when a cached token holds it (the shortcut checks the scopes as the grant does)', async () => {
    const app = createPublicClient({ clientId: 'public-hits', authority: idp.authority(), http: nodeHttpClient({ ca: idp.ca, timeoutMs: 2000 }), validateAuthority: false })
    await app.acquireTokenByUsernamePassword('hana@authfold.test', 'hana-pa55-local', ['User.Read'])
    const [account] = await app.getAccounts()
    if (account === undefined) throw new Error('no account')
    // the cached token's target is "User.Read openid profile offline_access": a lookup alone would answer
    for (const scopes of [['User.Read', 'profile'], ['openid']]) {
      await expect(app.acquireTokenSilent(scopes, account)).rejects.toMatchObject({ authError: { _tag: 'ConfigError', code: 'reserved_scope' } })
    }
  })
})
