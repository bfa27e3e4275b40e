/**
 * Property tests over arbitrary caches (from `@authfold/testing`'s arbitraries): round
 * trips, fold laws, removal laws, and every indexed query against a plain scan.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import * as fc from 'fast-check'
// Test-only: the arbitraries live in packages/testing (which depends on this package).
import {
  cacheStateArb,
  clientIdArb,
  environmentArb,
  homeAccountIdArb,
  msalCacheJsonArb,
  realmArb,
  scopeArb,
  tokenEventArb,
} from '../../testing/src/arbitraries/index.js'
import { findAccessTokens, memoizedAccessTokenFinder, memoizedAccessTokenLookup, scanAccessTokens, targetsIntersect, type AccessTokenQuery } from './accessTokens.js'
import { getAccounts, scanAccounts, type AccountQuery } from './accounts.js'
import { homeAccountIdOf, decodeIdTokenClaims } from './claims.js'
import { deserialize } from './deserialize.js'
import { addAppTokenResponse, addTokenResponse, targetOf, type TokenEvent } from './fold.js'
import { hamtValues } from './hamt.js'
import { findIdTokens, scanIdTokens } from './idTokens.js'
import { rebase } from './rebase.js'
import { findRefreshTokens, scanRefreshTokens } from './refreshTokens.js'
import { removeAccount, removeAppTokens } from './remove.js'
import { serialize } from './serialize.js'
import { scopesOf } from './schema.js'
import { emptyCache, type CacheState } from './state.js'

const RUNS = { numRuns: 150 }

const read = (json: string): CacheState => {
  const r = deserialize(json)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const canon = (xs: ReadonlyArray<unknown>): ReadonlyArray<string> => xs.map((x) => JSON.stringify(x)).sort()

const envsArb = fc.uniqueArray(environmentArb, { minLength: 1, maxLength: 3 })

const atQueryArb: fc.Arbitrary<AccessTokenQuery> = fc
  .tuple(
    fc.record({
      clientId: clientIdArb,
      environments: envsArb,
      realm: realmArb,
      homeAccountId: homeAccountIdArb,
      scopes: fc.array(scopeArb, { maxLength: 2 }),
    }),
    fc.record(
      {
        tokenType: fc.constantFrom('Bearer', 'BEARER', 'pop', 'ssh-cert'),
        keyId: fc.constantFrom('kid-1', 'kid-2', ''),
        extCacheKey: fc.constantFrom('ext1', 'ext2', ''),
        userAssertionHash: fc.constantFrom('h1', 'H1', ''),
        nowSeconds: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([a, b]) => ({ ...a, ...b }))


/** The optional parts of refresh-token, id-token and account queries. */
const rtQueryArb = fc.record({ clientId: clientIdArb, familyId: fc.constantFrom('1', '') }, { requiredKeys: [] })
const idQueryArb = fc.record({ clientId: clientIdArb, realm: realmArb }, { requiredKeys: [] })
const accountQueryArb = fc.record(
  {
    homeAccountId: homeAccountIdArb,
    username: fc.constantFrom('john@contoso.com', 'JOHN@CONTOSO.COM', ''),
    environments: envsArb,
    realm: realmArb,
  },
  { requiredKeys: [] },
)

describe('serialize / deserialize', () => {
  it('round-trips every cache: deserialize(serialize(s)) serializes the same', () => {
    fc.assert(
      fc.property(cacheStateArb(), (s) => {
        const json = serialize(s)
        expect(serialize(read(json))).toBe(json)
      }),
      RUNS,
    )
  })

  it('keeps MSAL-written JSON intact: every section, entry, key and unknown field survives', () => {
    fc.assert(
      fc.property(msalCacheJsonArb(), (json) => {
        expect(JSON.parse(serialize(read(json)))).toEqual(JSON.parse(json))
      }),
      RUNS,
    )
  })
})

