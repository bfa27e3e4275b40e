/**
 * Single flight against the local IdP over real HTTPS: identical concurrent calls on one
 * client share one token request (counted in the IdP's request log), calls that differ in
 * anything that changes the answer never do, and cancellation, deadlines and failures of a
 * shared request reach each sharer as its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { decodeJwt } from 'jose'
import { ApiId, RefreshReason, clientSecret, timerSleep, type AuthError, type HttpClient } from '@authfold/core'
import { serialize, type CacheStore } from '@authfold/cache'
import { clientCredentials, clientCredentialsRequest, requestToken, type AuthResult } from '@authfold/grants'
import { nodeHttpClient } from '@authfold/node'
import { DEVICE_CODE_GRANT, startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { callGrant, callWithAuthority, confidentialContext, type ConfidentialContext } from './context.js'
import { acquireTokenForClient, type AcquireTokenForClientOptions } from './methods/acquireTokenForClient.js'
import { createConfidentialClient } from './confidentialClient.js'
import { createPublicClient } from './publicClient.js'
import type { AuthFailure } from './failure.js'

const SECRET = 'flight-secret-Qx7!'
const PASSWORD = 'flight password 42'
const A = 'api://resource-a/.default'
const B = 'api://resource-b/.default'

let idp: IdentityProvider
let http: HttpClient

beforeAll(async () => {
  idp = await startIdentityProvider()
  http = nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 })
  idp.registerClient({ clientId: 'daemon', secret: SECRET })
  idp.registerClient({ clientId: 'desktop' })
  idp.registerUser({ username: 'ann@authfold.test', password: PASSWORD })
  idp.registerUser({ username: 'ben@authfold.test', password: PASSWORD })
})
afterAll(async () => idp.stop())

const daemon = (): ConfidentialContext => {
  const built = confidentialContext({ clientId: 'daemon', authority: idp.authority(), credential: clientSecret(SECRET), http, validateAuthority: false })
  if (E.isLeft(built)) throw new Error(built.left.message)
  return built.right
}
/** A context whose authority is already resolved, and an empty request log. */
const ready = async (ctx: ConfidentialContext = daemon()): Promise<ConfidentialContext> => {
  expect(E.isRight(await ctx.resolved())).toBe(true)
  idp.clearRequests()
  return ctx
}
const forClient = (ctx: ConfidentialContext, scopes: ReadonlyArray<string>, options: AcquireTokenForClientOptions = {}) => acquireTokenForClient(ctx)(scopes, options)()
const tokenPosts = () => idp.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token'))
const cacheDoc = async (store: CacheStore): Promise<Record<string, Record<string, Record<string, unknown>>>> => {
  const loaded = await store.load()()
  if (E.isLeft(loaded)) throw new Error(loaded.left.message)
  return JSON.parse(serialize(loaded.right)) as Record<string, Record<string, Record<string, unknown>>>
}
const right = (r: E.Either<AuthError, AuthResult>): AuthResult => {
  if (E.isLeft(r)) throw new Error(`expected a token, got ${r.left._tag} ${r.left.message}`)
  return r.right
}
const claimsOf = (r: AuthResult): Record<string, unknown> => decodeJwt(r.access_token)
const elapsed = async <T>(p: Promise<T>): Promise<readonly [T, number]> => {
  const started = Date.now()
  const value = await p
  return [value, Date.now() - started]
}

