/**
 * Cache keys against MSAL Python 1.21. Every expected key below is a literal printed by
 * MSAL Python itself (`TokenCache().key_makers[...](**fields)` and the keys of
 * `SerializableTokenCache.add(event, now=1700000000)` for the same event), run with
 * /usr/bin/python3: the AccessToken, RefreshToken, IdToken and Account keys are lower-cased
 * as a whole (`"-".join([...]).lower()`), the AppMetadata key is not, and the entries keep
 * the case of their fields.
 */
import { describe, expect, it } from 'vitest'
import { hamtEntries, type Hamt } from './hamt.js'
import { addTokenResponse, type TokenEvent } from './fold.js'
import { accessTokenKey, accountKey, appMetadataKey, idTokenKey, refreshTokenKey } from './keys.js'
import { emptyCache } from './state.js'

const fields = {
  home_account_id: 'UID.UTid',
  environment: 'Login.MicrosoftOnline.COM',
  client_id: 'My-Client-ID',
  realm: 'Contoso.OnMicrosoft.COM',
  target: 'Mail.Send User.Read',
}

describe('cache keys (MSAL Python TokenCache.key_makers)', () => {
  it('lower-cases the whole AccessToken, IdToken and Account key', () => {
    expect(accessTokenKey(fields)).toBe('uid.utid-login.microsoftonline.com-accesstoken-my-client-id-contoso.onmicrosoft.com-mail.send user.read')
    expect(idTokenKey(fields)).toBe('uid.utid-login.microsoftonline.com-idtoken-my-client-id-contoso.onmicrosoft.com-')
    expect(accountKey(fields)).toBe('uid.utid-login.microsoftonline.com-contoso.onmicrosoft.com')
  })

  it('keeps the case of the AppMetadata key', () => {
    expect(appMetadataKey(fields)).toBe('appmetadata-Login.MicrosoftOnline.COM-My-Client-ID')
  })

  it('writes a null home account id as an empty first segment', () => {
    expect(
      accessTokenKey({ home_account_id: null, environment: 'Login.Example.COM', client_id: 'App-ID', realm: 'TENANT', target: 'https://Graph.Example.com/.default' }),
    ).toBe('-login.example.com-accesstoken-app-id-tenant-https://graph.example.com/.default')
  })

  it('lower-cases the RefreshToken key too, MSAL Python\'s layout: client id (even for a family token) and target', () => {
    // MSAL Python 1.21's key_makers[REFRESH_TOKEN] for these fields
    expect(refreshTokenKey(fields)).toBe('uid.utid-login.microsoftonline.com-refreshtoken-my-client-id--mail.send user.read')
    expect(refreshTokenKey({ ...fields, family_id: 'FAM' })).toBe('uid.utid-login.microsoftonline.com-refreshtoken-my-client-id--mail.send user.read')
    expect(refreshTokenKey({ ...fields, target: undefined })).toBe('uid.utid-login.microsoftonline.com-refreshtoken-my-client-id--')
  })
})

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')