const q = (e: TokenEvent, homeAccountId: string): AccessTokenQuery => ({
  clientId: e.clientId,
  environments: [e.environment],
  realm: e.realm,
  homeAccountId,
  scopes: scopesOf(targetOf(e)),
  ...(e.response.token_type === undefined ? {} : { tokenType: e.response.token_type }),
  ...(e.keyId === undefined ? {} : { keyId: e.keyId }),
  ...(e.extCacheKey === undefined ? {} : { extCacheKey: e.extCacheKey }),
  ...(e.userAssertionHash === undefined ? {} : { userAssertionHash: e.userAssertionHash }),
})

describe('addTokenResponse laws', () => {
  it('folding the same answer twice equals folding it once, and never touches the input', () => {
    fc.assert(
      fc.property(cacheStateArb(), tokenEventArb, (s, e) => {
        const before = serialize(s)
        const once = addTokenResponse(e)(s)
        expect(serialize(s)).toBe(before)
        expect(serialize(addTokenResponse(e)(once))).toBe(serialize(once))
      }),
      RUNS,
    )
  })

  it('addAppTokenResponse writes what addTokenResponse writes for an app token answer', () => {
    fc.assert(
      fc.property(cacheStateArb(), tokenEventArb, (s, e) => {
        const { id_token: _i, client_info: _c, refresh_token: _r, ...response } = e.response
        const app: TokenEvent = { ...e, response, grantType: 'client_credentials' }
        expect(serialize(addAppTokenResponse(app)(s))).toBe(serialize(addTokenResponse(app)(s)))
      }),
      RUNS,
    )
  })

  it('add-then-find: the new access token answers a query for its own slot and scopes', () => {
    fc.assert(
      fc.property(cacheStateArb(), tokenEventArb, (s, e) => {
        const next = addTokenResponse(e)(s)
        const claims = e.response.id_token === undefined ? undefined : decodeIdTokenClaims(e.response.id_token)
        const { homeAccountId } = homeAccountIdOf(e.response.client_info, claims)
        const found = findAccessTokens(q(e, homeAccountId ?? ''))(next)
        const secrets = found.map((a) => a.secret)
        // With a non-empty target the new token is the only answer (overlapping ones were
        // replaced); an empty target matches the whole slot.
        if (targetOf(e) === '') expect(secrets).toContain(e.response.access_token)
        else expect(secrets).toEqual([e.response.access_token])
        // No other token of the slot shares a scope with the new one.
        const slot = findAccessTokens({ ...q(e, homeAccountId ?? ''), scopes: [] })(next)
        for (const other of slot) if (other.secret !== e.response.access_token || other.target !== targetOf(e)) {
          expect(targetsIntersect(other.target, targetOf(e))).toBe(false)
        }
      }),
      RUNS,
    )
  })
})

describe('removal laws', () => {
  it('removeAccount and removeAppTokens are idempotent and leave nothing of theirs behind', () => {
    fc.assert(
      fc.property(cacheStateArb(), clientIdArb, homeAccountIdArb.filter((h) => h !== ''), environmentArb, (s, clientId, homeAccountId, environment) => {
        const ref = { clientId, homeAccountId, environment }
        const once = removeAccount(ref)(s)
        expect(serialize(removeAccount(ref)(once))).toBe(serialize(once))
        expect(getAccounts({ homeAccountId, environments: [environment] })(once)).toEqual([])
        expect(findIdTokens({ homeAccountId, environments: [environment] })(once)).toEqual([])
        const apps = removeAppTokens({ clientId })(s)
        expect(serialize(removeAppTokens({ clientId })(apps))).toBe(serialize(apps))
        expect(
          Array.from(hamtValues(apps.accessTokens.entries)).filter(
            (a) => (a.home_account_id ?? '') === '' && (a.client_id ?? '').toLowerCase() === clientId.toLowerCase(),
          ),
        ).toEqual([])
      }),
      RUNS,
    )
  })
})