describe('single flight: identical concurrent calls share one request', () => {
  it('100 concurrent acquireTokenForClient calls: one token POST, one token for all, one access token cached, no entry left', async () => {
    const ctx = await ready()
    const results = (await Promise.all(Array.from({ length: 100 }, () => forClient(ctx, [A])))).map(right)
    expect(tokenPosts()).toHaveLength(1)
    expect(tokenPosts()[0]?.status).toBe(200)
    expect(new Set(results.map((r) => r.access_token)).size).toBe(1)
    expect(results.every((r) => r.token_source === 'identity_provider')).toBe(true)
    expect(claimsOf(results[0] as AuthResult)).toMatchObject({ aud: 'api://resource-a', appid: 'daemon', tid: idp.tenantId })
    const at = Object.values((await cacheDoc(ctx.store))['AccessToken'] ?? {})
    expect(at).toHaveLength(1)
    expect(at[0]).toMatchObject({ target: A, secret: results[0]?.access_token })
    expect(ctx.flights.size()).toBe(0)
    // and the next call is a cache hit that sends nothing
    expect(right(await forClient(ctx, [A]))).toMatchObject({ token_source: 'cache', access_token: results[0]?.access_token })
    expect(tokenPosts()).toHaveLength(1)
  })

  it('100 concurrent calls split over scopes, claims, fmi_path, token endpoint and extra form fields: one request per distinct key, each caller the right token', async () => {
    const ctx = await ready()
    // The IdP has one tenant: the other token endpoint is that tenant by its domain name.
    const resolved = await ctx.resolved()
    if (E.isLeft(resolved)) throw new Error(resolved.left.message)
    const otherAuthority = { ...resolved.right, metadata: { ...resolved.right.metadata, token_endpoint: idp.tokenEndpoint(idp.tenantDomain) } }
    idp.clearRequests()
    const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}'
    const extra = (value: string) =>
      callWithAuthority(ctx, {}, (authority, env) =>
        requestToken(
          { tokenEndpoint: authority.metadata.token_endpoint, clientId: 'daemon', fields: { ...clientCredentialsRequest({ scopes: [A] }), x_extra: value } },
          ctx.credential,
          { apiId: ApiId.acquireTokenForClient, refreshReason: RefreshReason.atAbsent },
        )(env),
      )
    const kinds = [
      { name: 'A', run: () => forClient(ctx, [A]), check: { aud: 'api://resource-a', tid: idp.tenantId } },
      { name: 'B', run: () => forClient(ctx, [B]), check: { aud: 'api://resource-b' } },
      { name: 'A+claims', run: () => forClient(ctx, [A], { claimsChallenge: CLAIMS }), check: { aud: 'api://resource-a', xms_claims: CLAIMS } },
      { name: 'A+fmi1', run: () => forClient(ctx, [A], { fmiPath: 'agent/1' }), check: { aud: 'api://resource-a', fmi_path: 'agent/1' } },
      { name: 'A+fmi2', run: () => forClient(ctx, [A], { fmiPath: 'agent/2' }), check: { aud: 'api://resource-a', fmi_path: 'agent/2' } },
      {
        name: 'A@other-endpoint',
        run: () => callGrant(ctx, {}, () => clientCredentials({ clientId: 'daemon', authority: otherAuthority, credential: ctx.credential, scopes: [A] }))(),
        check: { aud: 'api://resource-a', tid: idp.tenantId },
      },
      { name: 'A+x1', run: () => extra('1')().then(E.map((answer) => ({ ...answer, token_source: 'identity_provider' }) as AuthResult)), check: { aud: 'api://resource-a' } },
      { name: 'A+x2', run: () => extra('2')().then(E.map((answer) => ({ ...answer, token_source: 'identity_provider' }) as AuthResult)), check: { aud: 'api://resource-a' } },
    ] as const
    const calls = Array.from({ length: 100 }, (_, i) => kinds[i % kinds.length] as (typeof kinds)[number])
    const results = (await Promise.all(calls.map((k) => k.run()))).map(right)
    expect(tokenPosts()).toHaveLength(kinds.length)
    const tokenOf = new Map<string, string>()
    calls.forEach((k, i) => {
      const r = results[i] as AuthResult
      const claims = claimsOf(r)
      expect(claims).toMatchObject(k.check)
      if (k.name.startsWith('A') && !('xms_claims' in k.check)) expect(claims['xms_claims']).toBeUndefined()
      if (!('fmi_path' in k.check)) expect(claims['fmi_path']).toBeUndefined()
      const seen = tokenOf.get(k.name)
      if (seen === undefined) tokenOf.set(k.name, r.access_token)
      else expect(r.access_token).toBe(seen)
    })
    expect(new Set(tokenOf.values()).size).toBe(kinds.length)
    expect(tokenPosts().map((p) => p.form['x_extra']).filter((x) => x !== undefined).sort()).toEqual(['1', '2'])
    expect(tokenPosts().filter((p) => p.path === `/${idp.tenantDomain}/oauth2/v2.0/token`)).toHaveLength(1)
    expect(ctx.flights.size()).toBe(0)
  })
})

describe('single flight outside the call limits', () => {
  it('a grant run on the context\'s own environment (no call signal) shares too', async () => {
    const ctx = await ready()
    const resolved = await ctx.resolved()
    if (E.isLeft(resolved)) throw new Error(resolved.left.message)
    const grant = clientCredentials({ clientId: 'daemon', authority: resolved.right, credential: ctx.credential, scopes: [B] })
    const results = (await Promise.all([1, 2, 3].map(() => ctx.run(grant, ctx.env)()))).map(right)
    expect(tokenPosts()).toHaveLength(1)
    expect(new Set(results.map((r) => r.access_token)).size).toBe(1)
    expect(ctx.flights.size()).toBe(0)
  })
})

