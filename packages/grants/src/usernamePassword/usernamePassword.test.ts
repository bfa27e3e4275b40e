import { describe, expect, it } from 'vitest'
import { inspect } from 'node:util'
import * as TE from 'fp-ts/TaskEither'
import { httpError, type GrantEnv, type HttpRequest, type HttpResponse, type ResolvedAuthority } from '@authfold/core'
import { addTokenResponse, emptyCache, serialize, type CacheState } from '@authfold/cache'
import { usernamePassword, type UsernamePasswordParams } from './usernamePassword.js'
import { userRealmMemo } from './userRealm.js'
import { federatedAssertionRequest, type Federation } from './federation.js'

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47'
const NOW = 1_700_000_000
const PASSWORD = 'Tr0ub4dor&3-secret'
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'RS256' })}.${b64(claims)}.c2ln`

const entra: ResolvedAuthority = {
  authority: { kind: 'entra', url: `https://login.microsoftonline.com/${TID}/`, host: 'login.microsoftonline.com', tenant: TID, path: TID },
  metadata: { issuer: `https://login.microsoftonline.com/${TID}/v2.0`, authorization_endpoint: 'https://x/a', token_endpoint: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/token` },
  environment: 'login.microsoftonline.com',
  aliases: ['login.microsoftonline.com', 'login.windows.net'],
  realm: TID,
}
const adfs: ResolvedAuthority = {
  authority: { kind: 'adfs', url: 'https://fs.contoso.com/adfs/', host: 'fs.contoso.com', tenant: 'adfs', path: 'adfs' },
  metadata: { issuer: 'https://fs.contoso.com/adfs', authorization_endpoint: 'https://fs.contoso.com/adfs/oauth2/authorize/', token_endpoint: 'https://fs.contoso.com/adfs/oauth2/token/' },
  environment: 'fs.contoso.com',
  aliases: ['fs.contoso.com'],
  realm: 'adfs',
}

const json = (status: number, body: unknown): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const managed = json(200, { ver: '1.0', account_type: 'Managed', domain_name: 'contoso.com', cloud_instance_name: 'microsoftonline.com', cloud_audience_urn: 'urn:federation:MicrosoftOnline' })
const federated = json(200, {
  ver: '1.0',
  account_type: 'Federated',
  domain_name: 'contoso.com',
  federation_protocol: 'WSTrust',
  federation_metadata_url: 'https://fs.contoso.com/adfs/services/trust/mex',
  federation_active_auth_url: 'https://fs.contoso.com/adfs/services/trust/2005/usernamemixed',
  cloud_instance_name: 'microsoftonline.com',
  cloud_audience_urn: 'urn:federation:MicrosoftOnline',
})
const unknown = json(200, { ver: '1.0', account_type: 'Unknown', cloud_instance_name: 'microsoftonline.com' })
const tokens = (issuer = entra.metadata.issuer) =>
  json(200, {
    token_type: 'Bearer',
    scope: 'User.Read openid profile',
    expires_in: 3599,
    access_token: 'at-1',
    refresh_token: 'rt-1',
    id_token: jwt({ aud: 'app-1', iss: issuer, exp: NOW + 3600, oid: 'oid-1', tid: TID, preferred_username: 'jane@contoso.com', name: 'Jane' }),
    client_info: b64({ uid: 'oid-1', utid: TID }),
  })
const wrongPassword = json(400, {
  error: 'invalid_grant',
  error_description: 'AADSTS50126: Error validating credentials due to invalid username or password.',
  error_codes: [50126],
})

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
const logged: string[] = []
const envWith = (http: GrantEnv['http']): GrantEnv => ({
  http,
  now: () => NOW * 1000,
  random: (n) => new Uint8Array(n).fill(7),
  sleep: () => async () => undefined,
  log: (_level, message) => void logged.push(message),
})
const params = (over: Partial<UsernamePasswordParams> = {}): UsernamePasswordParams => ({
  clientId: 'app-1',
  authority: entra,
  username: 'jane@contoso.com',
  password: PASSWORD,
  scopes: ['User.Read'],
  ...over,
})
const fields = (req: HttpRequest | undefined) => Object.fromEntries(new URLSearchParams(req?.body ?? ''))
/** A cache that already holds someone's tokens: a failure must leave it as it was. */
const earlier: CacheState = addTokenResponse({
  clientId: 'app-1',
  environment: 'login.microsoftonline.com',
  realm: TID,
  scopes: ['Mail.Read'],
  nowSeconds: NOW,
  grantType: 'password',
  response: { access_token: 'old-at', token_type: 'Bearer', expires_in: 3600, refresh_token: 'old-rt', client_info: b64({ uid: 'oid-0', utid: TID }) },
})(emptyCache)

const expectNoPassword = (value: unknown) => {
  expect(JSON.stringify(value)).not.toContain(PASSWORD)
  expect(inspect(value, { depth: 10 })).not.toContain(PASSWORD)
  expect(String(value)).not.toContain(PASSWORD)
  expect(logged.join('\n')).not.toContain(PASSWORD)
}

describe('usernamePassword', () => {
  it('discovers the realm, then sends the password grant with the fields and X-AnchorMailbox MSAL Python sends, and folds the answer', async () => {
    const { http, sent } = scripted([managed, tokens()])
    const r = await usernamePassword(params())(emptyCache)(envWith(http))()
    if (r._tag === 'Left') throw new Error(r.left.message)
    const [result, cache] = r.right
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET https://login.microsoftonline.com/common/userrealm/jane@contoso.com?api-version=1.0',
      `POST https://login.microsoftonline.com/${TID}/oauth2/v2.0/token`,
    ])
    expect(sent[0]?.headers).toEqual({ Accept: 'application/json', 'client-request-id': sent[1]?.headers['client-request-id'] })
    expect(fields(sent[1])).toEqual({
      client_id: 'app-1',
      grant_type: 'password',
      username: 'jane@contoso.com',
      password: PASSWORD,
      scope: 'User.Read openid profile offline_access',
      client_info: '1',
    })
    expect(sent[1]?.headers).toMatchObject({ 'X-AnchorMailbox': 'upn:jane@contoso.com', 'x-client-current-telemetry': '4|301,0|', 'return-client-request-id': 'true' })
    expect(result).toMatchObject({
      access_token: 'at-1',
      token_source: 'identity_provider',
      id_token_claims: { oid: 'oid-1', preferred_username: 'jane@contoso.com' },
      account: { home_account_id: `oid-1.${TID}`, environment: 'login.microsoftonline.com', realm: TID, username: 'jane@contoso.com', authority_type: 'MSSTS' },
    })
    const doc = JSON.parse(serialize(cache)) as Record<string, Record<string, Record<string, unknown>>>
    expect(Object.keys(doc['RefreshToken'] ?? {})).toHaveLength(1)
    expect(Object.values(doc['Account'] ?? {})[0]).toMatchObject({ username: 'jane@contoso.com' })
    expect(serialize(cache)).not.toContain(PASSWORD)
  })

  it('sends claims (challenge merged with capabilities) and keeps a given correlation id on both requests', async () => {
    const { http, sent } = scripted([managed, tokens()])
    await usernamePassword(params({ clientCapabilities: ['cp1'], correlationId: 'corr-9' }))(emptyCache)(envWith(http))()
    expect(fields(sent[1])['claims']).toBe('{"access_token": {"xms_cc": {"values": ["cp1"]}}}')
    expect(sent.map((s) => s.headers['client-request-id'])).toEqual(['corr-9', 'corr-9'])
  })

  it('a federated realm is a ConfigError naming @authfold/wstrust; no token request, cache as it was', async () => {
    const { http, sent } = scripted([federated, tokens()])
    const r = await usernamePassword(params())(earlier)(envWith(http))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'unsupported', field: 'username' } })
    if (r._tag === 'Left') {
      expect(r.left.message).toContain('@authfold/wstrust')
      expect(r.left.message).toContain('contoso.com')
      expectNoPassword(r.left)
    }
    expect(sent).toHaveLength(1)
  })

  it('an unknown realm is a ConfigError saying the user realm is unknown; no token request', async () => {
    const { http, sent } = scripted([unknown, tokens()])
    const r = await usernamePassword(params())(earlier)(envWith(http))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'invalid_argument', field: 'username' } })
    if (r._tag === 'Left') expect(r.left.message).toMatch(/user realm is unknown/)
    expect(sent).toHaveLength(1)
  })

  it('a wrong password is the IdP ProtocolError invalid_grant, and the password shows nowhere', async () => {
    const { http } = scripted([managed, wrongPassword])
    const r = await usernamePassword(params())(earlier)(envWith(http))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ProtocolError', error: 'invalid_grant', errorCodes: [50126], status: 400 } })
    if (r._tag === 'Left') expectNoPassword(r.left)
  })

  it('a token answer that is not a token, or an id_token for another client, is an error without the password', async () => {
    for (const answer of [json(200, { token_type: 'Bearer', access_token: 'at', expires_in: PASSWORD }), json(200, { token_type: 'Bearer', access_token: 'at', expires_in: 60, id_token: jwt({ aud: 'other', iss: entra.metadata.issuer, exp: NOW + 60 }) })]) {
      const { http } = scripted([managed, answer])
      const r = await usernamePassword(params())(earlier)(envWith(http))()
      expect(r._tag).toBe('Left')
      if (r._tag === 'Left') expectNoPassword(r.left)
    }
  })

  it('a realm endpoint that fails (network, 500, not JSON) stops before the token request', async () => {
    for (const answer of ['network', json(500, {}), { status: 200, headers: {}, body: '<html>' }] as const) {
      const { http, sent } = scripted([answer, tokens()])
      const r = await usernamePassword(params())(earlier)(envWith(http))()
      expect(r._tag).toBe('Left')
      if (r._tag === 'Left') expect(['HttpError', 'DecodeError']).toContain(r.left._tag)
      expect(sent).toHaveLength(1)
    }
  })

  it('a host without a realm endpoint (404) goes on with the password grant and is remembered: the next call skips it (MSAL Python)', async () => {
    const memo = userRealmMemo()
    const first = scripted([json(404, { error: 'not_found' }), tokens()])
    const r1 = await usernamePassword(params({ userRealmMemo: memo }))(emptyCache)(envWith(first.http))()
    expect(r1._tag).toBe('Right')
    expect(first.sent.map((s) => s.method)).toEqual(['GET', 'POST'])
    expect(memo.has('LOGIN.microsoftonline.com')).toBe(true)
    const second = scripted([tokens()])
    const r2 = await usernamePassword(params({ userRealmMemo: memo }))(emptyCache)(envWith(second.http))()
    expect(r2._tag).toBe('Right')
    expect(second.sent.map((s) => s.method)).toEqual(['POST'])
  })

  it('skips user realm discovery for ADFS, as MSAL Python does, and files the account as ADFS', async () => {
    const { http, sent } = scripted([tokens(adfs.metadata.issuer)])
    const r = await usernamePassword(params({ authority: adfs }))(emptyCache)(envWith(http))()
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual(['POST https://fs.contoso.com/adfs/oauth2/token/'])
    expect(r.right[0].account?.authority_type).toBe('ADFS')
  })

  it('refuses a missing username or password and a reserved scope before any request', async () => {
    for (const over of [{ username: '' }, { password: '' }, { scopes: ['openid'] }]) {
      const { http, sent } = scripted([managed, tokens()])
      const r = await usernamePassword(params(over))(earlier)(envWith(http))()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError' } })
      expect(sent).toHaveLength(0)
    }
  })
})