describe('indexed queries equal a linear scan', () => {
  it('access tokens', () => {
    fc.assert(
      fc.property(cacheStateArb(), atQueryArb, (s, q) => {
        expect(canon(findAccessTokens(q)(s))).toEqual(canon(scanAccessTokens(q)(s)))
      }),
      { numRuns: 300 },
    )
  })

  it('a memoized finder answers as findAccessTokens, across a sequence of states and queries', () => {
    let found = 0
    fc.assert(
      fc.property(fc.array(cacheStateArb(), { minLength: 1, maxLength: 4 }), fc.array(atQueryArb, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 3 }), (states, queries, max) => {
        // the same queries on every state, each asked twice, states revisited: an answer kept for
        // one state (or one query) and given for another would show
        // queries that find tokens: one per stored access token, asked of every state too
        const hitting = states.flatMap((s) =>
          Array.from(hamtValues(s.accessTokens.entries))
            .slice(0, 3)
            .map((e): AccessTokenQuery => ({
              clientId: e.client_id ?? '',
              environments: [e.environment ?? ''],
              realm: e.realm ?? '',
              homeAccountId: e.home_account_id ?? '',
              scopes: scopesOf(e.target).slice(0, 1),
              ...(e.token_type === undefined || e.token_type === null ? {} : { tokenType: e.token_type }),
              ...(typeof e.key_id === 'string' ? { keyId: e.key_id } : {}),
              ...(typeof e.ext_cache_key === 'string' ? { extCacheKey: e.ext_cache_key } : {}),
              ...(typeof e.user_assertion_hash === 'string' ? { userAssertionHash: e.user_assertion_hash } : {}),
            })),
        )
        const find = memoizedAccessTokenFinder(max)
        const lookup = memoizedAccessTokenLookup(max)
        for (const s of [emptyCache, ...states, ...states])
          for (const q of [...hitting, ...queries, ...hitting]) {
            const answer = find(q)(s)
            found += answer.length
            expect(canon(answer)).toEqual(canon(findAccessTokens(q)(s)))
            expect(canon(lookup(q, s))).toEqual(canon(answer))
          }
      }),
      { numRuns: 200 },
    )
    expect(found, 'the queries found tokens (the property is not vacuous)').toBeGreaterThan(100)
  })

  it('refresh tokens, id tokens, accounts', () => {
    fc.assert(
      fc.property(
        cacheStateArb(),
        homeAccountIdArb,
        envsArb,
        rtQueryArb,
        idQueryArb,
        accountQueryArb,
        (s, homeAccountId, environments, rtq, idq, aq: AccountQuery) => {
          expect(canon(findRefreshTokens({ homeAccountId, environments, ...rtq })(s))).toEqual(
            canon(scanRefreshTokens({ homeAccountId, environments, ...rtq })(s)),
          )
          expect(canon(findIdTokens({ homeAccountId, environments, ...idq })(s))).toEqual(canon(scanIdTokens({ homeAccountId, environments, ...idq })(s)))
          expect(canon(getAccounts(aq)(s))).toEqual(canon(scanAccounts(aq)(s)))
        },
      ),
      RUNS,
    )
  })

  it('every query answers in the same order before and after a save and load', () => {
    fc.assert(
      fc.property(cacheStateArb(), accountQueryArb, homeAccountIdArb, envsArb, rtQueryArb, idQueryArb, atQueryArb, (s, aq: AccountQuery, homeAccountId, environments, rtq, idq, atq) => {
        const reloaded = deserialize(serialize(s))
        if (E.isLeft(reloaded)) throw new Error('a serialized cache does not load')
        expect(getAccounts(aq)(reloaded.right)).toEqual(getAccounts(aq)(s))
        expect(findRefreshTokens({ homeAccountId, environments, ...rtq })(reloaded.right)).toEqual(findRefreshTokens({ homeAccountId, environments, ...rtq })(s))
        expect(findIdTokens({ homeAccountId, environments, ...idq })(reloaded.right)).toEqual(findIdTokens({ homeAccountId, environments, ...idq })(s))
        expect(findAccessTokens(atq)(reloaded.right)).toEqual(findAccessTokens(atq)(s))
        expect(getAccounts({})(s)).toEqual(getAccounts({})(reloaded.right))
      }),
      RUNS,
    )
  })
})

