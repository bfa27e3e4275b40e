import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as TE from 'fp-ts/TaskEither'
import { clientSecret, type GrantEnv, type HttpRequest, type HttpResponse } from '@authfold/core'
import { appTokenCacheFromJson, appTokenCacheToJson, deserialize, emptyAppTokenCache, emptyCache, serialize, type AppTokenCache, type CacheState } from '@authfold/cache'
import { testAuthority } from '../grant.testkit.js'
import { clientCredentials } from '../clientCredentials/clientCredentials.js'
import { appToken, peekAppToken } from './appToken.js'

const authority = testAuthority(['login.example', 'login.alias.example'])
const params = { clientId: 'app-1', authority, credential: clientSecret('s3cret'), scopes: ['https://api.example/.default'] }

const scripted = (answers: ReadonlyArray<HttpResponse>) => {
  const sent: HttpRequest[] = []
  const http = (req: HttpRequest) => {
    sent.push(req)
    return TE.right(answers[Math.min(sent.length - 1, answers.length - 1)] as HttpResponse)
  }
  return { http, sent }
}
const answer = (body: Record<string, unknown>, status = 200): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const envWith = (http: GrantEnv['http'], nowMs = 1_700_000_000_000): GrantEnv => ({
  http,
  now: () => nowMs,
  random: (n) => new Uint8Array(n).fill(7),
  sleep: () => async () => undefined,
  log: () => undefined,
})
const form = (req: HttpRequest | undefined) => Object.fromEntries(new URLSearchParams(req?.body ?? ''))

