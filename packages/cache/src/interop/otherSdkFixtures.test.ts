/**
 * Caches in the shapes MSAL .NET and MSAL Java write, hand-written from their serializers
 * (no .NET or Java runtime here), secrets redacted:
 *
 * - `msal-dotnet-shape.json`: MSAL .NET's `StorageJsonKeys` and cache items. Every credential
 *   carries `client_info`; access tokens carry `ext_expires_on` beside
 *   `extended_expires_on`, `refresh_on`, and `token_type` only when it is not Bearer; the
 *   key id is `kid`; an application token has no `home_account_id` at all; an OBO token has
 *   `user_assertion_hash`; a PoP token is an `AccessToken` of `token_type: "pop"` under an
 *   `accesstoken_with_authscheme` key; a token bound to cache key components is `ATExt` with
 *   an `ext` object; the account has `given_name`, `family_name`, `account_source` and a
 *   nested `wam_account_ids`; app metadata has `family_id` only when known. One access token
 *   has no `secret` (MSAL .NET omits null fields), as in other SDKs' test caches.
 * - `msal-java-shape.json`: MSAL Java's `*CacheEntity.toJson`: every field written, `null`
 *   when it has no value (`"user_assertion_hash": null`, `"refresh_on": null`,
 *   `"home_account_id": null` for an application token, `"family_id": null`), keys
 *   lower-cased, an ADFS account with a mixed-case `home_account_id` and a `null` realm.
 *
 * Each must load, answer the lookups an app makes, serve nothing it should not, and come
 * back out of `serialize` with every entry and field, byte for byte in sorted key order.
 */
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { findAccessTokens, type AccessTokenQuery } from '../accessTokens.js'
import { getAccounts } from '../accounts.js'
import { familyIdOf } from '../appMetadata.js'
import { deserialize } from '../deserialize.js'
import { addAppTokenResponse } from '../fold.js'
import { findIdTokens } from '../idTokens.js'
import { findRefreshTokens } from '../refreshTokens.js'
import { removeAccount } from '../remove.js'
import { serialize } from '../serialize.js'
import { cacheSize, type CacheState } from '../state.js'

const TENANT = 'f645ad92-e38d-4d1a-b510-d1b09a74a8ca'
const CLIENT = 'c0ffee00-1111-4222-8333-444455556666'
const CONFIDENTIAL = 'c0ffee00-1111-4222-8333-0000000000a9'
const OFFICE = 'd3590ed6-52b3-4102-aeff-aad2292ab01c'
const HOME = `9f4880d8-80ba-4c40-97bc-f7a23c703084.${TENANT}`
const ENV = 'login.microsoftonline.com'
const ASSERTION_HASH = 'nZt0vW8dH5cJzQXn0E2qkP5oRqvQy1Lj9dZgkB3xT0U'
/** Between `cached_at` (1767225600) and `expires_on` (1767229200) of every token. */
const NOW = 1_767_226_000

const fixture = (file: string): string => readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')

const load = (json: string): CacheState => {
  const r = deserialize(json)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

/** Test-local canonical form: every object's keys sorted, compact. */
const canonical = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(canonical)
  if (typeof v !== 'object' || v === null) return v
  const o = v as Readonly<Record<string, unknown>>
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, canonical(o[k])]))
}

const user: AccessTokenQuery = { clientId: CLIENT, environments: [ENV], realm: TENANT, homeAccountId: HOME, scopes: ['User.Read'], nowSeconds: NOW }
const app: AccessTokenQuery = { clientId: CONFIDENTIAL, environments: [ENV], realm: TENANT, homeAccountId: '', scopes: ['https://graph.microsoft.com/.default'], nowSeconds: NOW }
const obo: AccessTokenQuery = { clientId: CONFIDENTIAL, environments: [ENV], realm: TENANT, homeAccountId: HOME, scopes: ['api://downstream/.default'], nowSeconds: NOW }
const targets = (q: AccessTokenQuery, s: CacheState): ReadonlyArray<string> => findAccessTokens(q)(s).map((e) => `${e.target ?? ''}`)