/*
 * A plain model, written apart from the code under test: a linear scan of the serialized
 * document (every entry, readable or not) applying the documented matching rules one by
 * one. It shares no predicate, key or helper with `accessTokens.ts` and its siblings, so a
 * slip in their filter (or in the indexes) shows up as a difference.
 */
type Doc = Readonly<Record<string, Readonly<Record<string, unknown>>>>
type Entry = Readonly<Record<string, unknown>>

const isEntry = (v: unknown): v is Entry => typeof v === 'object' && v !== null && !Array.isArray(v)
const optionalStringsOk = (e: Entry, fields: ReadonlyArray<string>): boolean =>
  fields.every((f) => e[f] === undefined || e[f] === null || typeof e[f] === 'string')
const text = (v: unknown): string => (typeof v === 'string' ? v : '')
const same = (a: unknown, b: string): boolean => text(a).toLowerCase() === b.toLowerCase()
const present = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
const boundBy = (v: unknown): boolean => (typeof v === 'string' ? v !== '' : isEntry(v) || Array.isArray(v) ? Object.keys(v).length > 0 : false)

const modelAccessTokens = (doc: Doc, q: AccessTokenQuery): ReadonlyArray<Entry> =>
  Object.values(doc['AccessToken'] ?? {}).filter((e): e is Entry => {
    if (!isEntry(e) || typeof e['credential_type'] !== 'string' || typeof e['secret'] !== 'string') return false
    const optional = ['home_account_id', 'environment', 'client_id', 'realm', 'target', 'token_type', 'cached_at', 'expires_on',
      'extended_expires_on', 'refresh_on', 'key_id', 'keyid', 'kid', 'user_assertion_hash', 'userAssertionHash', 'ext_cache_key']
    if (!optionalStringsOk(e, optional)) return false
    if (boundBy(e['additionalCacheKeyComponents']) || boundBy(e['requestedClaimsHash']) || boundBy(e['ext'])) return false
    const wantedType = q.tokenType ?? 'Bearer'
    const credentialType = text(e['credential_type']).toLowerCase()
    const credentialOk = wantedType.toLowerCase() === 'bearer'
      ? credentialType === 'accesstoken'
      : credentialType === 'accesstoken' || credentialType === 'accesstoken_with_authscheme'
    const tokenType = typeof e['token_type'] === 'string' ? e['token_type'] : 'Bearer'
    const keyId = present(e['key_id']) ?? present(e['kid']) ?? present(e['keyid'])
    const hash = present(e['user_assertion_hash']) ?? present(e['userAssertionHash'])
    const targetScopes = text(e['target']).toLowerCase().split(' ')
    const expiresOn = Number(e['expires_on'] ?? 0)
    return (
      credentialOk &&
      same(e['client_id'], q.clientId) &&
      q.environments.some((env) => same(e['environment'], env)) &&
      same(e['realm'], q.realm) &&
      same(e['home_account_id'], q.homeAccountId) &&
      tokenType.toLowerCase() === wantedType.toLowerCase() &&
      keyId === present(q.keyId) &&
      present(e['ext_cache_key']) === present(q.extCacheKey) &&
      hash === present(q.userAssertionHash) &&
      q.scopes.every((sc) => targetScopes.includes(sc.toLowerCase())) &&
      (q.nowSeconds === undefined || (Number.isFinite(expiresOn) ? expiresOn : 0) >= q.nowSeconds)
    )
  })