describe('appToken (the lean client credentials grant)', () => {
  it('sends what clientCredentials sends, and answers and folds the cache as it does (any answer, 300 runs)', async () => {
    const answerArb = fc.record(
      {
        access_token: fc.string({ minLength: 1 }).filter((s) => /\S/.test(s)),
        expires_in: fc.integer({ min: 1, max: 100_000 }),
        ext_expires_in: fc.integer({ min: 1, max: 100_000 }),
        refresh_in: fc.integer({ min: 1, max: 100_000 }),
        token_type: fc.constantFrom('Bearer', 'pop'),
        scope: fc.string(),
      },
      { requiredKeys: ['access_token'] },
    )
    await fc.assert(
      fc.asyncProperty(answerArb, async (body) => {
        const lean = scripted([answer(body)])
        const full = scripted([answer(body)])
        const a = await appToken(params)(emptyAppTokenCache)(envWith(lean.http))()
        const b = await clientCredentials(params)(emptyCache)(envWith(full.http))()
        expect(a._tag).toBe('Right')
        if (a._tag !== 'Right' || b._tag !== 'Right') return expect(b._tag).toBe('Right')
        expect(a.right[0]).toStrictEqual(b.right[0])
        expect(appTokenCacheToJson(a.right[1])).toBe(serialize(b.right[1]))
        expect(lean.sent[0]?.url).toBe(full.sent[0]?.url)
        expect(form(lean.sent[0])).toStrictEqual(form(full.sent[0]))
        expect(lean.sent[0]?.headers['client-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      }),
      { numRuns: 300 },
    )
  })

  it('answers the second call from the cache, with no request, as MSAL does', async () => {
    const { http, sent } = scripted([answer({ access_token: 'at-1', expires_in: 3600, token_type: 'Bearer' })])
    const first = await appToken(params)(emptyAppTokenCache)(envWith(http))()
    if (first._tag !== 'Right') return expect(first._tag).toBe('Right')
    const second = await appToken(params)(first.right[1])(envWith(http, 1_700_000_060_000))()
    expect(second._tag === 'Right' && second.right[0]).toMatchObject({ access_token: 'at-1', token_source: 'cache' })
    expect(sent).toHaveLength(1)
  })

  it('a cache the full grant saved answers the lean grant from the cache, and the cache the lean grant saved answers the full grant', async () => {
    const { http, sent } = scripted([answer({ access_token: 'at-full', expires_in: 3600, refresh_in: 1800 }), answer({ access_token: 'at-lean', expires_in: 3600 })])
    const byFull = await clientCredentials(params)(emptyCache)(envWith(http))()
    if (byFull._tag !== 'Right') return expect(byFull._tag).toBe('Right')
    const loaded = appTokenCacheFromJson(serialize(byFull.right[1]))
    if (loaded._tag !== 'Right') return expect(loaded._tag).toBe('Right')
    const hit = await appToken(params)(loaded.right)(envWith(http, 1_700_000_600_000))()
    expect(hit._tag === 'Right' && hit.right[0]).toStrictEqual({ access_token: 'at-full', token_type: 'Bearer', expires_in: 3000, token_source: 'cache', refresh_on: 1_700_001_800 })
    expect(sent).toHaveLength(1)
    const byLean = await appToken({ ...params, scopes: ['https://other.example/.default'] })(loaded.right)(envWith(http))()
    if (byLean._tag !== 'Right') return expect(byLean._tag).toBe('Right')
    const full = deserialize(appTokenCacheToJson(byLean.right[1]))
    if (full._tag !== 'Right') return expect(full._tag).toBe('Right')
    const fullHit = await clientCredentials({ ...params, scopes: ['https://other.example/.default'] })(full.right)(envWith(http))()
    expect(fullHit._tag === 'Right' && fullHit.right[0]).toMatchObject({ access_token: 'at-lean', token_source: 'cache' })
    expect(sent).toHaveLength(2)
  })

  it('an OAuth error answer is a ProtocolError without the secret, and the cache is left as it was', async () => {
    const { http } = scripted([answer({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' }, 401)])
    const r = await appToken(params)(emptyAppTokenCache)(envWith(http))()
    expect(r._tag === 'Left' && r.left).toMatchObject({ _tag: 'ProtocolError', error: 'invalid_client', status: 401 })
    expect(JSON.stringify(r)).not.toContain('s3cret')
  })

  it('refuses an empty scope list before any request', async () => {
    const { http, sent } = scripted([answer({ access_token: 'x' })])
    const r = await appToken({ ...params, scopes: [] })(emptyAppTokenCache)(envWith(http))()
    expect(r._tag === 'Left' && r.left).toMatchObject({ _tag: 'ConfigError', field: 'scopes' })
    expect(sent).toHaveLength(0)
  })

  it('peekAppToken answers nothing for no scopes or a blank one, even with a token cached (appToken refuses them)', async () => {
    const { http } = scripted([answer({ access_token: 'at-1', expires_in: 3600, token_type: 'Bearer' })])
    const first = await appToken(params)(emptyAppTokenCache)(envWith(http))()
    if (first._tag !== 'Right') return expect(first._tag).toBe('Right')
    const now = 1_700_000_060
    expect(peekAppToken(params)(first.right[1], now)).toMatchObject({ access_token: 'at-1', token_source: 'cache' })
    for (const scopes of [[], [' ']]) {
      expect(peekAppToken({ ...params, scopes })(first.right[1], now)).toBeUndefined()
      const r = await appToken({ ...params, scopes })(first.right[1])(envWith(http, now * 1000))()
      expect(r._tag === 'Left' && r.left).toMatchObject({ _tag: 'ConfigError', field: 'scopes' })
    }
  })

  it('stays in step with clientCredentials over a run of calls: cache hits (also peeked), proactive refreshes (also failing ones), errors (200 runs)', async () => {
    const bodyArb = fc.oneof(
      fc.record({ access_token: fc.constantFrom('at-a', 'at-b'), expires_in: fc.integer({ min: 60, max: 7200 }), refresh_in: fc.integer({ min: 1, max: 3600 }) }, { requiredKeys: ['access_token', 'expires_in'] }).map((b) => answer(b)),
      fc.constant(answer({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' }, 401)),
      fc.constant<HttpResponse>({ status: 503, headers: { 'retry-after': '5' }, body: 'busy' }),
    )
    const stepArb = fc.record({ advanceSeconds: fc.integer({ min: 0, max: 4000 }), response: bodyArb })
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
        let lean: AppTokenCache = emptyAppTokenCache
        let full: CacheState = emptyCache
        let nowMs = 1_700_000_000_000
        for (const step of steps) {
          nowMs += step.advanceSeconds * 1000
          const l = scripted([step.response])
          const f = scripted([step.response])
          const leanLog: Array<string> = []
          const fullLog: Array<string> = []
          const hits = { lean: 0, full: 0 }
          const counting = (k: 'lean' | 'full') => ({ headers: () => ({}), record: () => undefined, hit: () => void hits[k]++ })
          const peeked = peekAppToken(params)(lean, nowMs / 1000)
          const a = await appToken(params)(lean)({ ...envWith(l.http, nowMs), log: (_level, message) => void leanLog.push(message), telemetry: counting('lean') })()
          const b = await clientCredentials(params)(full)({ ...envWith(f.http, nowMs), log: (_level, message) => void fullLog.push(message), telemetry: counting('full') })()
          expect(a._tag).toBe(b._tag)
          if (a._tag === 'Right' && b._tag === 'Right') {
            expect(a.right[0]).toStrictEqual(b.right[0])
            expect(appTokenCacheToJson(a.right[1])).toBe(serialize(b.right[1]))
            lean = a.right[1]
            full = b.right[1]
          } else expect(a).toStrictEqual(b)
          expect(l.sent.length).toBe(f.sent.length)
          expect(leanLog).toStrictEqual(fullLog)
          expect(hits.lean).toBe(hits.full)
          // the synchronous peek answers exactly the calls answered with no request
          expect(peeked).toStrictEqual(l.sent.length === 0 && a._tag === 'Right' ? a.right[0] : undefined)
        }
      }),
      { numRuns: 200 },
    )
  })
})
