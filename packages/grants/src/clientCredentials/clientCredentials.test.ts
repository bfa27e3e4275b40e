import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as TE from 'fp-ts/TaskEither'
import { clientSecret, httpError, telemetryRecorder, type GrantEnv, type HttpRequest, type HttpResponse, type ResolvedAuthority } from '@authfold/core'
import { deserialize, emptyCache, serialize, type CacheState } from '@authfold/cache'
import { testAuthority } from '../grant.testkit.js'
import { clientCredentials, type ClientCredentialsParams } from './clientCredentials.js'

const authority: ResolvedAuthority = testAuthority(['login.example', 'login.alias.example'])

const SECRET = 'super-secret-value'
const params = (over: Partial<ClientCredentialsParams> = {}): ClientCredentialsParams => ({
  clientId: 'app-1',
  authority,
  credential: clientSecret(SECRET),
  scopes: ['https://api.example/.default'],
  ...over,
})

/** A scripted HTTP effect: answers in order and records what was sent. */
const scripted = (answers: ReadonlyArray<HttpResponse | 'network'>) => {
  const sent: HttpRequest[] = []
  let i = 0
  const http = (req: HttpRequest) => {
    sent.push(req)
    const a = answers[Math.min(i++, answers.length - 1)]
    return a === 'network' || a === undefined ? TE.left(httpError('network', req.url, 'down')) : TE.right(a)
  }
  return { http, sent }
}

const ok = (token: string, extra: Record<string, unknown> = {}): HttpResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ token_type: 'Bearer', expires_in: 3600, access_token: token, ...extra }),
})

const envWith = (http: GrantEnv['http'], nowMs = 1_700_000_000_000): GrantEnv => ({
  http,
  now: () => nowMs,
  random: (n) => new Uint8Array(n).fill(1),
  sleep: () => async () => undefined,
  log: () => undefined,
})

const run = async (p: ClientCredentialsParams, cache: CacheState, env: GrantEnv) => clientCredentials(p)(cache)(env)()

const fields = (req: HttpRequest | undefined) => Object.fromEntries(new URLSearchParams(req?.body ?? ''))