const modelRefreshTokens = (doc: Doc, q: { homeAccountId: string; environments: ReadonlyArray<string>; clientId?: string; familyId?: string }): ReadonlyArray<Entry> =>
  Object.values(doc['RefreshToken'] ?? {}).filter(
    (e): e is Entry =>
      isEntry(e) &&
      typeof e['secret'] === 'string' &&
      text(e['credential_type']).toLowerCase() === 'refreshtoken' &&
      optionalStringsOk(e, ['home_account_id', 'environment', 'client_id', 'realm', 'target', 'family_id', 'last_modification_time']) &&
      same(e['home_account_id'], q.homeAccountId) &&
      q.environments.some((env) => same(e['environment'], env)) &&
      ((q.clientId === undefined && q.familyId === undefined) ||
        (q.clientId !== undefined && same(e['client_id'], q.clientId)) ||
        (q.familyId !== undefined && q.familyId !== '' && same(e['family_id'], q.familyId))),
  )

const modelIdTokens = (doc: Doc, q: { homeAccountId: string; environments: ReadonlyArray<string>; clientId?: string; realm?: string }): ReadonlyArray<Entry> =>
  Object.values(doc['IdToken'] ?? {}).filter(
    (e): e is Entry =>
      isEntry(e) &&
      typeof e['secret'] === 'string' &&
      text(e['credential_type']).toLowerCase() === 'idtoken' &&
      optionalStringsOk(e, ['home_account_id', 'environment', 'client_id', 'realm']) &&
      same(e['home_account_id'], q.homeAccountId) &&
      q.environments.some((env) => same(e['environment'], env)) &&
      (q.clientId === undefined || same(e['client_id'], q.clientId)) &&
      (q.realm === undefined || same(e['realm'], q.realm)),
  )

const modelAccounts = (doc: Doc, q: AccountQuery): ReadonlyArray<Entry> =>
  Object.values(doc['Account'] ?? {}).filter(
    (a): a is Entry =>
      isEntry(a) &&
      typeof a['home_account_id'] === 'string' &&
      typeof a['environment'] === 'string' &&
      optionalStringsOk(a, ['realm', 'local_account_id', 'username', 'authority_type', 'account_source', 'name', 'client_info', 'last_modification_time', 'last_modification_app']) &&
      (q.homeAccountId === undefined || same(a['home_account_id'], q.homeAccountId)) &&
      (q.username === undefined || same(a['username'], q.username)) &&
      (q.environments === undefined || q.environments.some((env) => same(a['environment'], env))) &&
      (q.realm === undefined || same(a['realm'], q.realm)),
  )

/** A copy with every object's keys sorted (test-local), so entries compare by content. */
const sortEntry = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(sortEntry)
  if (!isEntry(v)) return v
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v).sort()) Object.defineProperty(out, k, { value: sortEntry(v[k]), enumerable: true, writable: true, configurable: true })
  return out
}

/**
 * A query aimed at one entry of the cache (readable or not), in another case and with
 * parts dropped or changed, so that most queries have answers and the boundaries (expiry
 * second, token type, key id, hash) are hit; or now and then an unrelated query.
 */
