import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import type { HttpClient, HttpRequest, HttpResponse } from '../http/http.js'
import { formPost } from '../http/http.js'
import { httpError } from '../errors/errors.js'
import { memoryHttpCache } from './httpCache.js'
import { DEVICE_CODE_GRANT_TYPE, badRequestSeconds, retryAfterSeconds, retryConnectionErrors, throttled } from './throttle.js'
import { libraryHeaders, withHeaders } from './headers.js'

const TOKEN = 'https://login.microsoftonline.com/t/oauth2/v2.0/token'
const res = (status: number, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, body: JSON.stringify({ status }) })

const harness = (answer: (req: HttpRequest, n: number) => HttpResponse | 'network') => {
  let t = 1_000_000
  const sent: Array<HttpRequest> = []
  const raw: HttpClient = (req) => {
    sent.push(req)
    const a = answer(req, sent.length)
    return a === 'network' ? TE.left(httpError('network', req.url, 'ECONNRESET')) : TE.right(a)
  }
  const store = memoryHttpCache()
  const http = throttled({ store, now: () => t })(raw)
  return { http, sent, store, advance: (s: number) => (t += s * 1000) }
}

const rt = (extra: Record<string, string> = {}) =>
  formPost(TOKEN, { client_id: 'c', grant_type: 'refresh_token', refresh_token: 'secret-rt', scope: 'openid User.Read', ...extra })