describe('single flight: cancellation, deadlines and failures of a shared request', () => {
  it('one sharer of two aborting gets aborted at once; the other still gets the token of the one request, which was not cut', async () => {
    const ctx = await ready()
    idp.inject({ delayMs: 600 })
    const quitter = new AbortController()
    const first = elapsed(forClient(ctx, [A], { signal: quitter.signal }))
    const second = forClient(ctx, [A])
    setTimeout(() => quitter.abort(), 50)
    const [aborted, ms] = await first
    expect(aborted).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'aborted' } })
    expect(ms).toBeLessThan(400)
    const kept = right(await second)
    expect(claimsOf(kept)).toMatchObject({ aud: 'api://resource-a' })
    expect(tokenPosts()).toHaveLength(1)
    expect(tokenPosts()[0]?.status).toBe(200)
    expect(Object.values((await cacheDoc(ctx.store))['AccessToken'] ?? {})).toHaveLength(1)
    expect(ctx.flights.size()).toBe(0)
  })

  it('one sharer\'s deadline is its own timeout; the other sharer gets the token', async () => {
    const ctx = await ready()
    idp.inject({ delayMs: 600 })
    const [late, kept] = await Promise.all([elapsed(forClient(ctx, [A], { timeoutMs: 100 })), forClient(ctx, [A])])
    expect(late[0]).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'timeout' } })
    expect(late[1]).toBeLessThan(400)
    expect(right(kept).token_source).toBe('identity_provider')
    expect(tokenPosts()).toHaveLength(1)
    expect(ctx.flights.size()).toBe(0)
  })

  it('when every sharer has gone, the shared request is cut, nothing is cached and no entry is left', async () => {
    const ctx = await ready()
    idp.inject({ delayMs: 800 })
    const controller = new AbortController()
    const calls = Promise.all([1, 2, 3].map(() => forClient(ctx, [A], { signal: controller.signal })))
    setTimeout(() => controller.abort(), 50)
    for (const r of await calls) expect(r).toMatchObject({ _tag: 'Left', left: { code: 'aborted' } })
    expect(ctx.flights.size()).toBe(0)
    expect(tokenPosts()).toHaveLength(1)
    expect(Object.keys((await cacheDoc(ctx.store))['AccessToken'] ?? {})).toHaveLength(0)
    // a new call after that starts a request of its own and succeeds
    await new Promise((r) => setTimeout(r, 900))
    expect(right(await forClient(ctx, [A])).token_source).toBe('identity_provider')
    expect(tokenPosts()).toHaveLength(2)
  })

  it('a failed shared request fails every sharer with the same typed error, each its own Error and stack', async () => {
    const app = createConfidentialClient({ clientId: 'daemon', authority: idp.authority(), credential: clientSecret(SECRET), http, validateAuthority: false })
    await app.resolveAuthority()
    idp.clearRequests()
    idp.inject({ status: 400, body: JSON.stringify({ error: 'invalid_scope', error_description: 'AADSTS70011: The provided value for scope is not valid.', error_codes: [70011] }) })
    const failures = await Promise.all(Array.from({ length: 10 }, () => app.acquireTokenForClient([A]).then(() => undefined, (e: AuthFailure) => e)))
    expect(tokenPosts()).toHaveLength(1)
    for (const f of failures) {
      expect(f).toBeInstanceOf(Error)
      expect(f?.authError).toMatchObject({ _tag: 'ProtocolError', error: 'invalid_scope', status: 400, errorCodes: [70011] })
      expect(f?.authError).toEqual(failures[0]?.authError)
      expect(typeof f?.stack).toBe('string')
    }
    expect(new Set(failures).size).toBe(10)
    expect(new Set(failures.map((f) => f?.authError)).size).toBe(10)
  })
})

