/**
 * The device code grant under a virtual clock: a scripted HTTP effect answers each poll, and
 * the sleep effect advances the fake clock instead of waiting, so every test runs at once.
 * The fields sent are MSAL Python 1.21's (measured: `acquire_token_by_device_flow` posts
 * `client_id`, `grant_type`, `client_info=1`, `code` and `device_code`, the flow's
 * `_correlation_id` as `client-request-id`, `x-client-current-telemetry: 4|622,0|`).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as TE from 'fp-ts/TaskEither'
import { emptyCache, serialize, type CacheState } from '@authfold/cache'
import { httpError, telemetryRecorder, type GrantEnv, type HttpRequest, type HttpResponse, type ResolvedAuthority } from '@authfold/core'
import { deviceCode, afterPollFailure } from './deviceCode.js'
import type { DeviceFlow } from './flow.js'

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47'
const T0 = 1_700_000_000
const authority: ResolvedAuthority = {
  authority: { kind: 'entra', url: `https://login.example/${TID}/`, host: 'login.example', tenant: TID, path: TID },
  metadata: { issuer: `https://login.example/${TID}/v2.0`, authorization_endpoint: 'https://login.example/a', token_endpoint: `https://login.example/${TID}/oauth2/v2.0/token` },
  environment: 'login.example',
  aliases: ['login.example'],
  realm: TID,
}
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'RS256' })}.${b64(claims)}.c2ln`
const flow = (over: Partial<DeviceFlow> = {}): DeviceFlow => ({
  user_code: 'ABCD-EFGH',
  device_code: 'dc-1',
  verification_uri: 'https://login.example/devicelogin',
  expires_in: 900,
  interval: 5,
  message: 'To sign in, ...',
  expires_at: T0 + 900,
  _correlation_id: '32da518a-fe71-4d87-981f-ae87e9263afe',
  ...over,
})
const tokens = (): HttpResponse => ({
  status: 200,
  headers: {},
  body: JSON.stringify({
    token_type: 'Bearer',
    expires_in: 3600,
    access_token: 'at-1',
    refresh_token: 'rt-1',
    scope: 'User.Read openid profile',
    id_token: jwt({ aud: 'cid', iss: `https://login.example/${TID}/v2.0`, exp: T0 + 7200, oid: 'oid-1', tid: TID, preferred_username: 'jane@contoso.com' }),
    client_info: b64({ uid: 'oid-1', utid: TID }),
  }),
})
const oauth = (error: string, description?: string): HttpResponse => ({ status: 400, headers: {}, body: JSON.stringify({ error, ...(description === undefined ? {} : { error_description: description }) }) })

/** A virtual world: the clock starts at T0 and moves only when the grant sleeps. */
const world = (answers: ReadonlyArray<HttpResponse | 'network'>, onSleep: (ms: number) => void = () => undefined) => {
  let nowMs = T0 * 1000
  const sent: Array<{ readonly at: number; readonly req: HttpRequest }> = []
  const sleeps: number[] = []
  const env: GrantEnv = {
    http: (req) => {
      sent.push({ at: nowMs / 1000, req })
      const a = answers[Math.min(sent.length - 1, answers.length - 1)]
      return a === 'network' || a === undefined ? TE.left(httpError('network', req.url, 'down')) : TE.right(a)
    },
    now: () => nowMs,
    random: (n) => new Uint8Array(n).fill(3),
    sleep: (ms) => async () => {
      sleeps.push(ms)
      nowMs += ms
      onSleep(ms)
    },
    log: () => undefined,
  }
  return { env, sent, sleeps, at: () => nowMs / 1000 }
}

const params = { clientId: 'cid', authority }
const fields = (req: HttpRequest | undefined) => Object.fromEntries(new URLSearchParams(req?.body ?? ''))

/** A cache holding one signed-in user, to see that failures leave it as it was. */
const signedIn = async (): Promise<CacheState> => {
  const r = await deviceCode(params, flow())(emptyCache)(world([tokens()]).env)()
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right[1]
}

