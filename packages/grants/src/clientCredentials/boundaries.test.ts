/**
 * Expiry and `refresh_on` boundaries of the client-credentials grant, through its public
 * shape only: `clientCredentials(params)(cache)(env)` with a scripted HTTP effect and a
 * fixed clock. The expected values are what MSAL Python 1.21 does, measured with the real
 * library (`acquire_token_for_client` at T0 answered `expires_in: 3600`, with or without
 * `refresh_in: 1800`, then `acquire_token_silent(scopes, account=None)` with `time.time`
 * pinned and the refresh step spied on):
 *
 * | seconds after T0    | MSAL Python 1.21                                            |
 * |---------------------|-------------------------------------------------------------|
 * | 1799                | cached token, `expires_in` 1801, no refresh                 |
 * | 1800 (= refresh_on) | cached token, `expires_in` 1800, no refresh                 |
 * | 1801                | refresh attempted (reason 4, AT_AGING); cached token kept if it fails |
 * | 3300 (300 s left)   | usable, `expires_in` 300 (a refresh only if refresh_on passed) |
 * | 3301 (299 s left)   | expired: refresh (reason 3, AT_EXPIRED), no fallback        |
 *
 * (`_acquire_token_silent_from_cache_and_possibly_refresh_it`: `expires_in < 5*60` is
 * skipped, `int(refresh_on) < now` is aging.)
 */
import { describe, expect, it } from 'vitest'
import * as TE from 'fp-ts/TaskEither'
import { clientSecret, httpError, type GrantEnv, type HttpRequest, type HttpResponse, type ResolvedAuthority } from '@authfold/core'
import { testAuthority } from '../grant.testkit.js'
import { emptyCache, type CacheState } from '@authfold/cache'
import { clientCredentials } from '@authfold/grants'

const T0 = 1_700_000_000

const authority: ResolvedAuthority = testAuthority(['login.example'])

const params = {
  clientId: 'app-1',
  authority,
  credential: clientSecret('not-a-real-secret'),
  scopes: ['https://api.example/.default'],
}

const answer = (token: string, refreshIn: number | undefined): HttpResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ token_type: 'Bearer', expires_in: 3600, access_token: token, ...(refreshIn === undefined ? {} : { refresh_in: refreshIn }) }),
})

/**
 * Answers every request with the next token (`at-1`, `at-2`, ...), each with `refresh_in`
 * when given; after the first request, a network error when `failAfterFirst`.
 */
const scripted = (refreshIn: number | undefined, failAfterFirst = false) => {
  const sent: Array<HttpRequest> = []
  const http: GrantEnv['http'] = (req) => {
    sent.push(req)
    return failAfterFirst && sent.length > 1
      ? TE.left(httpError('network', req.url, 'down'))
      : TE.right(answer(`at-${sent.length}`, refreshIn))
  }
  return { http, sent }
}

const envAt = (http: GrantEnv['http'], seconds: number): GrantEnv => ({
  http,
  now: () => seconds * 1000,
  random: (n) => new Uint8Array(n).fill(7),
  sleep: () => async () => undefined,
  log: () => undefined,
})

/** The cache after one token answer at T0: `expires_on` T0+3600 (`refresh_on` T0+1800 with refresh_in). */
const filledAtT0 = async (http: GrantEnv['http']): Promise<CacheState> => {
  const r = await clientCredentials(params)(emptyCache)(envAt(http, T0))()
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right[1]
}

/** Runs the grant `offset` seconds after T0 over a cache filled at T0. */
const at = async (offset: number, refreshIn: number | undefined, failRefresh = false) => {
  const { http, sent } = scripted(refreshIn, failRefresh)
  const cache = await filledAtT0(http)
  const r = await clientCredentials(params)(cache)(envAt(http, T0 + offset))()
  if (r._tag === 'Left') throw new Error(r.left.message)
  const [result] = r.right
  return {
    result,
    /** Requests sent after the first (filling) one. */
    refreshes: sent.slice(1).map((req) => req.headers['x-client-current-telemetry']),
  }
}

describe('clientCredentials: expiry boundary (MSAL: expires_in < 5*60 counts as expired)', () => {
  it('exactly 300 s left: the cached token is used, expires_in 300, nothing sent', async () => {
    const { result, refreshes } = await at(3300, undefined)
    expect(refreshes).toEqual([])
    expect(result).toMatchObject({ access_token: 'at-1', token_source: 'cache', expires_in: 300 })
  })

  it('299 s left: expired, one request with refresh reason 3 (AT_EXPIRED), the new token returned', async () => {
    const { result, refreshes } = await at(3301, undefined)
    expect(refreshes).toEqual(['4|730,3|'])
    expect(result).toMatchObject({ access_token: 'at-2', token_source: 'identity_provider', expires_in: 3600 })
  })

  it('299.5 s left (a fractional clock, as MSAL compares with time.time()): expired, one request', async () => {
    const { result, refreshes } = await at(3300.5, undefined)
    expect(refreshes).toEqual(['4|730,3|'])
    expect(result).toMatchObject({ access_token: 'at-2', token_source: 'identity_provider' })
  })

  it('299 s left and the IdP unreachable: no fallback to the expired token', async () => {
    const { http } = scripted(undefined, true)
    const cache = await filledAtT0(http)
    const r = await clientCredentials(params)(cache)(envAt(http, T0 + 3301))()
    expect(r).toEqual({ _tag: 'Left', left: expect.objectContaining({ _tag: 'HttpError', code: 'network' }) })
  })

  it('exactly 300 s left and past refresh_on: a refresh (reason 4), and the cached token, expires_in 300, if it fails', async () => {
    const { result, refreshes } = await at(3300, 1800, true)
    expect(refreshes).toEqual(['4|730,4|'])
    expect(result).toMatchObject({ access_token: 'at-1', token_source: 'cache', expires_in: 300 })
  })
})

describe('clientCredentials: refresh_on boundary (MSAL: int(refresh_on) < now is aging)', () => {
  it('one second before refresh_on: the cached token, no request', async () => {
    const { result, refreshes } = await at(1799, 1800)
    expect(refreshes).toEqual([])
    expect(result).toMatchObject({ access_token: 'at-1', token_source: 'cache', expires_in: 1801, refresh_on: T0 + 1800 })
  })

  it('refresh_on equal to now: not aging, the cached token, no request', async () => {
    const { result, refreshes } = await at(1800, 1800)
    expect(refreshes).toEqual([])
    expect(result).toMatchObject({ access_token: 'at-1', token_source: 'cache', expires_in: 1800, refresh_on: T0 + 1800 })
  })

  it('half a second after refresh_on (fractional clock): aging, one request with refresh reason 4', async () => {
    const { result, refreshes } = await at(1800.5, 1800)
    expect(refreshes).toEqual(['4|730,4|'])
    expect(result).toMatchObject({ access_token: 'at-2', token_source: 'identity_provider' })
  })

  it('one second after refresh_on: aging, one request with refresh reason 4 (AT_AGING), the new token returned', async () => {
    const { result, refreshes } = await at(1801, 1800)
    expect(refreshes).toEqual(['4|730,4|'])
    expect(result).toMatchObject({ access_token: 'at-2', token_source: 'identity_provider', expires_in: 3600, refresh_on: T0 + 1801 + 1800 })
  })

  it('one second after refresh_on and the refresh failing: the cached token, expires_in 1799', async () => {
    const { result, refreshes } = await at(1801, 1800, true)
    expect(refreshes).toEqual(['4|730,4|'])
    expect(result).toMatchObject({ access_token: 'at-1', token_source: 'cache', expires_in: 1799 })
  })
})
