/**
 * The facades' cache-hit path (`cacheHitNow`, the memoized policies, the Promise forms)
 * answers exactly as the grants do, for any cache and any sequence of calls: a client
 * whose store has no `peek` (so every call runs the grant: `cacheFirst`, `decideSilent`)
 * is the reference. Same results (fields, values, key order), same failures, same log
 * lines, same cache hits counted in the telemetry the next request carries, across cache
 * replacements (no answer of an older state survives) and a caller changing its scopes
 * array between calls.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as TE from 'fp-ts/TaskEither'
import { memoryStore, type CacheStore } from '@authfold/cache'
import { clientSecret, type HttpRequest, type HttpResponse, type LogLevel } from '@authfold/core'
import { createConfidentialClient, type ConfidentialClient } from './confidentialClient.js'

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
const ORIGIN = 'https://login.microsoftonline.com'
const CLIENT_ID = 'hits-property-app'
const NOW_MS = 1_800_000_000_500 // a fraction of a second: expiry is compared with fractional seconds
const NOW_S = Math.floor(NOW_MS / 1000)
const json = (body: unknown, status = 200): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** Discovery answered; every token request refused (invalid_grant), so a miss sends one and fails the same way on both paths. */
const scriptedIdp = (sent: Array<HttpRequest>) => (req: HttpRequest) => {
  const path = new URL(req.url).pathname
  if (path.endsWith('/discovery/instance'))
    return TE.right(
      json({
        tenant_discovery_endpoint: `${ORIGIN}/${TENANT}/v2.0/.well-known/openid-configuration`,
        metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net', 'sts.windows.net'] }],
      }),
    )
  if (path.endsWith('/openid-configuration'))
    return TE.right(json({ issuer: `${ORIGIN}/${TENANT}/v2.0`, authorization_endpoint: `${ORIGIN}/${TENANT}/oauth2/v2.0/authorize`, token_endpoint: `${ORIGIN}/${TENANT}/oauth2/v2.0/token` }))
  sent.push(req)
  return TE.right(json({ error: 'invalid_grant', error_description: 'AADSTS70000: scripted refusal.' }, 400))
}

/** A store without `peek`: every call runs the grant (the reference path). */
const loadOnly = (): CacheStore => {
  const inner = memoryStore()
  return { load: inner.load, update: inner.update }
}

const HOMES = ['uid1.utid', 'uid2.utid'] as const
const SCOPES = ['User.Read', 'user.read', 'Mail.Send', 'api://a/.default', 'api://b/.default', 'openid', 'offline_access', ''] as const

// mostly the value that answers the calls below (so that most calls are hits), else one that does not
const mostly = <T,>(usual: fc.Arbitrary<T>, other: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ weight: 6, arbitrary: usual }, { weight: 1, arbitrary: other })
const accessToken = fc.record({
  home: mostly(fc.constantFrom('', HOMES[0]), fc.constant(HOMES[1])),
  environment: mostly(fc.constantFrom('login.microsoftonline.com', 'login.windows.net'), fc.constantFrom('LOGIN.windows.net', 'other.example')),
  clientId: mostly(fc.constant(CLIENT_ID), fc.constant('another-app')),
  realm: mostly(fc.constant(TENANT), fc.constant('other-tenant')),
  target: mostly(
    fc.constantFrom('User.Read openid profile offline_access', 'api://a/.default', 'user.read Mail.Send'),
    fc.subarray(['User.Read', 'Mail.Send', 'api://a/.default', 'api://b/.default', 'openid', 'profile', 'offline_access']).map((xs) => xs.join(' ')),
  ),
  // around the five-minute margin and the fractional second
  expiresIn: mostly(fc.integer({ min: 301, max: 4000 }), fc.oneof(fc.integer({ min: -100, max: 300 }), fc.constantFrom(299, 300, 301))),
  refreshOn: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    fc.integer({ min: -200, max: 3000 }).map((d) => String(NOW_S + d)),
    fc.constantFrom('', 'garbage', String(NOW_S), ` ${NOW_S + 100} `),
  ),
  tokenType: mostly(fc.constantFrom(undefined, 'Bearer'), fc.constantFrom('bearer', 'pop')),
  secret: fc.constantFrom('at-one', 'at-two', 'at-three'),
})
type AccessTokenSpec = typeof accessToken extends fc.Arbitrary<infer T> ? T : never