describe('addTokenResponse files mixed-case answers under MSAL Python\'s keys', () => {
  const event: TokenEvent = {
    clientId: 'My-Client-ID',
    environment: 'Login.MicrosoftOnline.COM',
    realm: 'Contoso.OnMicrosoft.COM',
    scopes: ['Mail.Send', 'User.Read'],
    nowSeconds: 1_700_000_000,
    grantType: 'authorization_code',
    response: {
      access_token: 'at',
      expires_in: 3600,
      refresh_token: 'rt',
      token_type: 'Bearer',
      client_info: b64({ uid: 'UID', utid: 'UTid' }),
      id_token: `h.${b64({ iss: 'https://login.microsoftonline.com/Contoso/v2.0', sub: 'sub1', aud: 'My-Client-ID', oid: 'oid1', preferred_username: 'John@Contoso.COM', tid: 'utid', exp: 4_000_000_000, iat: 1_000_000_000 })}.s`,
    },
  }
  const s = addTokenResponse(event)(emptyCache)
  const only = <E>(m: Hamt<E>): readonly [string, E | undefined] => {
    const all = Array.from(hamtEntries(m))
    expect(all).toHaveLength(1)
    return all[0] ?? ['', undefined]
  }

  it('AccessToken: lower-cased key, fields as given (MSAL Python\'s entry, field for field)', () => {
    const [key, at] = only(s.accessTokens.entries)
    expect(key).toBe('uid.utid-login.microsoftonline.com-accesstoken-my-client-id-contoso.onmicrosoft.com-mail.send user.read')
    expect(at).toEqual({
      credential_type: 'AccessToken',
      secret: 'at',
      home_account_id: 'UID.UTid',
      environment: 'Login.MicrosoftOnline.COM',
      client_id: 'My-Client-ID',
      target: 'Mail.Send User.Read',
      realm: 'Contoso.OnMicrosoft.COM',
      token_type: 'Bearer',
      cached_at: '1700000000',
      expires_on: '1700003600',
      extended_expires_on: '1700003600',
    })
  })

  it('IdToken, Account and AppMetadata keys', () => {
    expect(only(s.idTokens.entries)[0]).toBe('uid.utid-login.microsoftonline.com-idtoken-my-client-id-contoso.onmicrosoft.com-')
    expect(only(s.accounts.entries)[0]).toBe('uid.utid-login.microsoftonline.com-contoso.onmicrosoft.com')
    expect(only(s.appMetadata.entries)[0]).toBe('appmetadata-Login.MicrosoftOnline.COM-My-Client-ID')
    expect(only(s.refreshTokens.entries)[0]).toBe('uid.utid-login.microsoftonline.com-refreshtoken-my-client-id--mail.send user.read')
  })
})

describe('an SSH certificate and a Bearer token for the same client and scopes coexist', () => {
  const app = (response: TokenEvent['response'], keyId?: string): TokenEvent => ({
    clientId: 'app',
    environment: 'login.example.com',
    realm: 'tenant',
    scopes: ['https://pas.windows.net/CheckMyAccess/Linux/.default'],
    nowSeconds: 1_700_000_000,
    grantType: 'client_credentials',
    response,
    ...(keyId === undefined ? {} : { keyId }),
  })
  const bearer = app({ access_token: 'bearer-at', token_type: 'Bearer', expires_in: 3600 })
  const ssh = app({ access_token: 'ssh-cert-at', token_type: 'ssh-cert', expires_in: 3600 }, 'Key-1')

  it('files the ssh-cert token under a key naming its token type and key id (the key id kept as given)', () => {
    expect(accessTokenKey({ ...fields, home_account_id: null, token_type: 'ssh-cert', key_id: 'Key-1' })).toBe(
      '-login.microsoftonline.com-accesstoken-my-client-id-contoso.onmicrosoft.com-mail.send user.read-ssh-cert-Key-1',
    )
    // without a key id, any token type keeps MSAL Python's key (its testAddByAad stores token_type "some type")
    expect(accessTokenKey({ ...fields, token_type: 'some type' })).toBe(accessTokenKey(fields))
  })

  it('neither overwrites the other, in either order, and two key ids keep two certificates', () => {
    for (const order of [[bearer, ssh], [ssh, bearer]]) {
      const s = order.reduce((acc, e) => addTokenResponse(e)(acc), emptyCache)
      expect(Array.from(hamtEntries(s.accessTokens.entries)).map(([, e]) => e.secret).sort()).toEqual(['bearer-at', 'ssh-cert-at'])
    }
    const two = [ssh, app({ access_token: 'ssh-cert-2', token_type: 'ssh-cert', expires_in: 3600 }, 'key-2')].reduce((acc, e) => addTokenResponse(e)(acc), emptyCache)
    expect(Array.from(hamtEntries(two.accessTokens.entries))).toHaveLength(2)
  })
})