describe.each(['msal-dotnet-shape.json', 'msal-java-shape.json'])('%s', (file) => {
  const json = fixture(file)

  it('serializes back every entry and field, byte for byte in sorted key order', () => {
    const s = load(json)
    expect(serialize(s)).toBe(JSON.stringify(canonical(JSON.parse(json))))
  })

  it('answers the user, application and OBO lookups, and the refresh token, id token and account ones', () => {
    const s = load(json)
    expect(targets(user, s)).toEqual(['User.Read openid profile'])
    expect(targets({ ...user, scopes: ['user.read', 'PROFILE'] }, s)).toEqual(['User.Read openid profile'])
    expect(targets({ ...user, nowSeconds: 1_767_229_201 }, s)).toEqual([])
    expect(targets(app, s)).toEqual(['https://graph.microsoft.com/.default'])
    // The OBO token answers only the OBO query with its assertion hash.
    expect(targets(obo, s)).toEqual([])
    expect(targets({ ...obo, userAssertionHash: ASSERTION_HASH }, s)).toEqual(['api://downstream/.default'])
    expect(findRefreshTokens({ homeAccountId: HOME, environments: [ENV], familyId: '1' })(s).map((r) => r.family_id)).toEqual(['1'])
    const [idToken, ...more] = findIdTokens({ homeAccountId: HOME, environments: [ENV], clientId: CLIENT, realm: TENANT })(s)
    expect(more).toEqual([])
    expect(decodeJwt(idToken?.secret ?? '')).toMatchObject({ aud: CLIENT, tid: TENANT, preferred_username: 'bob@contoso.onmicrosoft.com' })
    expect(getAccounts({ username: 'Bob@Contoso.onmicrosoft.com' })(s).map((a) => [a.home_account_id, a.realm, a.local_account_id])).toEqual([
      [HOME, TENANT, '9f4880d8-80ba-4c40-97bc-f7a23c703084'],
    ])
  })

  it('survives a sign-out and a new token: the other entries come back as they were', () => {
    const s = load(json)
    const next = addAppTokenResponse({ clientId: CONFIDENTIAL, environment: ENV, realm: TENANT, scopes: ['api://other/.default'], nowSeconds: NOW, response: { access_token: 'new' } })(
      removeAccount({ clientId: CLIENT, homeAccountId: HOME, environment: ENV })(s),
    )
    const before = JSON.parse(json) as Readonly<Record<string, Readonly<Record<string, unknown>>>>
    const after = JSON.parse(serialize(next)) as Readonly<Record<string, Readonly<Record<string, unknown>>>>
    const appKey = `-${ENV}-accesstoken-${CONFIDENTIAL}-${TENANT}-https://graph.microsoft.com/.default`
    expect(after['AccessToken']?.[appKey]).toEqual(before['AccessToken']?.[appKey])
    expect(after['AppMetadata']).toEqual({ ...before['AppMetadata'], [`appmetadata-${ENV}-${CONFIDENTIAL}`]: { client_id: CONFIDENTIAL, environment: ENV } })
    expect(getAccounts({ homeAccountId: HOME })(next)).toEqual([])
  })
})

describe('msal-dotnet-shape.json', () => {
  const json = fixture('msal-dotnet-shape.json')

  it('loads 9 entries it understands and keeps 2 it does not (ATExt, no secret), serving neither', () => {
    const s = load(json)
    expect(cacheSize(s)).toBe(9)
    expect(s.unreadable.map(([section, key]) => `${section} ${key}`)).toEqual([
      `AccessToken -${ENV}-atext-${CONFIDENTIAL}-${TENANT}-https://graph.microsoft.com/.default-3mnn4ptgpvuk4rfcuq5grmcdibp4dtcm7xhbkvwgiyhprjjpcuqq`,
      `AccessToken -${ENV}-accesstoken-${CONFIDENTIAL}-${TENANT}-api://no-secret/.default`,
    ])
    // The ATExt token shares the plain app token's slot and scope: only the plain one answers.
    const { nowSeconds: _now, ...anyTime } = app
    expect(findAccessTokens(anyTime)(s)).toHaveLength(1)
    expect(targets({ ...app, scopes: ['api://no-secret/.default'] }, s)).toEqual([])
  })

  it('reads the PoP token (token_type pop, key id in "kid") only for a PoP lookup with its key', () => {
    const s = load(json)
    expect(targets({ ...user, scopes: ['User.Read'], tokenType: 'pop', keyId: 'pop-key-1' }, s)).toEqual(['User.Read'])
    expect(targets({ ...user, tokenType: 'pop', keyId: 'another-key' }, s)).toEqual([])
    expect(targets({ ...user, scopes: [] }, s)).toEqual(['User.Read openid profile'])
  })

  it('knows the app\'s family from AppMetadata, and reads refresh_on', () => {
    const s = load(json)
    expect(familyIdOf({ clientId: CLIENT, environments: [ENV] })(s)).toBe('1')
    expect(familyIdOf({ clientId: CONFIDENTIAL, environments: [ENV] })(s)).toBeUndefined()
    expect(findAccessTokens(user)(s).map((e) => e.refresh_on)).toEqual(['1767227400'])
    expect(getAccounts({ homeAccountId: HOME })(s)[0]).toMatchObject({ given_name: 'Bob', wam_account_ids: { '00000000480FA373': 'ob7b8h79td9gs6hfqoh2r37m' } })
  })
})

describe('msal-java-shape.json', () => {
  const json = fixture('msal-java-shape.json')

  it('loads all 10 entries, nulls and all', () => {
    const s = load(json)
    expect(cacheSize(s)).toBe(10)
    expect(s.unreadable).toEqual([])
  })

  it('reads null as absent: the app token (home_account_id null) and the user token (no hash, no refresh_on)', () => {
    const s = load(json)
    expect(findAccessTokens(app)(s).map((e) => e.home_account_id)).toEqual([null])
    expect(findAccessTokens(user)(s).map((e) => [e.user_assertion_hash, e.refresh_on])).toEqual([[null, null]])
    expect(findRefreshTokens({ homeAccountId: HOME, environments: [ENV], clientId: CLIENT })(s).map((r) => r.family_id)).toEqual([null])
    expect(familyIdOf({ clientId: CLIENT, environments: [ENV] })(s)).toBeUndefined()
    expect(familyIdOf({ clientId: OFFICE, environments: [ENV] })(s)).toBe('1')
  })

  it('finds the ADFS account by its mixed-case home account id, with its null realm', () => {
    const s = load(json)
    expect(getAccounts({ homeAccountId: 'abcdef0123456789xyz', environments: ['fs.contoso.com'] })(s).map((a) => [a.username, a.realm, a.authority_type])).toEqual([
      ['bob@contoso.com', null, 'ADFS'],
    ])
  })
})
