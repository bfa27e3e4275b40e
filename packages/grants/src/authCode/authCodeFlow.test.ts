import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as TE from 'fp-ts/TaskEither'
import { clientSecret, type GrantEnv, type HttpRequest, type ResolvedAuthority } from '@authfold/core'
import { emptyCache, serialize, type CacheState } from '@authfold/cache'
import { acquireTokenByAuthCodeFlow, type AuthCodeFlowParams } from './authCodeFlow.js'
import { initiateAuthCodeFlow, type AuthCodeFlow } from './flow.js'
import { acquireTokenByAuthorizationCode } from './legacy.js'

const NOW = 1_700_000_000
const TID = 't1'
const authority: ResolvedAuthority = {
  authority: { kind: 'entra', url: 'https://login.example/t1/', host: 'login.example', tenant: TID, path: TID },
  metadata: {
    issuer: 'https://login.example/t1/v2.0',
    authorization_endpoint: 'https://login.example/t1/oauth2/v2.0/authorize',
    token_endpoint: 'https://login.example/t1/oauth2/v2.0/token',
  },
  environment: 'login.example',
  aliases: ['login.example'],
  realm: TID,
}
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'RS256' })}.${b64(claims)}.c2ln`
const sha256hex = (s: string) => createHash('sha256').update(s, 'ascii').digest('hex')
const clientInfo = b64({ uid: 'o', utid: TID })

const idClaims = (nonce: unknown, over: Record<string, unknown> = {}) => ({
  aud: 'cid',
  iss: 'https://login.example/t1/v2.0',
  exp: NOW + 3600,
  auth_time: NOW - 10,
  nonce,
  oid: 'o',
  tid: TID,
  preferred_username: 'u@x',
  ...over,
})

/** A token endpoint that answers with an id_token made by `idToken` from the request. */
const scripted = (idToken: (req: HttpRequest) => string) => {
  const sent: HttpRequest[] = []
  const http: GrantEnv['http'] = (req) => {
    sent.push(req)
    return TE.right({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        access_token: 'at',
        expires_in: 3600,
        token_type: 'Bearer',
        id_token: idToken(req),
        refresh_token: 'rt',
        client_info: clientInfo,
        scope: 'User.Read openid profile offline_access',
      }),
    })
  }
  return { http, sent }
}
const envOf = (http: GrantEnv['http']): GrantEnv => ({
  http,
  now: () => NOW * 1000,
  random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
  sleep: () => async () => undefined,
  log: () => undefined,
})
const newFlow = async (over: Record<string, unknown> = {}): Promise<AuthCodeFlow> => {
  const r = await initiateAuthCodeFlow({ clientId: 'cid', authority, scopes: ['User.Read'], redirectUri: 'http://localhost:3000/cb', ...over })(envOf(scripted(() => '').http))()
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right
}
const redeem = (flow: AuthCodeFlow, authResponse: Record<string, unknown>, http: GrantEnv['http'], cache: CacheState = emptyCache, over: Partial<AuthCodeFlowParams> = {}) =>
  acquireTokenByAuthCodeFlow({ clientId: 'cid', authority, flow, authResponse, ...over })(cache)(envOf(http))()
const fields = (req: HttpRequest | undefined) => Object.fromEntries(new URLSearchParams(req?.body ?? ''))
const goodNonce = (flow: AuthCodeFlow) => () => jwt(idClaims(sha256hex(flow.nonce)))

describe('acquireTokenByAuthCodeFlow', () => {
  it("sends MSAL Python 1.21's fields and X-AnchorMailbox (public client), and folds the answer", async () => {
    const flow = await newFlow({ claimsChallenge: '{"access_token":{"nbf":{"essential":true}}}', maxAge: 600 })
    const { http, sent } = scripted(goodNonce(flow))
    const r = await redeem(JSON.parse(JSON.stringify(flow)) as AuthCodeFlow, { state: flow.state, code: 'the-code', client_info: clientInfo }, http)
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(sent).toHaveLength(1)
    // What MSAL Python 1.21's PublicClientApplication posted for the same flow:
    expect(fields(sent[0])).toEqual({
      client_id: 'cid',
      grant_type: 'authorization_code',
      client_info: '1',
      claims: '{"access_token":{"nbf":{"essential":true}}}',
      code_verifier: flow.code_verifier,
      code: 'the-code',
      redirect_uri: 'http://localhost:3000/cb',
      scope: 'User.Read offline_access openid profile',
    })
    expect(sent[0]?.headers['X-AnchorMailbox']).toBe('Oid:o@t1')
    expect(sent[0]?.headers['x-client-current-telemetry']).toBe('4|832,0|')
    const [result, cache] = r.right
    expect(result).toMatchObject({ access_token: 'at', refresh_token: 'rt', token_source: 'identity_provider', account: { home_account_id: 'o.t1', username: 'u@x' } })
    expect(result.id_token_claims?.['nonce']).toBe(sha256hex(flow.nonce))
    expect(Object.keys((JSON.parse(serialize(cache)) as Record<string, object>)['AccessToken'] ?? {})).toHaveLength(1)
  })

  it('a confidential client adds its secret; no client_info in the redirect, no X-AnchorMailbox', async () => {
    const flow = await newFlow()
    const { http, sent } = scripted(goodNonce(flow))
    const r = await redeem(flow, { state: flow.state, code: 'c' }, http, emptyCache, { credential: clientSecret('sec') })
    expect(r._tag).toBe('Right')
    expect(fields(sent[0])).toMatchObject({ client_secret: 'sec', code: 'c' })
    expect(fields(sent[0])['claims']).toBeUndefined()
    expect(sent[0]?.headers['X-AnchorMailbox']).toBeUndefined()
  })

  it('a wrong state: ValidationError state_mismatch and nothing sent', async () => {
    const flow = await newFlow()
    const { http, sent } = scripted(goodNonce(flow))
    expect(await redeem(flow, { state: 'forged', code: 'c' }, http)).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', code: 'state_mismatch' } })
    expect(await redeem(flow, { code: 'c' }, http)).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', code: 'state_mismatch' } })
    expect(await redeem({ ...flow, state: '' }, { state: '', code: 'c' }, http)).toMatchObject({ _tag: 'Left', left: { code: 'state_mismatch' } })
    expect(sent).toHaveLength(0)
  })

  it('an error in the redirect: a ProtocolError with only error, error_description and error_uri; nothing sent', async () => {
    const flow = await newFlow()
    const { http, sent } = scripted(goodNonce(flow))
    const r = await redeem(flow, { state: flow.state, error: 'access_denied', error_description: 'The user declined.', error_uri: 'https://e/x', access_token: 'attacker' }, http)
    expect(r).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'ProtocolError', error: 'access_denied', errorDescription: 'The user declined.', errorUri: 'https://e/x', response: { error: 'access_denied', error_description: 'The user declined.', error_uri: 'https://e/x' } },
    })
    expect(r._tag === 'Left' && JSON.stringify(r.left)).not.toContain('attacker')
    expect(sent).toHaveLength(0)
  })

  it('neither code nor error: ValidationError code_missing; a flow that is not a flow: ConfigError', async () => {
    const flow = await newFlow()
    const { http, sent } = scripted(goodNonce(flow))
    expect(await redeem(flow, { state: flow.state }, http)).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', code: 'code_missing' } })
    expect(await redeem({ state: flow.state } as AuthCodeFlow, { state: flow.state, code: 'c' }, http)).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', field: 'flow' } })
    expect(sent).toHaveLength(0)
  })

  it('scopes must be a subset of the flow', async () => {
    const flow = await newFlow()
    const { http, sent } = scripted(goodNonce(flow))
    expect(await redeem(flow, { state: flow.state, code: 'c' }, http, emptyCache, { scopes: ['Mail.Send'] })).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', field: 'scopes' } })
    expect(sent).toHaveLength(0)
  })

  it('auth_time older than max_age: ValidationError auth_time_too_old, cache unchanged', async () => {
    const flow = await newFlow({ maxAge: 60 })
    const { http } = scripted(() => jwt(idClaims(sha256hex(flow.nonce), { auth_time: NOW - 60 - 301 })))
    expect(await redeem(flow, { state: flow.state, code: 'c' }, http)).toMatchObject({ _tag: 'Left', left: { code: 'auth_time_too_old' } })
  })

  it('property: every state other than the flow\'s is refused before any request', async () => {
    const flow = await newFlow()
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.constant(undefined), fc.integer()), async (state) => {
        fc.pre(state !== flow.state)
        const { http, sent } = scripted(goodNonce(flow))
        const r = await redeem(flow, { state, code: 'c' }, http)
        expect(r).toMatchObject({ _tag: 'Left', left: { code: 'state_mismatch' } })
        expect(sent).toHaveLength(0)
      }),
      { numRuns: 200 },
    )
  })

  it('property: an id_token nonce other than sha256hex(flow.nonce) (the raw nonce included) is nonce_mismatch and the cache is as it was', async () => {
    const flow = await newFlow()
    const { http: fill } = scripted(goodNonce(flow))
    const first = await redeem(flow, { state: flow.state, code: 'c' }, fill)
    if (first._tag === 'Left') throw new Error(first.left.message)
    const before = first.right[1]
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.constant(flow.nonce), fc.constant(null), fc.constant(sha256hex(flow.nonce).toUpperCase())), async (nonce) => {
        const { http } = scripted(() => jwt(idClaims(nonce, { oid: 'o2' })))
        const r = await redeem(flow, { state: flow.state, code: 'c2' }, http, before)
        expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', code: 'nonce_mismatch' } })
        expect(serialize(before)).toBe(serialize(first.right[1]))
      }),
      { numRuns: 100 },
    )
  })
})

describe('acquireTokenByAuthorizationCode', () => {
  it("sends MSAL Python 1.21's fields (no verifier, no X-AnchorMailbox) and checks the raw nonce", async () => {
    const { http, sent } = scripted(() => jwt(idClaims('n1')))
    const r = await acquireTokenByAuthorizationCode({ clientId: 'cid', authority, credential: clientSecret('sec'), code: 'the-code', scopes: ['User.Read'], redirectUri: 'http://r', nonce: 'n1', clientCapabilities: ['cp1'] })(emptyCache)(envOf(http))()
    expect(r._tag).toBe('Right')
    expect(fields(sent[0])).toEqual({
      client_id: 'cid',
      grant_type: 'authorization_code',
      client_info: '1',
      client_secret: 'sec',
      claims: '{"access_token": {"xms_cc": {"values": ["cp1"]}}}',
      code: 'the-code',
      redirect_uri: 'http://r',
      scope: 'User.Read offline_access openid profile',
    })
    expect(sent[0]?.headers['X-AnchorMailbox']).toBeUndefined()
  })

  it('a nonce mismatch: ValidationError and the cache as it was (MSAL Python 1.21 caches the tokens, then raises)', async () => {
    const { http } = scripted(() => jwt(idClaims(sha256hex('n1'))))
    const r = await acquireTokenByAuthorizationCode({ clientId: 'cid', authority, code: 'c', scopes: ['User.Read'], nonce: 'n1' })(emptyCache)(envOf(http))()
    expect(r).toMatchObject({ _tag: 'Left', left: { code: 'nonce_mismatch' } })
  })
})
