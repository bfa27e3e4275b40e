import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import * as fc from 'fast-check'
import { deserialize, fromJsonObject, MAX_CACHE_DEPTH } from './deserialize.js'
import { serialize } from './serialize.js'
import { emptyCache } from './state.js'
import { findAccessTokens, removeExpiredAccessTokens } from './accessTokens.js'
import { getAccounts } from './accounts.js'
import { addTokenResponse } from './fold.js'
import { findRefreshTokens } from './refreshTokens.js'
import { removeAppTokens } from './remove.js'
import { cacheSize } from './state.js'

const SECRET = 'super-secret-value-123'

const leftOf = (json: string) => {
  const r = deserialize(json)
  if (E.isRight(r)) throw new Error('expected Left')
  expect(JSON.stringify(r.left)).not.toContain(SECRET)
  return r.left
}

describe('deserialize', () => {
  it('keeps an unknown "__proto__" field as plain data through a load and save', () => {
    const json = '{"AccessToken":{"k":{"credential_type":"AccessToken","secret":"s","__proto__":{"polluted":"yes"},"z":"1"}}}'
    const r = deserialize(json)
    if (E.isLeft(r)) throw new Error(r.left.message)
    const out = JSON.parse(serialize(r.right)) as { AccessToken: { k: Record<string, unknown> } }
    expect(Object.keys(out.AccessToken.k)).toEqual(['__proto__', 'credential_type', 'secret', 'z'])
    expect(serialize(r.right)).toContain('"__proto__":{"polluted":"yes"}')
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('reads the empty string as the empty cache (MSAL Python)', () => {
    expect(deserialize('')).toEqual(E.right(emptyCache))
  })

  it('rejects broken JSON and non-objects', () => {
    expect(leftOf('{"AccessToken": ').code).toBe('invalid_json')
    for (const j of ['null', '[]', '42', '"x"', 'true']) {
      const l = leftOf(j)
      expect(l.code).toBe('invalid_shape')
      expect(l.path).toBe('')
    }
  })

  it('names the section that has the wrong type', () => {
    const l = leftOf('{"AccessToken": []}')
    expect(l.path).toBe('AccessToken')
    expect(l.expected).toContain('object')
    expect(l.actual).toBe('an array')
  })

  it('keeps every entry it does not understand exactly as read, under its key, and serves none of them', () => {
    // MSAL Java, MSAL .NET and msal-node keep such entries; one of them used to fail the whole load.
    const doc = {
      AccessToken: {
        'no-secret': { credential_type: 'AccessToken', client_id: 'cid', environment: 'e', realm: 'r', home_account_id: '', target: SECRET },
        'wrong-type': { credential_type: 'AccessToken', secret: SECRET, client_id: 'cid', environment: 'e', realm: 7, home_account_id: '' },
        'not-an-object': SECRET,
        'null-entry': null,
        'dotnet-ext': { credential_type: 'ATExt', secret: SECRET, client_id: 'cid', environment: 'e', realm: 'r', home_account_id: '', ext: { fmi: 'x' } },
        'node-attribute-bound': { credential_type: 'AccessToken', secret: SECRET, client_id: 'cid', environment: 'e', realm: 'r', home_account_id: '', additionalCacheKeyComponents: { attribute_tokens: 'x' } },
        'node-claims-bound': { credential_type: 'AccessToken', secret: SECRET, client_id: 'cid', environment: 'e', realm: 'r', home_account_id: '', requestedClaimsHash: 'h' },
      },
      RefreshToken: { 'no-type': { secret: SECRET, home_account_id: 'h', environment: 'e', client_id: 'cid' } },
      IdToken: { 'number-secret': { credential_type: 'IdToken', secret: 5, home_account_id: 'h', environment: 'e', client_id: 'cid' } },
      Account: { 'no-home': { environment: 'e', realm: 'r', username: 'u' }, 'a-list': [1, 2] },
      AppMetadata: { 'no-client': { environment: 'e' } },
    }
    const r = deserialize(JSON.stringify(doc))
    if (E.isLeft(r)) throw new Error(r.left.message)
    const s = r.right
    expect(cacheSize(s)).toBe(0)
    expect(s.unreadable).toHaveLength(12)
    expect(JSON.parse(serialize(s))).toEqual(doc)
    expect(findAccessTokens({ clientId: 'cid', environments: ['e'], realm: 'r', homeAccountId: '', scopes: [] })(s)).toEqual([])
    expect(findRefreshTokens({ homeAccountId: 'h', environments: ['e'] })(s)).toEqual([])
    expect(getAccounts()(s)).toEqual([])
    // Removals leave them alone too.
    expect(serialize(removeAppTokens({ clientId: 'cid' })(s))).toBe(serialize(s))
    expect(serialize(removeExpiredAccessTokens(2_000_000_000)(s))).toBe(serialize(s))
  })

  it('writes an unreadable entry back byte for byte in the serializer\'s key order', () => {
    const r = deserialize('{"AccessToken":{"k":{"z":[3,{"b":1,"a":2}],"credential_type":"AccessToken","a":null}}}')
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(serialize(r.right)).toBe('{"AccessToken":{"k":{"a":null,"credential_type":"AccessToken","z":[3,{"a":2,"b":1}]}},"Account":{},"AppMetadata":{},"IdToken":{},"RefreshToken":{}}')
  })

  it('a readable entry written under the same key replaces the unreadable one', () => {
    const key = '-login.example.com-accesstoken-cid-contoso-scope'
    const r = deserialize(JSON.stringify({ AccessToken: { [key]: { credential_type: 'AccessToken', note: 'no secret' }, other: 5 } }))
    if (E.isLeft(r)) throw new Error(r.left.message)
    const next = addTokenResponse({ clientId: 'cid', environment: 'login.example.com', realm: 'contoso', scopes: ['scope'], nowSeconds: 100, response: { access_token: 'new' } })(r.right)
    expect(next.unreadable).toEqual([['AccessToken', 'other', 5]])
    const out = JSON.parse(serialize(next)).AccessToken
    expect(out[key].secret).toBe('new')
    expect(out[key].note).toBeUndefined()
    expect(out['other']).toBe(5)
  })

  it('reads null in any optional field as absent, and writes the null back', () => {
    // MSAL Java writes every field, null when it has no value; MSAL .NET test caches carry "user_assertion_hash": null.
    const entry = {
      credential_type: 'AccessToken', secret: 'at', home_account_id: null, environment: 'e', client_id: 'cid', realm: 'r', target: 's',
      user_assertion_hash: null, userAssertionHash: null, key_id: null, kid: null, keyid: null, ext_cache_key: null, token_type: null,
      cached_at: null, expires_on: '2000', extended_expires_on: null, refresh_on: null,
    }
    const doc = {
      AccessToken: { k: entry },
      RefreshToken: { r: { credential_type: 'RefreshToken', secret: 'rt', home_account_id: 'h', environment: 'e', client_id: 'cid', family_id: null, last_modification_time: null, target: null, realm: null } },
      Account: { a: { home_account_id: 'h', environment: 'e', realm: 'r', username: 'u', name: null, client_info: null, local_account_id: null, authority_type: 'MSSTS', last_modification_time: null, last_modification_app: null } },
      AppMetadata: { m: { client_id: 'cid', environment: 'e', family_id: null } },
    }
    const r = deserialize(JSON.stringify(doc))
    if (E.isLeft(r)) throw new Error(r.left.message)
    const s = r.right
    expect(s.unreadable).toEqual([])
    const q = { clientId: 'cid', environments: ['e'], realm: 'r', homeAccountId: '', scopes: ['s'] }
    expect(findAccessTokens(q)(s).map((e) => e.secret)).toEqual(['at'])
    expect(findAccessTokens({ ...q, nowSeconds: 2000 })(s).map((e) => e.secret)).toEqual(['at'])
    expect(findAccessTokens({ ...q, userAssertionHash: 'h' })(s)).toEqual([])
    expect(findAccessTokens({ ...q, keyId: 'k' })(s)).toEqual([])
    expect(findRefreshTokens({ homeAccountId: 'h', environments: ['e'], clientId: 'cid' })(s).map((e) => e.secret)).toEqual(['rt'])
    expect(findRefreshTokens({ homeAccountId: 'h', environments: ['e'], familyId: '1' })(s)).toEqual([])
    expect(getAccounts({ username: 'u' })(s)).toHaveLength(1)
    expect(JSON.parse(serialize(s))).toEqual({ ...doc, IdToken: {} })
  })

  it('keeps unknown sections and unknown fields (MSAL Python SerializableTokenCacheTestCase)', () => {
    const json = JSON.stringify({
      AccessToken: { 'an-entry': { credential_type: 'AccessToken', secret: 's', foo: 'bar', nested: { b: 1, a: [1, { z: 2 }] } } },
      customized: 'whatever',
      __proto__x: 1,
    })
    const s = deserialize(json)
    if (E.isLeft(s)) throw new Error(s.left.message)
    const out = JSON.parse(serialize(s.right)) as Record<string, unknown>
    expect(out['customized']).toBe('whatever')
    expect((out['AccessToken'] as Record<string, unknown>)['an-entry']).toEqual({
      credential_type: 'AccessToken',
      secret: 's',
      foo: 'bar',
      nested: { b: 1, a: [1, { z: 2 }] },
    })
  })

  it('keeps a "__proto__" key as data', () => {
    const json = '{"__proto__": {"x": 1}, "AccessToken": {"__proto__": {"credential_type": "AccessToken", "secret": "s", "__proto__": "f"}}}'
    const s = deserialize(json)
    if (E.isLeft(s)) throw new Error(s.left.message)
    expect(JSON.parse(serialize(s.right))).toEqual(JSON.parse('{"__proto__": {"x": 1}, "AccessToken": {"__proto__": {"credential_type": "AccessToken", "secret": "s", "__proto__": "f"}}, "Account": {}, "AppMetadata": {}, "IdToken": {}, "RefreshToken": {}}'))
  })

  it('keeps an entry whose key does not match its fields under its stored key, and finds it by its fields', () => {
    const json = JSON.stringify({
      AccessToken: {
        'wrong-key': {
          credential_type: 'AccessToken',
          secret: 'at',
          home_account_id: 'uid.utid',
          environment: 'login.example.com',
          client_id: 'cid',
          realm: 'contoso',
          target: 's1 s2',
          expires_on: '9999',
        },
      },
      RefreshToken: {
        'uid.utid-login.example.com-refreshtoken-cid--s2 s1 s3': {
          client_id: 'cid',
          credential_type: 'RefreshToken',
          environment: 'login.example.com',
          home_account_id: 'uid.utid',
          secret: 'a refresh token',
          target: 's2 s1 s3',
        },
      },
    })
    const s = deserialize(json)
    if (E.isLeft(s)) throw new Error(s.left.message)
    expect(JSON.parse(serialize(s.right)).AccessToken).toHaveProperty(['wrong-key'])
    expect(
      findAccessTokens({ clientId: 'cid', environments: ['login.example.com'], realm: 'contoso', homeAccountId: 'uid.utid', scopes: ['s2'] })(s.right).map((e) => e.secret),
    ).toEqual(['at'])
    expect(findRefreshTokens({ homeAccountId: 'uid.utid', environments: ['login.example.com'], clientId: 'cid' })(s.right)).toHaveLength(1)
  })

  describe(`nesting deeper than MAX_CACHE_DEPTH (${MAX_CACHE_DEPTH}) is refused on load, so serialize never fails on a loaded cache`, () => {
    const nest = (levels: number, wrap: (v: unknown) => unknown): unknown => {
      let v: unknown = SECRET
      for (let i = 0; i < levels; i++) v = wrap(v)
      return v
    }
    const entry = (nested: unknown) => ({ AccessToken: { k: { credential_type: 'AccessToken', secret: SECRET, nested } } })

    it('3,000 levels in an unknown field of an entry: a DecodeError naming the path', () => {
      const objects = leftOf(JSON.stringify(entry(nest(3000, (v) => ({ a: v })))))
      expect(objects.code).toBe('invalid_shape')
      expect(objects.path).toBe(['AccessToken', 'k', 'nested', ...Array<string>(61).fill('a')].join('.'))
      expect(objects.expected).toBe('at most 64 levels of nested objects and arrays')
      const arrays = leftOf(JSON.stringify(entry(nest(3000, (v) => [v]))))
      expect(arrays.path).toBe(['AccessToken', 'k', 'nested', ...Array<string>(61).fill('0')].join('.'))
    })

    it('3,000 levels in an unknown section, and in an entry the reader does not understand', () => {
      const section = leftOf(JSON.stringify({ Mystery: nest(3000, (v) => [v]) }))
      expect(section.path).toBe(['Mystery', ...Array<string>(63).fill('0')].join('.'))
      const unreadable = leftOf(JSON.stringify({ RefreshToken: { k: nest(3000, (v) => ({ b: v })) } }))
      expect(unreadable.path).toBe(['RefreshToken', 'k', ...Array<string>(62).fill('b')].join('.'))
    })

    it('a cycle handed to fromJsonObject is refused the same way, without a stack overflow', () => {
      const loop: Record<string, unknown> = { credential_type: 'AccessToken', secret: 's' }
      loop['self'] = loop
      const r = fromJsonObject({ AccessToken: { k: loop } })
      expect(E.isLeft(r) && r.left.path.startsWith('AccessToken.k.self.self.')).toBe(true)
    })

    it('exactly 64 levels load and save; 65 do not load', () => {
      // top level 1, section 2, entry 3: the field holds 61 more levels.
      const ok = deserialize(JSON.stringify(entry(nest(61, (v) => [v]))))
      if (E.isLeft(ok)) throw new Error(ok.left.message)
      expect(serialize(ok.right)).toContain(`"nested":${'['.repeat(61)}`)
      expect(leftOf(JSON.stringify(entry(nest(62, (v) => [v])))).path).toBe(['AccessToken', 'k', 'nested', ...Array<string>(61).fill('0')].join('.'))
      const extra = deserialize(JSON.stringify({ Mystery: nest(63, (v) => ({ x: v })) }))
      expect(E.isRight(extra) && serialize(extra.right).length > 0).toBe(true)
      expect(E.isLeft(deserialize(JSON.stringify({ Mystery: nest(64, (v) => ({ x: v })) })))).toBe(true)
    })
  })

  it('never throws on arbitrary strings or JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ AccessToken: v })), fc.jsonValue().map((v) => JSON.stringify({ AccessToken: { k: v } }))), (s) => {
        const r = deserialize(s)
        expect(E.isLeft(r) || E.isRight(r)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})
