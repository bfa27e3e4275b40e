import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { ResolvedAuthority } from '@authfold/core'
import { initiateAuthCodeFlow, type InitiateAuthCodeFlowParams } from './flow.js'
import { getAuthorizationRequestUrl } from './legacy.js'

const authority: ResolvedAuthority = {
  authority: { kind: 'entra', url: 'https://login.example/t1/', host: 'login.example', tenant: 't1', path: 't1' },
  metadata: {
    issuer: 'https://login.example/t1/v2.0',
    authorization_endpoint: 'https://login.example/t1/oauth2/v2.0/authorize',
    token_endpoint: 'https://login.example/t1/oauth2/v2.0/token',
  },
  environment: 'login.example',
  aliases: ['login.example'],
  realm: 't1',
}
const random = (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n))
const run = async (p: Partial<InitiateAuthCodeFlowParams> = {}) => {
  const r = await initiateAuthCodeFlow({ clientId: 'cid', authority, scopes: ['User.Read'], ...p })({ random })()
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right
}
const sha256hex = (s: string) => createHash('sha256').update(s, 'ascii').digest('hex')
const b64sha = (s: string) => createHash('sha256').update(s, 'ascii').digest('base64url')

describe('initiateAuthCodeFlow', () => {
  it("builds MSAL Python 1.21's auth URI byte for byte (its random parts substituted)", async () => {
    const claims = '{"access_token":{"nbf":{"essential":true}}}'
    const flow = await run({
      redirectUri: 'http://localhost:3000/cb',
      loginHint: 'u@x',
      domainHint: 'contoso.com',
      prompt: 'select_account',
      maxAge: 600,
      responseMode: 'form_post',
      claimsChallenge: claims,
    })
    // initiate_auth_code_flow(["User.Read"], redirect_uri=..., login_hint="u@x", domain_hint="contoso.com",
    // prompt="select_account", max_age=600, response_mode="form_post", claims_challenge=...) with MSAL Python 1.21:
    const msal =
      'https://login.example/t1/oauth2/v2.0/authorize?client_id=cid&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb&scope=User.Read+offline_access+openid+profile&state=fTJqKikxlpNbaDCn&code_challenge=89lJnkV-P1gZ22uA9AuIsY5ykI1v7JmJ3R5H_YT5_WE&code_challenge_method=S256&nonce=9f441dcd098c925c25e1a1ed2506c3c69b8715078b3234e9f9791a459e8ad31a&client_info=1&login_hint=u%40x&prompt=select_account&domain_hint=contoso.com&claims=%7B%22access_token%22%3A%7B%22nbf%22%3A%7B%22essential%22%3Atrue%7D%7D%7D&max_age=600&response_mode=form_post&X-AnchorMailbox=UPN%3Au%40x'
    const expected = msal
      .replace('fTJqKikxlpNbaDCn', flow.state)
      .replace('89lJnkV-P1gZ22uA9AuIsY5ykI1v7JmJ3R5H_YT5_WE', b64sha(flow.code_verifier))
      .replace('9f441dcd098c925c25e1a1ed2506c3c69b8715078b3234e9f9791a459e8ad31a', sha256hex(flow.nonce))
    expect(flow.auth_uri).toBe(expected)
    expect(flow).toEqual({
      state: flow.state,
      redirect_uri: 'http://localhost:3000/cb',
      scope: ['User.Read', 'openid', 'profile', 'offline_access'],
      auth_uri: expected,
      code_verifier: flow.code_verifier,
      nonce: flow.nonce,
      max_age: 600,
      claims_challenge: claims,
    })
    expect(flow.state).toMatch(/^[A-Za-z]{16}$/)
    expect(flow.nonce).toMatch(/^[A-Za-z]{16}$/)
  })

  it('with no options: no redirect_uri, hints, prompt or X-AnchorMailbox; null redirect_uri and claims_challenge in the flow; no max_age', async () => {
    const flow = await run({ state: 'my-state' })
    const q = [...new URL(flow.auth_uri).searchParams.keys()]
    expect(q).toEqual(['client_id', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'nonce', 'client_info'])
    expect(flow.state).toBe('my-state')
    expect(flow.redirect_uri).toBeNull()
    expect(flow.claims_challenge).toBeNull()
    expect('max_age' in flow).toBe(false)
  })

  it('excludeScopes leaves offline_access out; a reserved scope is a ConfigError; client capabilities go into claims', async () => {
    const flow = await run({ excludeScopes: ['offline_access'], clientCapabilities: ['cp1'] })
    const q = new URL(flow.auth_uri).searchParams
    expect(q.get('scope')).toBe('User.Read openid profile')
    expect(q.get('claims')).toBe('{"access_token": {"xms_cc": {"values": ["cp1"]}}}')
    const bad = await initiateAuthCodeFlow({ clientId: 'cid', authority, scopes: ['openid'] })({ random })()
    expect(bad).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'reserved_scope' } })
    const badMode = await initiateAuthCodeFlow({ clientId: 'cid', authority, scopes: [], responseMode: 'fragment' as 'query' })({ random })()
    expect(badMode).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', field: 'responseMode' } })
  })

  it('property: the flow survives a JSON round trip unchanged (plain JSON, safe in a session)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            redirectUri: fc.webUrl(),
            loginHint: fc.emailAddress(),
            prompt: fc.constantFrom('login', 'consent', 'select_account', 'none'),
            maxAge: fc.nat({ max: 86_400 }),
            responseMode: fc.constantFrom('query' as const, 'form_post' as const),
            claimsChallenge: fc.constant('{"id_token":{"acr":null}}'),
            state: fc.string({ minLength: 1, maxLength: 40 }),
          },
          { requiredKeys: [] },
        ),
        fc.array(fc.constantFrom('User.Read', 'Mail.Send', 'api://x/y'), { maxLength: 3 }),
        async (options, scopes) => {
          const flow = await run({ ...options, scopes })
          expect(JSON.parse(JSON.stringify(flow))).toStrictEqual(flow)
          const q = new URL(flow.auth_uri).searchParams
          expect(q.get('state')).toBe(flow.state)
          expect(q.get('nonce')).toBe(sha256hex(flow.nonce))
          expect(q.get('code_challenge')).toBe(b64sha(flow.code_verifier))
          expect(q.get('redirect_uri')).toBe(flow.redirect_uri)
        },
      ),
      { numRuns: 100 },
    )
  })
})

describe('getAuthorizationRequestUrl', () => {
  it("gives MSAL Python 1.21's URL (nonce as given, no PKCE, ~ kept and * escaped as urlencode does)", () => {
    const r = getAuthorizationRequestUrl({
      clientId: 'cid',
      authority,
      scopes: ['User.Read'],
      loginHint: 'u@x',
      state: 's1',
      redirectUri: 'http://r/~a*b',
      nonce: 'n1',
      prompt: 'login',
      domainHint: 'd.com',
      claimsChallenge: '{"id_token":{"x":null}}',
      clientCapabilities: ['cp1'],
    })
    expect(r).toEqual({
      _tag: 'Right',
      right:
        'https://login.example/t1/oauth2/v2.0/authorize?client_id=cid&response_type=code&redirect_uri=http%3A%2F%2Fr%2F~a%2Ab&scope=User.Read+offline_access+openid+profile&state=s1&nonce=n1&login_hint=u%40x&prompt=login&domain_hint=d.com&claims=%7B%22id_token%22%3A+%7B%22x%22%3A+null%7D%2C+%22access_token%22%3A+%7B%22xms_cc%22%3A+%7B%22values%22%3A+%5B%22cp1%22%5D%7D%7D%7D',
    })
  })
})
