import { describe, expect, it } from 'vitest'
import { hamtGet, hamtValues } from './hamt.js'
import { addTokenResponse, type TokenEvent } from './fold.js'
import { emptyCache, type CacheState } from './state.js'
import { findAccessTokens } from './accessTokens.js'
import { serialize } from './serialize.js'

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const idToken = (claims: Record<string, unknown>): string => `header.${b64({ iss: 'issuer', sub: 'subject', aud: 'my_client_id', ...claims })}.signature`

const aad = (over: Partial<TokenEvent> = {}, response: Partial<TokenEvent['response']> = {}): TokenEvent => ({
  clientId: 'my_client_id',
  environment: 'login.example.com',
  realm: 'contoso',
  scopes: ['s2', 's1', 's3'],
  nowSeconds: 1000,
  response: {
    access_token: 'an access token',
    expires_in: 3600,
    token_type: 'some type',
    client_info: b64({ uid: 'uid', utid: 'utid' }),
    id_token: idToken({ oid: 'object1234', preferred_username: 'John Doe' }),
    refresh_token: 'a refresh token',
    ...response,
  },
  ...over,
})

describe('addTokenResponse (MSAL Python testAddByAad / testAddByAdfs)', () => {
  it('writes the five sections exactly as MSAL Python does', () => {
    const e = aad()
    const s = addTokenResponse(e)(emptyCache)
    expect(hamtGet(s.accessTokens.entries, 'uid.utid-login.example.com-accesstoken-my_client_id-contoso-s1 s2 s3')).toEqual({
      cached_at: '1000',
      client_id: 'my_client_id',
      credential_type: 'AccessToken',
      environment: 'login.example.com',
      expires_on: '4600',
      extended_expires_on: '4600',
      home_account_id: 'uid.utid',
      realm: 'contoso',
      secret: 'an access token',
      target: 's1 s2 s3',
      token_type: 'some type',
    })
    // MSAL Python's testAddByAad: "uid.utid-login.example.com-refreshtoken-my_client_id--s2 s1 s3" (its
    // target keeps the answer's order; authfold's is sorted, the key follows the entry's own target)
    expect(hamtGet(s.refreshTokens.entries, 'uid.utid-login.example.com-refreshtoken-my_client_id--s1 s2 s3')).toEqual({
      client_id: 'my_client_id',
      credential_type: 'RefreshToken',
      environment: 'login.example.com',
      home_account_id: 'uid.utid',
      last_modification_time: '1000',
      secret: 'a refresh token',
      target: 's1 s2 s3',
    })
    expect(hamtGet(s.accounts.entries, 'uid.utid-login.example.com-contoso')).toEqual({
      home_account_id: 'uid.utid',
      environment: 'login.example.com',
      realm: 'contoso',
      local_account_id: 'object1234',
      username: 'John Doe',
      authority_type: 'MSSTS',
    })
    expect(hamtGet(s.idTokens.entries, 'uid.utid-login.example.com-idtoken-my_client_id-contoso-')).toEqual({
      credential_type: 'IdToken',
      secret: e.response.id_token,
      home_account_id: 'uid.utid',
      environment: 'login.example.com',
      realm: 'contoso',
      client_id: 'my_client_id',
    })
    expect(hamtGet(s.appMetadata.entries, 'appmetadata-login.example.com-my_client_id')).toEqual({
      client_id: 'my_client_id',
      environment: 'login.example.com',
    })
  })

  it('ADFS: home account from sub, authority_type ADFS, username from upn', () => {
    const s = addTokenResponse(
      aad({ environment: 'fs.msidlab8.com', realm: 'adfs' }, { client_info: undefined as never, id_token: idToken({ upn: 'JaneDoe@example.com' }) }),
    )(emptyCache)
    expect(hamtGet(s.accounts.entries, 'subject-fs.msidlab8.com-adfs')).toEqual({
      home_account_id: 'subject',
      environment: 'fs.msidlab8.com',
      realm: 'adfs',
      local_account_id: 'subject',
      username: 'JaneDoe@example.com',
      authority_type: 'ADFS',
    })
    expect(hamtGet(s.accessTokens.entries, 'subject-fs.msidlab8.com-accesstoken-my_client_id-adfs-s1 s2 s3')?.home_account_id).toBe('subject')
  })

  it('client credentials: home_account_id null (as MSAL Python writes it), no account, no refresh token', () => {
    const s = addTokenResponse({
      clientId: 'cid',
      environment: 'login.microsoftonline.com',
      realm: 'tenant',
      scopes: ['https://graph.microsoft.com/.default'],
      nowSeconds: 10,
      response: { access_token: 'app', expires_in: 100 },
    })(emptyCache)
    const at = Array.from(hamtValues(s.accessTokens.entries))
    expect(at).toHaveLength(1)
    expect(at[0]?.home_account_id).toBeNull()
    expect(at[0]?.token_type).toBe('Bearer')
    expect(s.accounts.entries.size).toBe(0)
    expect(s.refreshTokens.entries.size).toBe(0)
    expect(s.appMetadata.entries.size).toBe(1)
    expect(
      findAccessTokens({ clientId: 'CID', environments: ['login.microsoftonline.com'], realm: 'tenant', homeAccountId: '', scopes: ['https://graph.microsoft.com/.default'] })(s),
    ).toHaveLength(1)
  })

  it('refresh_in becomes refresh_on; expires_on in the answer is honoured when expires_in is missing', () => {
    const s = addTokenResponse(aad({}, { refresh_in: 1800 }))(emptyCache)
    expect(Array.from(hamtValues(s.accessTokens.entries))[0]?.refresh_on).toBe('2800')
    const r = { access_token: 'mi', expires_on: '1600' } as unknown as TokenEvent['response']
    const s2 = addTokenResponse({ ...aad(), response: r })(emptyCache)
    expect(Array.from(hamtValues(s2.accessTokens.entries))[0]?.expires_on).toBe('1600')
    const s3 = addTokenResponse({ ...aad(), response: { access_token: 'x' } })(emptyCache)
    expect(Array.from(hamtValues(s3.accessTokens.entries))[0]?.expires_on).toBe('1600')
  })

  it('FOCI: family_id on the refresh token (keyed by client id, as MSAL Python keys it) and on app metadata', () => {
    const s = addTokenResponse(aad({}, { foci: '1' }))(emptyCache)
    expect(hamtGet(s.refreshTokens.entries, 'uid.utid-login.example.com-refreshtoken-my_client_id--s1 s2 s3')?.family_id).toBe('1')
    expect(hamtGet(s.appMetadata.entries, 'appmetadata-login.example.com-my_client_id')?.family_id).toBe('1')
  })

  it('replaces an access token whose target overlaps, keeps a disjoint one', () => {
    let s: CacheState = addTokenResponse(aad({ scopes: ['a', 'b'] }, { access_token: 'ab' }))(emptyCache)
    s = addTokenResponse(aad({ scopes: ['c'] }, { access_token: 'c' }))(s)
    s = addTokenResponse(aad({ scopes: ['B', 'd'] }, { access_token: 'bd' }))(s)
    expect(Array.from(hamtValues(s.accessTokens.entries)).map((e) => e.secret).sort()).toEqual(['bd', 'c'])
  })

  it('a broken id_token is skipped; everything else is stored', () => {
    const s = addTokenResponse(aad({}, { id_token: 'not-a-jwt' }))(emptyCache)
    expect(s.idTokens.entries.size).toBe(0)
    expect(s.accessTokens.entries.size).toBe(1)
    expect(s.refreshTokens.entries.size).toBe(1)
    const acct = Array.from(hamtValues(s.accounts.entries))
    expect(acct).toHaveLength(1)
    expect(acct[0]?.home_account_id).toBe('uid.utid')
    expect(acct[0]?.local_account_id).toBeNull()
    expect(acct[0]?.username).toBe('')
  })

  it('an answer without id_token keeps the username already known', () => {
    const s1 = addTokenResponse(aad())(emptyCache)
    const s2 = addTokenResponse(aad({}, { id_token: undefined as never }))(s1)
    expect(Array.from(hamtValues(s2.accounts.entries))[0]).toMatchObject({ username: 'John Doe', local_account_id: 'object1234' })
  })

  it('is pure and idempotent', () => {
    const s1 = addTokenResponse(aad())(emptyCache)
    const before = serialize(s1)
    const s2 = addTokenResponse(aad())(s1)
    expect(serialize(s1)).toBe(before)
    expect(serialize(s2)).toBe(before)
    expect(serialize(emptyCache)).toBe('{"AccessToken":{},"Account":{},"AppMetadata":{},"IdToken":{},"RefreshToken":{}}')
  })

  it('account_source for grants that establish an account', () => {
    const s = addTokenResponse(aad({ grantType: 'authorization_code' }))(emptyCache)
    expect(Array.from(hamtValues(s.accounts.entries))[0]?.account_source).toBe('authorization_code')
  })
})

describe('addTokenResponse for an on-behalf-of answer', () => {
  it('writes the assertion hash on the access token under both spellings (msal-node reads userAssertionHash only) and on the refresh token as user_assertion_hash', () => {
    const s = addTokenResponse(aad({ userAssertionHash: 'h-of-assertion' }))(emptyCache)
    expect([...hamtValues(s.accessTokens.entries)].map((e) => [e.user_assertion_hash, e.userAssertionHash])).toEqual([['h-of-assertion', 'h-of-assertion']])
    expect([...hamtValues(s.refreshTokens.entries)].map((e) => e.user_assertion_hash)).toEqual(['h-of-assertion'])
  })
})