describe('throttling policy', () => {
  it('replays a 400 to an identical request for 60 s without sending', async () => {
    const h = harness(() => ({ status: 400, headers: {}, body: '{"error":"invalid_grant"}' }))
    const first = await h.http(rt())()
    const second = await h.http(rt())()
    expect(h.sent).toHaveLength(1)
    expect(second).toEqual(first)
    await h.http(rt({ claims: '{}' }))()
    expect(h.sent).toHaveLength(2)
    h.advance(61)
    await h.http(rt())()
    expect(h.sent).toHaveLength(3)
  })

  it('never replays device-code polling 400s', async () => {
    const h = harness(() => ({ status: 400, headers: {}, body: '{"error":"authorization_pending"}' }))
    const poll = formPost(TOKEN, { client_id: 'c', grant_type: DEVICE_CODE_GRANT_TYPE, device_code: 'd' })
    await h.http(poll)()
    await h.http(poll)()
    expect(h.sent).toHaveLength(2)
  })

  it('honours 429 Retry-After for the same client, scope and account', async () => {
    const h = harness((_, n) => (n === 1 ? res(429, { 'Retry-After': '30' }) : res(200)))
    await h.http(rt())()
    const replay = await h.http(rt({ client_info: '1' }))()
    expect(h.sent).toHaveLength(1)
    expect(E.isRight(replay) && replay.right.status).toBe(429)
    await h.http(rt({ refresh_token: 'another account' }))()
    expect(h.sent).toHaveLength(2)
    h.advance(31)
    await h.http(rt())()
    expect(h.sent).toHaveLength(3)
  })

  it('a 5xx without Retry-After throttles for the default time', async () => {
    const h = harness(() => res(503))
    await h.http(rt())()
    h.advance(59)
    await h.http(rt())()
    expect(h.sent).toHaveLength(1)
    h.advance(2)
    await h.http(rt())()
    expect(h.sent).toHaveLength(2)
  })

  it('reuses 2xx GETs for 24 h, not errors', async () => {
    const h = harness((req) => (req.url.endsWith('bad') ? res(500) : res(200)))
    const get = (url: string) => h.http({ method: 'GET', url, headers: {} })()
    await get('https://login.microsoftonline.com/common/userrealm/a@b.c?api-version=1.0')
    await get('https://login.microsoftonline.com/common/userrealm/a@b.c?api-version=1.0')
    expect(h.sent).toHaveLength(1)
    await get('https://x/bad')
    await get('https://x/bad')
    expect(h.sent).toHaveLength(3)
    h.advance(24 * 3600 + 1)
    await get('https://login.microsoftonline.com/common/userrealm/a@b.c?api-version=1.0')
    expect(h.sent).toHaveLength(4)
  })

  it('retries a connection error once, and only once', async () => {
    const once = harness((_, n) => (n === 1 ? 'network' : res(200)))
    expect(E.isRight(await once.http(rt())())).toBe(true)
    expect(once.sent).toHaveLength(2)
    const always = harness(() => 'network')
    expect(await always.http(rt())()).toEqual(E.left(expect.objectContaining({ code: 'network' })))
    expect(always.sent).toHaveLength(2)
    const timeouts: Array<HttpRequest> = []
    const to = retryConnectionErrors()((req) => {
      timeouts.push(req)
      return TE.left(httpError('timeout', req.url, 'slow'))
    })
    await to(rt())()
    expect(timeouts).toHaveLength(1)
  })

  it('keeps no secret in the store keys or replays of the key', async () => {
    const h = harness(() => res(400))
    await h.http(rt())()
    expect(h.store.keys().join(' ')).not.toContain('secret-rt')
  })

  it('evicts beyond capacity', async () => {
    let t = 0
    const store = memoryHttpCache()
    const http = throttled({ store, now: () => t, capacity: 3 })(() => TE.right(res(200)))
    for (let i = 0; i < 10; i++) {
      t += 1
      await http({ method: 'GET', url: `https://x/${i}`, headers: {} })()
    }
    expect(store.keys().length).toBeLessThanOrEqual(3)
  })

  it('pure rules', () => {
    expect(retryAfterSeconds(res(429, { 'retry-after': '7200' }))).toBe(3600)
    expect(retryAfterSeconds(res(200, { 'retry-after': '5' }))).toBe(0)
    expect(retryAfterSeconds(res(400, { 'retry-after': '5' }))).toBe(5)
    expect(retryAfterSeconds(res(502), 5)).toBe(5)
    expect(retryAfterSeconds(res(429, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }))).toBe(60)
    expect(badRequestSeconds(rt(), res(400, { 'Retry-After': '1' }))).toBe(0)
    expect(badRequestSeconds(rt(), res(401))).toBe(0)
  })

  it('property: a POST is sent iff no unexpired rule covers it', async () => {
    const op = fc.record({
      body: fc.integer({ min: 0, max: 2 }),
      account: fc.integer({ min: 0, max: 1 }),
      status: fc.constantFrom(200, 400, 401, 429, 500, 503),
      retryAfter: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
      advance: fc.integer({ min: 0, max: 90 }),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        let t = 0
        let sentCount = 0
        let next: HttpResponse = res(200)
        const http = throttled({ store: memoryHttpCache(), now: () => t })(() => {
          sentCount++
          return TE.right(next)
        })
        const until400 = new Map<string, number>()
        const until429 = new Map<string, number>()
        for (const o of ops) {
          t += o.advance * 1000
          const k400 = `${o.body}/${o.account}`
          const k429 = `${o.account}`
          const covered = (until400.get(k400) ?? -1) > t || (until429.get(k429) ?? -1) > t
          next = res(o.status, o.retryAfter === undefined ? {} : { 'retry-after': String(o.retryAfter) })
          const before = sentCount
          await http(rt({ x: String(o.body), refresh_token: `rt${o.account}` }))()
          expect(sentCount - before).toBe(covered ? 0 : 1)
          if (!covered) {
            const ra = retryAfterSeconds(next)
            if (ra > 0) until429.set(k429, t + ra * 1000)
            const br = badRequestSeconds(rt(), next)
            if (br > 0) until400.set(k400, t + br * 1000)
          }
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('headers', () => {
  it('libraryHeaders and withHeaders (request headers win)', async () => {
    const seen: Array<HttpRequest> = []
    const http = withHeaders(libraryHeaders({ os: 'linux', appName: 'demo' }))((req) => {
      seen.push(req)
      return TE.right(res(200))
    })
    await http({ method: 'GET', url: 'https://x', headers: { 'X-Client-SKU': 'mine' } })()
    expect(seen[0]?.headers).toEqual({
      'X-Client-SKU': 'mine',
      'x-client-ver': '0.1.0',
      'x-client-os': 'linux',
      'x-ms-lib-capability': 'retry-after, h429',
      'x-app-name': 'demo',
    })
  })
})

describe('msalHttpPolicy', () => {
  it('adds library headers and throttles', async () => {
    const { msalHttpPolicy } = await import('./policy.js')
    const seen: Array<HttpRequest> = []
    const http = msalHttpPolicy({ store: memoryHttpCache(), now: () => 0, library: { os: 'linux' } })((req) => {
      seen.push(req)
      return TE.right(res(400))
    })
    await http(rt())()
    await http(rt())()
    expect(seen).toHaveLength(1)
    expect(seen[0]?.headers).toMatchObject({ 'x-client-sku': 'authfold.ts', 'x-client-os': 'linux', 'x-ms-lib-capability': 'retry-after, h429' })
  })
})
