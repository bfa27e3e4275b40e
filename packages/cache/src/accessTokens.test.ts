/**
 * Access-token lookups at their edges: the token scheme and credential type (msal-common's
 * `credentialMatchesFilter`), the query's own expiry compare and `removeExpiredAccessTokens`
 * (an access token is expired when now is after its `expires_on`: msal-common's
 * `isTokenExpired` is `now > expiresOn`, MSAL Python's `TokenCache.search` drops
 * `int(expires_on) < now`), on caches read from JSON as other SDKs write them.
 */
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { findAccessTokens, memoizedAccessTokenFinder, removeExpiredAccessTokens, targetContains, type AccessTokenQuery } from './accessTokens.js'
import { deserialize } from './deserialize.js'
import { serialize } from './serialize.js'
import type { CacheState } from './state.js'

const read = (doc: unknown): CacheState => {
  const r = deserialize(JSON.stringify(doc))
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const slot = { home_account_id: 'uid.utid', environment: 'login.microsoftonline.com', client_id: 'cid', realm: 'contoso', target: 'User.Read' }
const query: AccessTokenQuery = { clientId: 'cid', environments: ['login.microsoftonline.com'], realm: 'contoso', homeAccountId: 'uid.utid', scopes: ['User.Read'] }
const secrets = (q: AccessTokenQuery, s: CacheState): ReadonlyArray<string> => findAccessTokens(q)(s).map((e) => e.secret).sort()

describe('a Bearer lookup never serves a token of another scheme or credential type', () => {
  // msal-node writes PoP and SSH-certificate tokens as AccessToken_With_AuthScheme; a test
  // suite's entry may lack token_type or say Bearer. MSAL Python and MSAL .NET write them as
  // AccessToken with their token_type (.NET: `kid` for the key id).
  const state = (): CacheState => read({
    AccessToken: {
      bearer: { ...slot, credential_type: 'AccessToken', secret: 'bearer', expires_on: '2000' },
      'authscheme-no-type': { ...slot, credential_type: 'AccessToken_With_AuthScheme', secret: 'authscheme-no-type', expires_on: '2000' },
      'authscheme-bearer': { ...slot, credential_type: 'AccessToken_With_AuthScheme', secret: 'authscheme-bearer', token_type: 'Bearer', expires_on: '2000' },
      'authscheme-pop': { ...slot, credential_type: 'AccessToken_With_AuthScheme', secret: 'authscheme-pop', token_type: 'pop', key_id: 'k1', expires_on: '2000' },
      'python-pop': { ...slot, credential_type: 'AccessToken', secret: 'python-pop', token_type: 'pop', key_id: 'k1', expires_on: '2000' },
      'dotnet-pop': { ...slot, credential_type: 'AccessToken', secret: 'dotnet-pop', token_type: 'pop', kid: 'k2', expires_on: '2000' },
      'other-type': { ...slot, credential_type: 'RefreshToken', secret: 'other-type', expires_on: '2000' },
    },
  })

  it('Bearer (the default and spelled out, any case) finds only the AccessToken of type Bearer', () => {
    const s = state()
    expect(secrets(query, s)).toEqual(['bearer'])
    expect(secrets({ ...query, tokenType: 'bearer' }, s)).toEqual(['bearer'])
  })

  it('a PoP lookup finds PoP tokens of its key under either credential type, and no Bearer token', () => {
    const s = state()
    expect(secrets({ ...query, tokenType: 'pop', keyId: 'k1' }, s)).toEqual(['authscheme-pop', 'python-pop'])
    expect(secrets({ ...query, tokenType: 'POP', keyId: 'k2' }, s)).toEqual(['dotnet-pop'])
    expect(secrets({ ...query, tokenType: 'pop', keyId: 'k3' }, s)).toEqual([])
  })

  it('an entry of another credential type in the AccessToken section is kept, never served', () => {
    const s = state()
    expect(s.unreadable.map(([section, key]) => `${section}/${key}`)).toEqual(['AccessToken/other-type'])
    expect(JSON.parse(serialize(s)).AccessToken['other-type']).toEqual({ ...slot, credential_type: 'RefreshToken', secret: 'other-type', expires_on: '2000' })
  })
})

describe('isolation fields under every SDK\'s spelling: absent matches absent only', () => {
  // key id: key_id (MSAL Python, msal-node), kid (MSAL .NET), keyid; assertion hash:
  // user_assertion_hash (MSAL .NET, MSAL Java), userAssertionHash (msal-node).
  const state = (): CacheState => read({
    AccessToken: {
      plain: { ...slot, credential_type: 'AccessToken', secret: 'plain' },
      'obo-java': { ...slot, credential_type: 'AccessToken', secret: 'obo-java', user_assertion_hash: 'h1' },
      'obo-node': { ...slot, credential_type: 'AccessToken', secret: 'obo-node', userAssertionHash: 'h2' },
      'ssh-python': { ...slot, credential_type: 'AccessToken', secret: 'ssh-python', token_type: 'ssh-cert', key_id: 'k1' },
      'ssh-keyid': { ...slot, credential_type: 'AccessToken', secret: 'ssh-keyid', token_type: 'ssh-cert', keyid: 'k2' },
      fmi: { ...slot, credential_type: 'AccessToken', secret: 'fmi', ext_cache_key: 'x1' },
    },
  })

  it('a plain query finds only the plain token; each isolated one answers its own value only', () => {
    const s = state()
    expect(secrets(query, s)).toEqual(['plain'])
    expect(secrets({ ...query, userAssertionHash: 'h1' }, s)).toEqual(['obo-java'])
    expect(secrets({ ...query, userAssertionHash: 'h2' }, s)).toEqual(['obo-node'])
    expect(secrets({ ...query, userAssertionHash: 'H2' }, s)).toEqual([])
    expect(secrets({ ...query, tokenType: 'ssh-cert', keyId: 'k1' }, s)).toEqual(['ssh-python'])
    expect(secrets({ ...query, tokenType: 'ssh-cert', keyId: 'k2' }, s)).toEqual(['ssh-keyid'])
    expect(secrets({ ...query, tokenType: 'ssh-cert' }, s)).toEqual([])
    expect(secrets({ ...query, extCacheKey: 'x1' }, s)).toEqual(['fmi'])
  })
})

describe('the query\'s expiry compare (nowSeconds)', () => {
  const state = (): CacheState => read({
    AccessToken: {
      a: { ...slot, credential_type: 'AccessToken', secret: 'expires-999', expires_on: '999' },
      b: { ...slot, credential_type: 'AccessToken', secret: 'expires-1000', expires_on: '1000' },
      c: { ...slot, credential_type: 'AccessToken', secret: 'expires-1001', expires_on: '1001' },
      d: { ...slot, credential_type: 'AccessToken', secret: 'expires-null', expires_on: null },
      e: { ...slot, credential_type: 'AccessToken', secret: 'expires-garbage', expires_on: 'soon' },
      f: { ...slot, credential_type: 'AccessToken', secret: 'expires-missing' },
    },
  })

  it('keeps a token whose expires_on equals now, leaves out one a second older', () => {
    const s = state()
    expect(secrets({ ...query, nowSeconds: 1000 }, s)).toEqual(['expires-1000', 'expires-1001'])
    expect(secrets({ ...query, nowSeconds: 1001 }, s)).toEqual(['expires-1001'])
    expect(secrets({ ...query, nowSeconds: 1002 }, s)).toEqual([])
  })

  it('reads a missing, null or unreadable expires_on as long expired, and filters nothing without nowSeconds', () => {
    const s = state()
    expect(secrets({ ...query, nowSeconds: 1 }, s)).toEqual(['expires-1000', 'expires-1001', 'expires-999'])
    expect(secrets(query, s)).toHaveLength(6)
  })
})

describe('removeExpiredAccessTokens', () => {
  const doc = {
    AccessToken: {
      a: { ...slot, credential_type: 'AccessToken', secret: 'expires-999', expires_on: '999' },
      b: { ...slot, credential_type: 'AccessToken', secret: 'expires-1000', expires_on: '1000' },
      c: { ...slot, client_id: 'other', credential_type: 'AccessToken', secret: 'expires-5000', expires_on: '5000' },
      d: { ...slot, credential_type: 'AccessToken', secret: 'expires-null', expires_on: null },
      'not-understood': { ...slot, credential_type: 'AccessToken', expires_on: '1' },
    },
    RefreshToken: { r: { home_account_id: 'uid.utid', environment: 'login.microsoftonline.com', credential_type: 'RefreshToken', client_id: 'cid', secret: 'rt' } },
  }
  const state = (): CacheState => read(doc)

  it('removes exactly the access tokens that expired before now, and nothing else', () => {
    const s = state()
    const after = JSON.parse(serialize(removeExpiredAccessTokens(1000)(s)))
    expect(Object.keys(after.AccessToken)).toEqual(['b', 'c', 'not-understood'])
    expect(after.RefreshToken).toEqual(doc.RefreshToken)
    expect(Object.keys(JSON.parse(serialize(removeExpiredAccessTokens(1001)(s))).AccessToken)).toEqual(['c', 'not-understood'])
  })

  it('returns the same state when nothing expired', () => {
    const s = state()
    const fresh = removeExpiredAccessTokens(1000)(s)
    expect(removeExpiredAccessTokens(1000)(fresh)).toBe(fresh)
    expect(removeExpiredAccessTokens(0)(read({ AccessToken: { b: doc.AccessToken.b } })).accessTokens.entries.size).toBe(1)
  })
})

describe('targetContains, the scope test of every lookup', () => {
  // The rule, as MSAL states it: every scope is in the target, compared case-insensitively,
  // the target split on whitespace. Written out here as a set, independently of the function.
  const reference = (target: string, scopes: ReadonlyArray<string>): boolean => {
    const have = new Set(target.split(/\s+/).filter((s) => s !== '').map((s) => s.toLowerCase()))
    return scopes.every((s) => have.has(s.toLowerCase()))
  }
  const piece = fc.constantFrom('User.Read', 'user.read', 'USER.READ', 'openid', 'Mail.Send', 'read', 'User', '.', 'İ', 'i̇', 'ß', 'SS', '')
  const space = fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '\ufeff', '')
  const targetArb = fc.array(fc.tuple(piece, space), { maxLength: 6 }).map((xs) => xs.map(([p, w]) => p + w).join(' '))

  it('answers as the case-insensitive set of the target, whatever the spacing and case', () => {
    fc.assert(
      fc.property(targetArb, fc.array(piece, { maxLength: 4 }), (target, scopes) => {
        expect(targetContains(target, scopes)).toBe(reference(target, scopes))
      }),
      { numRuns: 2000 },
    )
  })

  it('matches a scope as a whole token, not as part of one', () => {
    expect(targetContains('User.ReadWrite openid', ['User.Read'])).toBe(false)
    expect(targetContains('xUser.Read', ['User.Read'])).toBe(false)
    expect(targetContains('a\u00a0User.Read\tb', ['User.Read'])).toBe(true)
    expect(targetContains('User.Read', [''])).toBe(false)
    expect(targetContains(null, [])).toBe(true)
  })
})

describe('memoizedAccessTokenFinder', () => {
  it('answers a query that differs from the last one in any field with its own answer', () => {
    const s = read({
      AccessToken: {
        a: { ...slot, credential_type: 'AccessToken', secret: 'a', expires_on: '2000' },
        b: { ...slot, credential_type: 'AccessToken', secret: 'b', target: 'Mail.Send', expires_on: '2000' },
        c: { ...slot, credential_type: 'AccessToken', secret: 'c', realm: 'fabrikam', expires_on: '2000' },
      },
    })
    const find = memoizedAccessTokenFinder()
    const asked = (q: AccessTokenQuery): ReadonlyArray<string> => find(q)(s).map((e) => e.secret)
    expect(asked(query)).toEqual(['a'])
    expect(asked({ ...query })).toEqual(['a'])
    expect(asked({ ...query, scopes: ['Mail.Send'] })).toEqual(['b'])
    expect(asked({ ...query, realm: 'fabrikam' })).toEqual(['c'])
    expect(asked({ ...query, realm: 'fabrikam', scopes: ['Mail.Send'] })).toEqual([])
    expect(asked({ ...query, environments: ['login.windows.net'] })).toEqual([])
    expect(asked(query)).toEqual(['a'])
  })
})