describe('usernamePassword with a federation (the hook @authfold/wstrust fills)', () => {
  const saml = { grantType: 'urn:ietf:params:oauth:grant-type:saml1_1-bearer', assertion: 'PHNhbWw6QXNzZXJ0aW9uLz4' }
  it('a federated realm goes through the federation, then the SAML grant with the fields MSAL Python sends (no password, no X-AnchorMailbox), folded', async () => {
    const { http, sent } = scripted([federated, tokens()])
    const seen: Array<{ readonly username: string; readonly realm: unknown; readonly correlationId: string }> = []
    const federation: Federation = (user) => () => {
      seen.push({ username: user.username, realm: user.realm.federation_metadata_url, correlationId: user.correlationId })
      return TE.right(saml)
    }
    const r = await usernamePassword(params({ federation, correlationId: 'corr-f' }))(emptyCache)(envWith(http))()
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(seen).toEqual([{ username: 'jane@contoso.com', realm: 'https://fs.contoso.com/adfs/services/trust/mex', correlationId: 'corr-f' }])
    expect(fields(sent[1])).toEqual({ client_id: 'app-1', grant_type: saml.grantType, assertion: saml.assertion, scope: 'User.Read openid profile offline_access', client_info: '1' })
    expect(sent[1]?.headers['X-AnchorMailbox']).toBeUndefined()
    expect(sent[1]?.body).not.toContain('password')
    expect(r.right[0].account).toMatchObject({ username: 'jane@contoso.com' })
  })

  it('a managed realm ignores the federation; a failing federation sends no token request and leaves the cache as it was', async () => {
    const never: Federation = () => () => TE.left(httpError('network', 'https://fs.contoso.com/adfs/services/trust/mex', 'down'))
    const managedRun = scripted([managed, tokens()])
    expect((await usernamePassword(params({ federation: never }))(emptyCache)(envWith(managedRun.http))())._tag).toBe('Right')
    expect(fields(managedRun.sent[1])['grant_type']).toBe('password')
    const fedRun = scripted([federated, tokens()])
    const r = await usernamePassword(params({ federation: never }))(earlier)(envWith(fedRun.http))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'network' } })
    expect(fedRun.sent).toHaveLength(1)
  })

  it('federatedAssertionRequest: the literal fields, claims when given', () => {
    expect(federatedAssertionRequest(saml, ['User.Read', 'openid'], '{"a":1}')).toEqual({ grant_type: saml.grantType, assertion: saml.assertion, scope: 'User.Read openid', client_info: '1', claims: '{"a":1}' })
  })
})
