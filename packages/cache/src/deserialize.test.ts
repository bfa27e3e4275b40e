import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import * as fc from 'fast-check'
import { deserialize } from './deserialize.js'
import { serialize } from './serialize.js'
import { emptyCache } from './state.js'
import { findAccessTokens } from './accessTokens.js'
import { findRefreshTokens } from './refreshTokens.js'

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

  it('names the entry and the field, never the value', () => {
    const missing = leftOf(`{"AccessToken": {"k1": {"credential_type": "AccessToken", "target": "${SECRET}"}}}`)
    expect(missing.path).toBe('AccessToken.k1.secret')
    expect(missing.expected).toBe('string')
    expect(missing.actual).toBe('nothing')
    const noType = leftOf(`{"RefreshToken": {"k2": {"secret": "${SECRET}"}}}`)
    expect(noType.path).toBe('RefreshToken.k2.credential_type')
    const wrong = leftOf(`{"IdToken": {"k3": {"credential_type": "IdToken", "secret": 5}}}`)
    expect(wrong.path).toBe('IdToken.k3.secret')
    expect(wrong.actual).toBe('a number')
    const notObj = leftOf(`{"Account": {"k4": "${SECRET}"}}`)
    expect(notObj.path).toBe('Account.k4')
    const nullable = leftOf(`{"AccessToken": {"k5": {"credential_type": "AccessToken", "secret": "${SECRET}", "realm": 7}}}`)
    expect(nullable.path).toBe('AccessToken.k5.realm')
    expect(nullable.expected).toBe('string | null')
    expect(nullable.message).toContain('AccessToken.k5.realm')
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