const cacheJson = (ats: ReadonlyArray<AccessTokenSpec>, refreshTokenFor: ReadonlyArray<string>): string => {
  const at: Record<string, unknown> = {}
  ats.forEach((a, i) => {
    at[`at-${i}`] = {
      home_account_id: a.home,
      environment: a.environment,
      credential_type: 'AccessToken',
      client_id: a.clientId,
      secret: a.secret,
      realm: a.realm,
      target: a.target,
      cached_at: String(NOW_S - 10),
      expires_on: String(NOW_S + a.expiresIn),
      extended_expires_on: String(NOW_S + a.expiresIn),
      ...(a.refreshOn === undefined ? {} : { refresh_on: a.refreshOn }),
      ...(a.tokenType === undefined ? {} : { token_type: a.tokenType }),
    }
  })
  const rt: Record<string, unknown> = {}
  for (const home of refreshTokenFor)
    rt[`rt-${home}`] = { home_account_id: home, environment: 'login.microsoftonline.com', credential_type: 'RefreshToken', client_id: CLIENT_ID, secret: `rt-${home}` }
  return JSON.stringify({ AccessToken: at, RefreshToken: rt, Account: {}, IdToken: {}, AppMetadata: {} })
}

type Call =
  | { readonly _tag: 'silent'; readonly scopes: ReadonlyArray<string>; readonly account: number; readonly options: number; readonly form: 'promise' | 'te' | 'withError' }
  | { readonly _tag: 'client'; readonly scopes: ReadonlyArray<string>; readonly options: number; readonly form: 'promise' | 'te' }
  | { readonly _tag: 'mutate'; readonly scope: string }
  | { readonly _tag: 'load'; readonly cache: number }

const scopesArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(['User.Read'], ['api://a/.default'], ['Mail.Send', 'user.read']) },
  fc.array(fc.constantFrom(...SCOPES), { minLength: 0, maxLength: 3 }),
)
const call: fc.Arbitrary<Call> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ _tag: fc.constant('silent' as const), scopes: scopesArb, account: fc.nat(5), options: fc.nat(5), form: fc.constantFrom('promise' as const, 'te' as const, 'withError' as const) }) },
  { weight: 3, arbitrary: fc.record({ _tag: fc.constant('client' as const), scopes: scopesArb, options: fc.nat(5), form: fc.constantFrom('promise' as const, 'te' as const) }) },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant('mutate' as const), scope: fc.constantFrom(...SCOPES) }) },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant('load' as const), cache: fc.nat(1) }) },
)

// the accounts a call may pass: two signed-in users, none (app tokens), and two that are no account
const ACCOUNTS = [{ home_account_id: HOMES[0] }, { home_account_id: HOMES[1] }, null, { username: 'no-home@authfold.test' }, { home_account_id: '' }, { home_account_id: HOMES[0] }] as const
const SILENT_OPTIONS = [{}, {}, { forceRefresh: false }, { forceRefresh: true }, { claimsChallenge: '{"access_token":{"xms_cc":{"values":["cp1"]}}}' }, { correlationId: 'c0ffee00-0000-4000-8000-000000000000' }] as const
const CLIENT_OPTIONS = [{}, {}, { fmiPath: 'a/b' }, { forceRefresh: true }, { claimsChallenge: '{"access_token":{"nbf":{"essential":true,"value":"1"}}}' }, { correlationId: 'c0ffee00-0000-4000-8000-000000000001' }] as const

/** What a call answered, comparable across the two clients (key order kept: JSON). */
const outcome = async (answer: () => Promise<unknown>): Promise<string> => {
  try {
    return `ok ${JSON.stringify(await answer()) ?? 'undefined'}`
  } catch (e) {
    const error = (e as { readonly authError?: { readonly _tag: string; readonly code?: string; readonly message: string } }).authError
    return error === undefined ? `threw ${String(e)}` : `failed ${error._tag} ${error.code ?? ''} ${error.message}`
  }
}

