/**
 * Throttling boundaries with literal expected values, measured with MSAL Python 1.21's
 * `ThrottledHttpClient` (its `time.time` pinned, a scripted `post`), not computed by the
 * functions under test.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import type { HttpClient, HttpRequest, HttpResponse } from '../http/http.js'
import { formPost } from '../http/http.js'
import { memoryHttpCache } from './httpCache.js'
import { retryAfterSeconds, throttled } from './throttle.js'

const TOKEN = 'https://login.microsoftonline.com/t/oauth2/v2.0/token'

const res = (status: number, retryAfter?: string): HttpResponse => ({
  status,
  headers: retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
  body: JSON.stringify({ status }),
})

/**
 * A throttled client over a scripted one: the first POST gets `first`, later ones `200`
 * unless `next` is set. `post` reports whether the request went out and the status seen.
 */
const harness = (first: HttpResponse) => {
  let t = 1_000_000_000
  let sent = 0
  let next: HttpResponse | undefined
  const raw: HttpClient = () => {
    sent++
    const answer = sent === 1 ? first : (next ?? res(200))
    return TE.right(answer)
  }
  const http = throttled({ store: memoryHttpCache(), now: () => t })(raw)
  const post = async (req: HttpRequest): Promise<readonly ['sent' | 'replayed', number]> => {
    const before = sent
    const r = await http(req)()
    if (E.isLeft(r)) throw new Error(r.left.message)
    return [sent > before ? 'sent' : 'replayed', r.right.status]
  }
  return {
    post,
    advance: (seconds: number) => {
      t += seconds * 1000
    },
    answerNext: (r: HttpResponse) => {
      next = r
    },
  }
}

const rt = (extra: Record<string, string> = {}) =>
  formPost(TOKEN, { client_id: 'c', grant_type: 'refresh_token', refresh_token: 'rt-a', scope: 'openid User.Read', ...extra })

const ropc = (username: string) =>
  formPost(TOKEN, { client_id: 'c', grant_type: 'password', username, password: 'not-a-real-password', scope: 'openid User.Read' })

describe('throttling, as MSAL Python 1.21 does it', () => {
  it('an HTTP 500 without Retry-After is throttled for 60 s for the same client, scope and account (MSAL: status >= 500)', async () => {
    const h = harness(res(500))
    expect(await h.post(rt())).toEqual(['sent', 500])
    h.advance(59)
    expect(await h.post(rt())).toEqual(['replayed', 500])
    expect(await h.post(rt({ claims: '{}' }))).toEqual(['replayed', 500])
    h.advance(1)
    expect(await h.post(rt())).toEqual(['sent', 200])
  })

  it('an HTTP 499 is not throttled', async () => {
    const h = harness(res(499))
    expect(await h.post(rt())).toEqual(['sent', 499])
    expect(await h.post(rt())).toEqual(['sent', 200])
  })

  it('a 400 with Retry-After is held by the Retry-After rule (per account, any body), for Retry-After seconds, not 60', async () => {
    const h = harness(res(400, '5'))
    expect(await h.post(rt())).toEqual(['sent', 400])
    h.advance(4)
    expect(await h.post(rt())).toEqual(['replayed', 400])
    expect(await h.post(rt({ claims: '{}' }))).toEqual(['replayed', 400])
    h.advance(1)
    expect(await h.post(rt())).toEqual(['sent', 200])
  })

  it('a 400 with a Retry-After longer than 60 s is held that long', async () => {
    const h = harness(res(400, '120'))
    await h.post(rt())
    h.advance(119)
    expect(await h.post(rt())).toEqual(['replayed', 400])
    h.advance(1)
    expect(await h.post(rt())).toEqual(['sent', 200])
  })

  it('a 400 without Retry-After is replayed only to the identical request, for exactly 60 s', async () => {
    const h = harness(res(400))
    await h.post(rt())
    expect(await h.post(rt({ claims: '{}' }))).toEqual(['sent', 200])
    h.advance(59)
    expect(await h.post(rt())).toEqual(['replayed', 400])
    h.advance(1)
    expect(await h.post(rt())).toEqual(['sent', 200])
  })

  it('Retry-After above an hour is capped at 3600 s', async () => {
    const h = harness(res(503, '7200'))
    await h.post(rt())
    h.advance(3599)
    expect(await h.post(rt())).toEqual(['replayed', 503])
    h.advance(1)
    expect(await h.post(rt())).toEqual(['sent', 200])
  })

  it('two ROPC (password grant) users do not share a 429: the key holds a hash of the username', async () => {
    // MSAL Python's key is meant to do this ("account of ROPC"), but 1.21's _extract_data
    // ignores its fallback when the form is a dict, so it hashes None for every ROPC user
    // and bob would be held too. authfold keys by the username, as the comment intends.
    const h = harness(res(429, '30'))
    expect(await h.post(ropc('alice@contoso.com'))).toEqual(['sent', 429])
    expect(await h.post(ropc('alice@contoso.com'))).toEqual(['replayed', 429])
    expect(await h.post(ropc('bob@contoso.com'))).toEqual(['sent', 200])
    h.advance(30)
    expect(await h.post(ropc('alice@contoso.com'))).toEqual(['sent', 200])
  })

  it('a scripted sequence gives what MSAL Python gave, request by request', async () => {
    // [advance s, account, body variant, status answered if sent, Retry-After] -> [sent?, status seen]
    const steps: ReadonlyArray<readonly [number, string, string, number, string | undefined, 'sent' | 'replayed', number]> = [
      [0, 'a', '0', 400, undefined, 'sent', 400],
      [10, 'a', '0', 200, undefined, 'replayed', 400],
      [0, 'a', '1', 200, undefined, 'sent', 200],
      [50, 'a', '0', 200, undefined, 'sent', 200],
      [0, 'a', '0', 429, '20', 'sent', 429],
      [19, 'a', '2', 200, undefined, 'replayed', 429],
      [0, 'b', '2', 200, undefined, 'sent', 200],
      [1, 'a', '2', 503, undefined, 'sent', 503],
      [59, 'a', '0', 200, undefined, 'replayed', 503],
      [1, 'a', '0', 400, '5', 'sent', 400],
      [4, 'a', '1', 200, undefined, 'replayed', 400],
      [1, 'a', '0', 500, '90', 'sent', 500],
      [89, 'b', '0', 200, undefined, 'sent', 200],
      [0, 'a', '0', 200, undefined, 'replayed', 500],
      [1, 'a', '0', 200, undefined, 'sent', 200],
      [0, 'b', '1', 401, undefined, 'sent', 401],
      [0, 'b', '1', 200, undefined, 'sent', 200],
    ]
    const h = harness(res(400))
    const seen: Array<readonly ['sent' | 'replayed', number]> = []
    for (const [advance, account, x, status, retryAfter] of steps) {
      h.advance(advance)
      h.answerNext(res(status, retryAfter))
      seen.push(await h.post(rt({ refresh_token: `rt-${account}`, x })))
    }
    expect(seen).toEqual(steps.map(([, , , , , outcome, status]) => [outcome, status]))
  })

  it('retryAfterSeconds: literal values', () => {
    expect(retryAfterSeconds(res(500))).toBe(60)
    expect(retryAfterSeconds(res(499))).toBe(0)
    expect(retryAfterSeconds(res(400, '5'))).toBe(5)
    expect(retryAfterSeconds(res(400))).toBe(0)
    expect(retryAfterSeconds(res(429))).toBe(60)
    expect(retryAfterSeconds(res(503, '7200'))).toBe(3600)
    expect(retryAfterSeconds(res(302, '10'))).toBe(10)
  })
})