describe('deviceCode (virtual clock)', () => {
  it('polls with the fields MSAL Python sends, waits the interval on authorization_pending, and folds the tokens', async () => {
    const w = world([oauth('authorization_pending'), oauth('authorization_pending'), tokens()])
    const r = await deviceCode(params, flow())(emptyCache)(w.env)()
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(w.sent.map((s) => s.at)).toEqual([T0, T0 + 5, T0 + 10])
    expect(fields(w.sent[0]?.req)).toEqual({ client_id: 'cid', grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'dc-1', code: 'dc-1', client_info: '1' })
    expect(w.sent[0]?.req.url).toBe(`https://login.example/${TID}/oauth2/v2.0/token`)
    expect(w.sent.map((s) => s.req.headers['client-request-id'])).toEqual(Array(3).fill('32da518a-fe71-4d87-981f-ae87e9263afe'))
    expect(w.sent[0]?.req.headers['x-client-current-telemetry']).toBe('4|622,0|')
    const [result, cache] = r.right
    expect(result).toMatchObject({ access_token: 'at-1', refresh_token: 'rt-1', token_source: 'identity_provider', account: { home_account_id: `oid-1.${TID}`, username: 'jane@contoso.com' } })
    const doc = JSON.parse(serialize(cache)) as Record<string, Record<string, Record<string, unknown>>>
    expect(Object.values(doc['AccessToken'] ?? {})[0]).toMatchObject({ target: 'User.Read openid profile', home_account_id: `oid-1.${TID}` })
    expect(Object.values(doc['Account'] ?? {})[0]).toMatchObject({ username: 'jane@contoso.com', authority_type: 'MSSTS' })
  })

  it('waits in slices of at most one second, as MSAL Python does', async () => {
    const w = world([oauth('authorization_pending'), tokens()])
    await deviceCode(params, flow({ interval: 3 }))(emptyCache)(w.env)()
    expect(w.sleeps).toEqual([1000, 1000, 1000])
  })

  it('slow_down adds 5 s to the interval for every later poll', async () => {
    const w = world([oauth('slow_down'), oauth('authorization_pending'), oauth('slow_down'), oauth('authorization_pending'), tokens()])
    const r = await deviceCode(params, flow())(emptyCache)(w.env)()
    expect(r._tag).toBe('Right')
    expect(w.sent.map((s) => s.at - T0)).toEqual([0, 10, 20, 35, 50])
  })

  it('does not count the polls still pending as failures in x-client-last-telemetry (MSAL sends 4|0||| on every poll)', async () => {
    const w = world([oauth('authorization_pending'), oauth('slow_down'), tokens()])
    const r = await deviceCode(params, flow())(emptyCache)({ ...w.env, telemetry: telemetryRecorder() })()
    expect(r._tag).toBe('Right')
    expect(w.sent.map((s) => s.req.headers['x-client-last-telemetry'])).toEqual(['4|0|||', '4|0|||', '4|0|||'])
  })

  it.each([
    ['expired_token', 'The device code expired before the user signed in'],
    ['authorization_declined', 'The user declined the sign-in'],
    ['bad_verification_code', 'The server does not know this device code'],
  ])('%s ends the polling with the server\'s ProtocolError, a message saying what to do, and the cache as it was', async (error, advice) => {
    const w = world([oauth('authorization_pending'), oauth(error, `AADSTS70000: ${error}\r\nTrace ID: x`)])
    const seeded = await signedIn()
    const before = serialize(seeded)
    const r = await deviceCode(params, flow())(seeded)(w.env)()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ProtocolError', error, status: 400, errorDescription: `AADSTS70000: ${error}\r\nTrace ID: x`, response: { error } } })
    expect(r._tag === 'Left' && r.left.message).toContain(advice)
    expect(r._tag === 'Left' && r.left.message).not.toContain('Trace ID')
    expect(w.sent).toHaveLength(2)
    expect(serialize(seeded)).toBe(before)
    expect(before).toContain('jane@contoso.com')
  })

  it('another OAuth error (invalid_client) or a network failure ends it as it came', async () => {
    const a = await deviceCode(params, flow())(emptyCache)(world([oauth('invalid_client')]).env)()
    expect(a).toMatchObject({ left: { _tag: 'ProtocolError', error: 'invalid_client' } })
    const b = await deviceCode(params, flow())(emptyCache)(world(['network']).env)()
    expect(b).toMatchObject({ left: { _tag: 'HttpError', code: 'network' } })
  })

  it('the flow expiring while the user has not signed in is a ValidationError flow_expired, polled until then and no longer', async () => {
    const w = world([oauth('authorization_pending')])
    const r = await deviceCode(params, flow({ expires_in: 12, expires_at: T0 + 12 }))(emptyCache)(w.env)()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', code: 'flow_expired' } })
    expect(w.sent.map((s) => s.at - T0)).toEqual([0, 5, 10])
    expect(w.at()).toBe(T0 + 13)
  })

  it('a flow already past expires_at (or with expires_at 0, MSAL\'s way to stop) sends nothing', async () => {
    for (const expiresAt of [0, T0 - 1]) {
      const w = world([tokens()])
      const r = await deviceCode(params, flow({ expires_at: expiresAt }))(emptyCache)(w.env)()
      expect(r).toMatchObject({ left: { _tag: 'ValidationError', code: 'flow_expired' } })
      expect(w.sent).toHaveLength(0)
    }
  })

  it('setting expires_at to 0 on the flow object while it polls stops it within a second (MSAL Python\'s way)', async () => {
    const f = { ...flow() }
    const w = world([oauth('authorization_pending')], () => {
      if (w.at() >= T0 + 7) f.expires_at = 0
    })
    const r = await deviceCode(params, f)(emptyCache)(w.env)()
    expect(r).toMatchObject({ left: { _tag: 'ValidationError', code: 'flow_expired' } })
    expect(w.at()).toBe(T0 + 7)
    expect(w.sent).toHaveLength(2)
  })

  it('an AbortSignal fired during a wait ends it with HttpError aborted, nothing more sent; an aborted signal sends nothing', async () => {
    const controller = new AbortController()
    const w = world([oauth('authorization_pending')], () => {
      if (w.at() >= T0 + 8) controller.abort()
    })
    const r = await deviceCode({ ...params, signal: controller.signal }, flow())(emptyCache)(w.env)()
    expect(r).toMatchObject({ left: { _tag: 'HttpError', code: 'aborted' } })
    expect(w.sent).toHaveLength(2)
    expect(w.at()).toBe(T0 + 8)
    const w2 = world([tokens()])
    expect(await deviceCode({ ...params, signal: AbortSignal.abort() }, flow())(emptyCache)(w2.env)()).toMatchObject({ left: { code: 'aborted' } })
    expect(w2.sent).toHaveLength(0)
  })

  it('a sleep that never returns is woken by the abort', async () => {
    const controller = new AbortController()
    const w = world([oauth('authorization_pending')])
    const env: GrantEnv = { ...w.env, sleep: () => () => new Promise(() => undefined) }
    setTimeout(() => controller.abort(), 20)
    const r = await deviceCode({ ...params, signal: controller.signal }, flow())(emptyCache)(env)()
    expect(r).toMatchObject({ left: { _tag: 'HttpError', code: 'aborted' } })
  })

  it('a clock that never moves cannot make it poll for ever: the number of polls is bounded by the flow\'s life', async () => {
    const w = world([oauth('authorization_pending')])
    const r = await deviceCode(params, flow({ expires_at: T0 + 20 }))(emptyCache)({ ...w.env, sleep: () => async () => undefined })()
    expect(r).toMatchObject({ left: { code: 'flow_expired' } })
    expect(w.sent.length).toBeLessThanOrEqual(21)
  })

  it('an id_token for another audience is a ValidationError and nothing is cached', async () => {
    const bad: HttpResponse = { ...tokens(), body: JSON.stringify({ ...JSON.parse(tokens().body), id_token: jwt({ aud: 'other', iss: `https://login.example/${TID}/v2.0`, exp: T0 + 7200, oid: 'o', tid: TID }) }) }
    const r = await deviceCode(params, flow())(emptyCache)(world([bad]).env)()
    expect(r).toMatchObject({ left: { _tag: 'ValidationError' } })
  })

  it('sends the claims challenge merged with client capabilities', async () => {
    const w = world([tokens()])
    await deviceCode({ ...params, clientCapabilities: ['cp1'], claimsChallenge: '{"access_token":{"nbf":{"essential":true}}}' }, flow())(emptyCache)(w.env)()
    expect(JSON.parse(fields(w.sent[0]?.req).claims ?? '')).toEqual({ access_token: { nbf: { essential: true }, xms_cc: { values: ['cp1'] } } })
  })
})

describe('afterPollFailure', () => {
  it('keeps polling only on authorization_pending (same interval) and slow_down (+5 s); every other error stops', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.string(), (interval, error) => {
        const e = { _tag: 'ProtocolError' as const, code: 'oauth_error' as const, message: 'm', status: 400, error, response: { error } }
        const next = afterPollFailure(e, interval)
        if (error === 'authorization_pending') expect(next).toEqual({ _tag: 'Right', right: interval })
        else if (error === 'slow_down') expect(next).toEqual({ _tag: 'Right', right: interval + 5 })
        else expect(next._tag).toBe('Left')
      }),
    )
    expect(afterPollFailure({ _tag: 'ProtocolError', code: 'oauth_error', message: 'm', status: 400, error: 'slow_down', response: {} }, 5)).toEqual({ _tag: 'Right', right: 10 })
  })
})