describe('single flight in the user grants', () => {
  const desktop = () => createPublicClient({ clientId: 'desktop', authority: idp.authority(), http, validateAuthority: false, sleep: timerSleep })

  it('20 concurrent username/password sign-ins of one user share one token POST; another user gets a request of their own; one of each entry cached per user', async () => {
    const app = desktop()
    await app.resolveAuthority()
    idp.clearRequests()
    // Each call first discovers the user's realm (a GET of its own); the first token answer of
    // each user is held back so that every call reaches the token step while it is in flight.
    idp.inject({ delayMs: 400 }, 2)
    const ann = Array.from({ length: 20 }, () => app.acquireTokenByUsernamePassword('ann@authfold.test', PASSWORD, ['User.Read']))
    const ben = Array.from({ length: 5 }, () => app.acquireTokenByUsernamePassword('ben@authfold.test', PASSWORD, ['User.Read']))
    const [annResults, benResults] = await Promise.all([Promise.all(ann), Promise.all(ben)])
    const posts = tokenPosts()
    expect(posts).toHaveLength(2)
    expect(posts.map((p) => p.form['username']).sort()).toEqual(['ann@authfold.test', 'ben@authfold.test'])
    expect(new Set(annResults.map((r) => r.access_token)).size).toBe(1)
    expect(new Set(benResults.map((r) => r.access_token)).size).toBe(1)
    expect(annResults[0]?.id_token_claims).toMatchObject({ preferred_username: 'ann@authfold.test' })
    expect(benResults[0]?.id_token_claims).toMatchObject({ preferred_username: 'ben@authfold.test' })
    const doc = await cacheDoc(app.cacheStore)
    for (const section of ['AccessToken', 'RefreshToken', 'IdToken', 'Account']) expect(Object.keys(doc[section] ?? {})).toHaveLength(2)
  })

  it('two concurrent redemptions of one auth code flow share the one redemption: both get the tokens (a later one is refused as used)', async () => {
    const app = desktop()
    const flow = await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: 'http://localhost:8400/callback' })
    const authResponse = await signIn(flow.auth_uri)
    idp.clearRequests()
    const [one, two] = await Promise.all([app.acquireTokenByAuthCodeFlow(flow, authResponse), app.acquireTokenByAuthCodeFlow(flow, authResponse)])
    expect(tokenPosts()).toHaveLength(1)
    expect(two.access_token).toBe(one.access_token)
    expect(one.id_token_claims).toMatchObject({ preferred_username: 'ann@authfold.test' })
    const doc = await cacheDoc(app.cacheStore)
    for (const section of ['AccessToken', 'RefreshToken', 'IdToken', 'Account']) expect(Object.keys(doc[section] ?? {})).toHaveLength(1)
    expect(await app.te.acquireTokenByAuthCodeFlow(flow, authResponse)()).toMatchObject({ _tag: 'Left', left: { _tag: 'ProtocolError', error: 'invalid_grant' } })
  })

  it('two concurrent pollers of one device flow share each poll and both get the token of its one redemption', async () => {
    idp.deviceCodes.configure({ lifetimeSeconds: 60, intervalSeconds: 1 })
    const app = desktop()
    const flow = await app.initiateDeviceFlow(['User.Read'])
    idp.clearRequests()
    const both = Promise.all([app.acquireTokenByDeviceFlow(flow), app.acquireTokenByDeviceFlow(flow)])
    setTimeout(() => idp.deviceCodes.approve(flow.user_code, 'ann@authfold.test'), 300)
    const [one, two] = await both
    expect(two.access_token).toBe(one.access_token)
    const polls = idp.requests.filter((r) => r.form['grant_type'] === DEVICE_CODE_GRANT)
    expect(polls.map((p) => p.status)).toEqual([400, 200])
    const doc = await cacheDoc(app.cacheStore)
    expect(Object.keys(doc['AccessToken'] ?? {})).toHaveLength(1)
  })
})

/** The user (ann) signs in on the IdP's page; gives what the redirect URI receives. */
const signIn = async (authUri: string): Promise<Record<string, string>> => {
  const get = await http({ method: 'GET', url: authUri, headers: {} })()
  if (E.isLeft(get)) throw new Error(get.left.message)
  const page = get.right.body
  const action = /<form method="POST" action="([^"]+)"/.exec(page)?.[1] ?? ''
  const hidden = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1] ?? '', (m[2] ?? '').replace(/&amp;/g, '&')]))
  const form = new URLSearchParams({ ...hidden, username: 'ann@authfold.test', password: PASSWORD, action: 'signin' }).toString()
  const posted = await http({ method: 'POST', url: `${idp.url}${action}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })()
  if (E.isLeft(posted)) throw new Error(posted.left.message)
  return Object.fromEntries(new URL(posted.right.headers['location'] ?? '').searchParams)
}