const runCall = (app: ConfidentialClient, c: Call, scopes: ReadonlyArray<string>): Promise<unknown> => {
  if (c._tag === 'silent') {
    const account = ACCOUNTS[c.account] as never
    const options = SILENT_OPTIONS[c.options]
    if (c.form === 'te')
      return app.te.acquireTokenSilent(scopes, account, options)().then((r) => (r._tag === 'Right' ? r.right : Promise.reject(Object.assign(new Error(r.left.message), { authError: r.left }))))
    return c.form === 'promise' ? app.acquireTokenSilent(scopes, account, options) : app.acquireTokenSilentWithError(scopes, account, options)
  }
  const options = CLIENT_OPTIONS[(c as { readonly options: number }).options]
  if ((c as { readonly form: string }).form === 'te')
    return app.te.acquireTokenForClient(scopes, options)().then((r) => (r._tag === 'Right' ? r.right : Promise.reject(Object.assign(new Error(r.left.message), { authError: r.left }))))
  return app.acquireTokenForClient(scopes, options)
}

describe('the facades answer cache hits as the grants do', () => {
  it('for any cache and sequence of calls: the same results, failures, log lines and telemetry counts as a store the grant reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.array(accessToken, { minLength: 2, maxLength: 10 }), fc.subarray([...HOMES])),
        fc.tuple(fc.array(accessToken, { minLength: 2, maxLength: 10 }), fc.subarray([...HOMES])),
        fc.array(call, { minLength: 1, maxLength: 12 }),
        async (first, second, calls) => {
          const caches = [cacheJson(...first), cacheJson(...second)]
          const make = (cacheStore: CacheStore | undefined) => {
            const lines: Array<string> = []
            const sent: Array<HttpRequest> = []
            const app = createConfidentialClient({
              clientId: CLIENT_ID,
              authority: `${ORIGIN}/${TENANT}`,
              credential: clientSecret('hits-property-secret'),
              http: scriptedIdp(sent),
              now: () => NOW_MS,
              disableHttpPolicy: true,
              retry: false,
              logger: (level: LogLevel, message: string) => void lines.push(`${level} ${message}`),
              ...(cacheStore === undefined ? {} : { cacheStore }),
            })
            return { app, lines, sent }
          }
          const fast = make(undefined)
          const slow = make(loadOnly())
          for (const side of [fast, slow]) {
            await side.app.deserializeCache(caches[0] as string)
            await side.app.resolveAuthority()
          }
          // one scopes array per kind of call, reused and changed in place, as a caller may
          const arrays = { silent: [] as Array<string>, client: [] as Array<string> }
          for (const c of calls) {
            if (c._tag === 'load') {
              for (const side of [fast, slow]) await side.app.deserializeCache(caches[c.cache] as string)
              continue
            }
            if (c._tag === 'mutate') {
              if (arrays.silent.length > 0) arrays.silent[0] = c.scope
              if (arrays.client.length > 0) arrays.client[arrays.client.length - 1] = c.scope
              continue
            }
            const scopes = arrays[c._tag]
            if (c.scopes.length > 0) scopes.splice(0, scopes.length, ...c.scopes)
            const [a, b] = [await outcome(() => runCall(fast.app, c, scopes)), await outcome(() => runCall(slow.app, c, scopes))]
            expect(a).toBe(b)
          }
          expect(fast.lines).toEqual(slow.lines)
          // the hits counted so far are in the last-telemetry header of the next request
          const hitsCounted = (sent: ReadonlyArray<HttpRequest>) => sent.map((r) => /^4\|(\d+)\|/.exec(r.headers['x-client-last-telemetry'] ?? '')?.[1])
          for (const side of [fast, slow]) await outcome(() => side.app.acquireTokenForClient(['api://telemetry/.default']))
          expect(hitsCounted(fast.sent)).toEqual(hitsCounted(slow.sent))
          expect(fast.sent.length).toBe(slow.sent.length)
        },
      ),
      { numRuns: 300 },
    )
  }, 120_000)
})