describe('clientCredentials', () => {
  it('sends one client_credentials request, scopes undecorated, and folds the answer', async () => {
    const { http, sent } = scripted([ok('at-1')])
    const r = await run(params(), emptyCache, envWith(http))
    expect(r._tag).toBe('Right')
    if (r._tag !== 'Right') return
    const [result, cache] = r.right
    expect(result).toMatchObject({ access_token: 'at-1', token_type: 'Bearer', expires_in: 3600, token_source: 'identity_provider' })
    expect(sent).toHaveLength(1)
    expect(sent[0]?.url).toBe(authority.metadata.token_endpoint)
    expect(fields(sent[0])).toEqual({ grant_type: 'client_credentials', client_id: 'app-1', scope: 'https://api.example/.default', client_secret: SECRET })
    expect(sent[0]?.headers['client-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    const json = JSON.parse(serialize(cache)) as { AccessToken: Record<string, Record<string, string>> }
    const [entry] = Object.values(json.AccessToken)
    expect(entry).toMatchObject({ credential_type: 'AccessToken', secret: 'at-1', client_id: 'app-1', environment: 'login.example', realm: 'tenant-1', target: 'https://api.example/.default', home_account_id: null })
  })

  it('answers the second call from the cache with no request', async () => {
    const { http, sent } = scripted([ok('at-1')])
    const first = await run(params(), emptyCache, envWith(http))
    if (first._tag !== 'Right') throw new Error('first call failed')
    const second = await run(params(), first.right[1], envWith(http, 1_700_000_060_000))
    expect(second._tag === 'Right' && second.right[0]).toMatchObject({ access_token: 'at-1', token_source: 'cache', expires_in: 3540 })
    expect(second._tag === 'Right' && second.right[1]).toBe(first.right[1])
    expect(sent).toHaveLength(1)
  })

  it('refreshes when the token is within five minutes of expiry', async () => {
    const { http, sent } = scripted([ok('at-1'), ok('at-2')])
    const first = await run(params(), emptyCache, envWith(http))
    if (first._tag !== 'Right') throw new Error('first call failed')
    const later = await run(params(), first.right[1], envWith(http, 1_700_000_000_000 + 3_301_000))
    expect(later._tag === 'Right' && later.right[0].access_token).toBe('at-2')
    expect(sent).toHaveLength(2)
  })

  it('turns refresh_in into refresh_on, refreshes after it, and falls back to the cached token if that fails', async () => {
    const { http, sent } = scripted([ok('at-1', { expires_in: 86_400, refresh_in: 43_200 }), 'network'])
    const first = await run(params(), emptyCache, envWith(http))
    if (first._tag !== 'Right') throw new Error('first call failed')
    expect(first.right[0].refresh_on).toBe(1_700_000_000 + 43_200)
    const aging = await run(params(), first.right[1], envWith(http, (1_700_000_000 + 43_201) * 1000))
    expect(sent).toHaveLength(2)
    expect(aging._tag === 'Right' && aging.right[0]).toMatchObject({ access_token: 'at-1', token_source: 'cache' })
  })

  it('skips the cache for a claims challenge and merges client capabilities into claims', async () => {
    const { http, sent } = scripted([ok('at-1'), ok('at-2')])
    const first = await run(params(), emptyCache, envWith(http))
    if (first._tag !== 'Right') throw new Error('first call failed')
    const challenged = await run(
      params({ claimsChallenge: '{"access_token":{"nbf":{"essential":true,"value":"1"}}}', clientCapabilities: ['cp1'] }),
      first.right[1],
      envWith(http),
    )
    expect(challenged._tag === 'Right' && challenged.right[0].access_token).toBe('at-2')
    expect(JSON.parse(fields(sent[1]).claims ?? '{}')).toEqual({ access_token: { nbf: { essential: true, value: '1' }, xms_cc: { values: ['cp1'] } } })
  })

  it('sends fmi_path and keeps its token apart from the plain one', async () => {
    const { http, sent } = scripted([ok('plain'), ok('fmi')])
    const a = await run(params(), emptyCache, envWith(http))
    if (a._tag !== 'Right') throw new Error('plain call failed')
    const b = await run(params({ fmiPath: 'SomePath/Cred' }), a.right[1], envWith(http))
    if (b._tag !== 'Right') throw new Error('fmi call failed')
    expect(fields(sent[1]).fmi_path).toBe('SomePath/Cred')
    expect(b.right[0].access_token).toBe('fmi')
    const again = await run(params(), b.right[1], envWith(http))
    const againFmi = await run(params({ fmiPath: 'SomePath/Cred' }), b.right[1], envWith(http))
    expect(again._tag === 'Right' && again.right[0].access_token).toBe('plain')
    expect(againFmi._tag === 'Right' && againFmi.right[0].access_token).toBe('fmi')
    expect(sent).toHaveLength(2)
  })

  it('sends MSAL server telemetry through the env\'s one recorder: API 730, the refresh reason, the last failures and cache hits', async () => {
    const denied: HttpResponse = { status: 401, headers: {}, body: JSON.stringify({ error: 'invalid_client' }) }
    const { http, sent } = scripted([ok('at-1', { expires_in: 200 }), denied, ok('at-2'), ok('at-3')])
    const env = { ...envWith(http), telemetry: telemetryRecorder() }
    const a = await run(params(), emptyCache, env)
    if (a._tag !== 'Right') throw new Error('first failed')
    expect(await run(params({ correlationId: 'corr-1' }), a.right[1], env)).toMatchObject({ left: { error: 'invalid_client' } })
    const c = await run(params({ correlationId: 'corr-2' }), a.right[1], env)
    if (c._tag !== 'Right') throw new Error('third failed')
    const hit = await run(params(), c.right[1], env)
    expect(hit._tag === 'Right' && hit.right[0].token_source).toBe('cache')
    await run(params({ claimsChallenge: '{}' }), c.right[1], env)
    expect(sent.map((r) => r.headers['x-client-current-telemetry'])).toEqual(['4|730,2|', '4|730,3|', '4|730,3|', '4|730,1|'])
    expect(sent.map((r) => r.headers['x-client-last-telemetry'])).toEqual(['4|0|||', '4|0|||', '4|0|730,corr-1|invalid_client|', '4|1|||'])
    expect(sent.map((r) => r.headers['client-request-id']).slice(1, 3)).toEqual(['corr-1', 'corr-2'])
    expect(sent[0]?.headers['return-client-request-id']).toBe('true')
  })

  it('without a telemetry recorder it still sends the current call\'s telemetry, and no library headers (the HTTP policy owns those)', async () => {
    const { http, sent } = scripted([ok('at-1')])
    await run(params(), emptyCache, envWith(http))
    expect(sent[0]?.headers).toMatchObject({ 'x-client-current-telemetry': '4|730,2|', 'x-client-last-telemetry': '4|0|||' })
    expect(sent[0]?.headers['x-client-sku']).toBeUndefined()
  })

  it('files an absurd expires_in as whole seconds MSAL Python can int(), at most 365 days ahead', async () => {
    const { http } = scripted([ok('long', { expires_in: 1e308, ext_expires_in: 1e21 })])
    const r = await run(params(), emptyCache, envWith(http, 1_700_000_000_000))
    if (r._tag !== 'Right') throw new Error(r.left.message)
    const at = Object.values((JSON.parse(serialize(r.right[1])) as { AccessToken: Record<string, { expires_on: string; extended_expires_on: string }> }).AccessToken)[0]
    expect(at?.expires_on).toBe(String(1_700_000_000 + 31_536_000))
    expect(at?.extended_expires_on).toBe(String(1_700_000_000 + 31_536_000))
    expect(r.right[0].expires_in).toBe(31_536_000)
  })

  it('a blank access_token or an expires_in of 0 is a DecodeError, and nothing is cached', async () => {
    for (const answer of [ok('  '), ok('at', { expires_in: 0 })]) {
      const { http } = scripted([answer])
      expect(await run(params(), emptyCache, envWith(http))).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError' } })
    }
  })

  it('a cached token whose refresh_on is null (as MSAL Java writes it) is served from the cache, not refreshed', async () => {
    const { http, sent } = scripted([ok('first')])
    const a = await run(params(), emptyCache, envWith(http))
    if (a._tag !== 'Right') throw new Error(a.left.message)
    const doc = JSON.parse(serialize(a.right[1])) as { AccessToken: Record<string, Record<string, unknown>> }
    for (const at of Object.values(doc.AccessToken)) at['refresh_on'] = null
    const withNull = deserialize(JSON.stringify(doc))
    if (withNull._tag !== 'Right') throw new Error(withNull.left.message)
    const b = await run(params(), withNull.right, envWith(http))
    expect(b._tag === 'Right' && b.right[0]).toMatchObject({ access_token: 'first', token_source: 'cache' })
    expect(b._tag === 'Right' && b.right[0].refresh_on).toBeUndefined()
    expect(sent).toHaveLength(1)
  })

  it('refuses forceRefresh and empty scopes without sending anything', async () => {
    const { http, sent } = scripted([ok('x')])
    expect(await run(params({ forceRefresh: true }), emptyCache, envWith(http))).toMatchObject({ left: { _tag: 'ConfigError', code: 'unsupported' } })
    expect(await run(params({ scopes: [] }), emptyCache, envWith(http))).toMatchObject({ left: { _tag: 'ConfigError', field: 'scopes' } })
    expect(sent).toHaveLength(0)
  })

  it('leaves the cache exactly as it was on any failure, and never leaks the secret', async () => {
    const failures: ReadonlyArray<HttpResponse | 'network'> = [
      { status: 200, headers: {}, body: '<html>login proxy</html>' },
      { status: 200, headers: {}, body: '{"access_token":' },
      { status: 200, headers: {}, body: '{"token_type":"Bearer"}' },
      { status: 500, headers: {}, body: 'oops' },
      { status: 401, headers: {}, body: JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' }) },
      'network',
    ]
    const seeded = await run(params({ scopes: ['other/.default'] }), emptyCache, envWith(scripted([ok('seed')]).http))
    if (seeded._tag !== 'Right') throw new Error('seed failed')
    const before = serialize(seeded.right[1])
    for (const f of failures) {
      const r = await run(params(), seeded.right[1], envWith(scripted([f]).http))
      expect(r._tag).toBe('Left')
      expect(JSON.stringify(r)).not.toContain(SECRET)
      expect(serialize(seeded.right[1])).toBe(before)
    }
  })

  it('for any scope list and clock, a fresh token is found again without a request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}\/\.default$/), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }),
        async (scopes, now) => {
          const { http, sent } = scripted([ok('t')])
          const env = envWith(http, now * 1000)
          const a = await run(params({ scopes }), emptyCache, env)
          if (a._tag !== 'Right') throw new Error('first failed')
          const b = await run(params({ scopes: [...scopes].reverse() }), a.right[1], env)
          expect(b._tag === 'Right' && b.right[0].token_source).toBe('cache')
          expect(sent).toHaveLength(1)
        },
      ),
      { numRuns: 50 },
    )
  })
})
