import { describe, expect, it } from 'vitest'
import { emptyCache, serialize } from '@authfold/cache'
import type { ResolvedAuthority, TokenResponse } from '@authfold/core'
import { foldUserToken, type UserTokenSlot } from './foldUserToken.js'

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'RS256' })}.${b64(claims)}.c2ln`
const NOW = 1_700_000_000
const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47'
const authority: ResolvedAuthority = {
  authority: { kind: 'entra', url: `https://login.microsoftonline.com/${TID}/`, host: 'login.microsoftonline.com', tenant: TID, path: TID },
  metadata: { issuer: `https://login.microsoftonline.com/${TID}/v2.0`, authorization_endpoint: 'https://x/a', token_endpoint: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/token` },
  environment: 'login.microsoftonline.com',
  aliases: ['login.microsoftonline.com', 'login.windows.net'],
  realm: TID,
}
const slot: UserTokenSlot = { clientId: 'client-1', authority, scopes: ['User.Read', 'openid', 'profile', 'offline_access'], grantType: 'authorization_code', nonce: 'n-1' }
const claims = { aud: 'client-1', iss: `https://login.microsoftonline.com/${TID}/v2.0`, exp: NOW + 3600, nonce: 'n-1', oid: 'oid-1', tid: TID, preferred_username: 'jane@contoso.com', name: 'Jane' }
const answer = (over: Record<string, unknown> = {}): TokenResponse => ({
  access_token: 'at-1',
  token_type: 'Bearer',
  expires_in: 3600,
  scope: 'User.Read openid profile offline_access',
  refresh_token: 'rt-1',
  id_token: jwt(claims),
  client_info: b64({ uid: 'oid-1', utid: TID }),
  ...over,
})

describe('foldUserToken', () => {
  it('writes the access, refresh and ID tokens, the account and app metadata, and gives the claims and account', () => {
    const r = foldUserToken(slot, NOW)(answer())(emptyCache)
    if (r._tag === 'Left') throw new Error(r.left.message)
    const [result, next] = r.right
    expect(result).toMatchObject({
      access_token: 'at-1',
      refresh_token: 'rt-1',
      token_source: 'identity_provider',
      id_token_claims: claims,
      account: { home_account_id: `oid-1.${TID}`, environment: 'login.microsoftonline.com', realm: TID, local_account_id: 'oid-1', username: 'jane@contoso.com', authority_type: 'MSSTS' },
    })
    const doc = JSON.parse(serialize(next)) as Record<string, Record<string, unknown>>
    // MSAL's key layout, lower-cased, environment = the authority's host. The target is sorted
    // (MSAL Python keeps the server's order; every library looks tokens up by fields, not keys).
    expect(Object.keys(doc['AccessToken'] ?? {})).toEqual([`oid-1.${TID}-login.microsoftonline.com-accesstoken-client-1-${TID}-user.read offline_access openid profile`])
    expect(Object.keys(doc['IdToken'] ?? {})).toEqual([`oid-1.${TID}-login.microsoftonline.com-idtoken-client-1-${TID}-`])
    expect(Object.keys(doc['Account'] ?? {})).toEqual([`oid-1.${TID}-login.microsoftonline.com-${TID}`])
    expect(Object.keys(doc['AppMetadata'] ?? {})).toEqual(['appmetadata-login.microsoftonline.com-client-1'])
    expect(Object.keys(doc['RefreshToken'] ?? {})).toHaveLength(1)
  })

  it('a nonce that is not the one sent is a ValidationError and the cache is exactly as it was', () => {
    const r = foldUserToken(slot, NOW)(answer({ id_token: jwt({ ...claims, nonce: 'other' }) }))(emptyCache)
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', code: 'nonce_mismatch' } })
  })

  it('an answer without an id_token folds the tokens and gives no claims', () => {
    const r = foldUserToken({ ...slot, nonce: undefined }, NOW)(answer({ id_token: undefined }))(emptyCache)
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(r.right[0].id_token_claims).toBeUndefined()
    expect(r.right[0].account?.home_account_id).toBe(`oid-1.${TID}`)
  })
})