const nearQueryArb = (doc: Doc): fc.Arbitrary<AccessTokenQuery> => {
  const entries = Object.values(doc['AccessToken'] ?? {}).filter(isEntry)
  if (entries.length === 0) return atQueryArb
  const caseArb = fc.constantFrom((x: string) => x, (x: string) => x.toUpperCase(), (x: string) => x.toLowerCase())
  const near = fc
    .record({
      entry: fc.constantFrom(...entries),
      flip: caseArb,
      moreEnvs: fc.array(environmentArb, { maxLength: 1 }),
      tokenType: fc.option(fc.constantFrom('Bearer', 'bearer', 'pop', 'ssh-cert'), { nil: undefined }),
      useKeyId: fc.boolean(),
      useHash: fc.boolean(),
      useExt: fc.boolean(),
      scopeCount: fc.nat({ max: 3 }),
      nowDelta: fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined }),
    })
    .map(({ entry: e, flip, moreEnvs, tokenType, useKeyId, useHash, useExt, scopeCount, nowDelta }): AccessTokenQuery => {
      const keyId = present(e['key_id']) ?? present(e['kid']) ?? present(e['keyid'])
      const hash = present(e['user_assertion_hash']) ?? present(e['userAssertionHash'])
      const ext = present(e['ext_cache_key'])
      const entryType = typeof e['token_type'] === 'string' ? e['token_type'] : undefined
      return {
        clientId: flip(text(e['client_id'])),
        environments: [flip(text(e['environment'])), ...moreEnvs],
        realm: flip(text(e['realm'])),
        homeAccountId: flip(text(e['home_account_id'])),
        scopes: text(e['target']).split(' ').filter((x) => x !== '').slice(0, scopeCount).map(flip),
        ...(tokenType ?? entryType) === undefined ? {} : { tokenType: flip(tokenType ?? entryType ?? '') },
        ...(useKeyId && keyId !== undefined ? { keyId } : {}),
        ...(useHash && hash !== undefined ? { userAssertionHash: hash } : {}),
        ...(useExt && ext !== undefined ? { extCacheKey: ext } : {}),
        ...(nowDelta === undefined ? {} : { nowSeconds: Number(e['expires_on'] ?? 0) + nowDelta }),
      }
    })
  return fc.oneof({ weight: 9, arbitrary: near }, { weight: 1, arbitrary: atQueryArb })
}

describe('lookups equal a plain model (a linear scan written apart from the code)', () => {
  it('access tokens', () => {
    let answered = 0
    fc.assert(
      fc.property(
        cacheStateArb().chain((s) => {
          const doc = JSON.parse(serialize(s)) as Doc
          return fc.tuple(fc.constant(s), fc.constant(doc), nearQueryArb(doc))
        }),
        ([s, doc, q]) => {
          const found = findAccessTokens(q)(s)
          if (found.length > 0) answered++
          expect(canon(found.map(sortEntry))).toEqual(canon(modelAccessTokens(doc, q)))
        },
      ),
      { numRuns: 400 },
    )
    // Not vacuous: a good share of the queries have answers.
    expect(answered).toBeGreaterThan(25)
  })

  it('refresh tokens, id tokens, accounts', () => {
    fc.assert(
      fc.property(
        cacheStateArb(),
        homeAccountIdArb,
        envsArb,
        rtQueryArb,
        idQueryArb,
        accountQueryArb,
        (s, homeAccountId, environments, rtq, idq, aq: AccountQuery) => {
          const doc = JSON.parse(serialize(s)) as Doc
          expect(canon(findRefreshTokens({ homeAccountId, environments, ...rtq })(s).map(sortEntry))).toEqual(
            canon(modelRefreshTokens(doc, { homeAccountId, environments, ...rtq })),
          )
          expect(canon(findIdTokens({ homeAccountId, environments, ...idq })(s).map(sortEntry))).toEqual(
            canon(modelIdTokens(doc, { homeAccountId, environments, ...idq })),
          )
          expect(canon(getAccounts(aq)(s).map(sortEntry))).toEqual(canon(modelAccounts(doc, aq)))
        },
      ),
      RUNS,
    )
  })
})

describe('rebase', () => {
  it('replays one writer onto another without losing either', () => {
    fc.assert(
      fc.property(cacheStateArb(8), tokenEventArb, tokenEventArb, (base, e1, e2) => {
        const mine = addTokenResponse(e1)(base)
        const theirs = addTokenResponse(e2)(base)
        expect(serialize(rebase(base, mine, base))).toBe(serialize(mine))
        expect(serialize(rebase(base, base, theirs))).toBe(serialize(theirs))
        const merged = rebase(base, mine, theirs)
        const mergedAts = new Set(Array.from(hamtValues(merged.accessTokens.entries)))
        const baseAts = new Set(Array.from(hamtValues(base.accessTokens.entries)))
        for (const at of hamtValues(mine.accessTokens.entries)) if (!baseAts.has(at)) expect(mergedAts.has(at)).toBe(true)
        expect(serialize(read(serialize(merged)))).toBe(serialize(merged))
      }),
      RUNS,
    )
  })
})
