/**
 * The bounded store against the unbounded cache: any sequence of saves (folded token
 * answers) and lookups, checked after every step.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import * as fc from 'fast-check'
// Test-only: the arbitraries live in packages/testing (which depends on this package).
import { cacheStateArb, clientIdArb, environmentArb, homeAccountIdArb, realmArb, scopeArb, tokenEventArb } from '../../../testing/src/arbitraries/index.js'
import { findAccessTokens, type AccessTokenQuery } from '../accessTokens.js'
import { getAccounts } from '../accounts.js'
import { addTokenResponse, type TokenEvent } from '../fold.js'
import { toJsonObject } from '../serialize.js'
import { emptyCache, type CacheState } from '../state.js'
import { boundedStore, reportingFinder, reportingLookup } from './boundedStore.js'
import type { CacheStore } from './store.js'

const NOW_SECONDS = 1_750_000_000
const clock = (): number => NOW_SECONDS * 1000
const COUNTED = ['AccessToken', 'RefreshToken', 'IdToken', 'Account'] as const

/**
 * Every counted entry as `section/key` -> its JSON text, read through `serialize`'s object
 * (entries the cache could not read, kept verbatim in `unreadable`, left out).
 */
const entriesOf = (s: CacheState): ReadonlyMap<string, string> => {
  const json = toJsonObject(s)
  const unreadable = new Set(s.unreadable.map(([section, key]) => `${section}/${key}`))
  const out = new Map<string, string>()
  for (const section of COUNTED) {
    for (const [k, v] of Object.entries(json[section] as Record<string, unknown>)) {
      if (!unreadable.has(`${section}/${k}`)) out.set(`${section}/${k}`, JSON.stringify(v))
    }
  }
  return out
}

const bytesOf = (s: CacheState): number => {
  let n = 0
  for (const [id, v] of entriesOf(s)) n += Buffer.byteLength(id.slice(id.indexOf('/') + 1)) + Buffer.byteLength(v)
  return n
}

const accessTokensOf = (s: CacheState): ReadonlyArray<Record<string, unknown>> =>
  Object.values(toJsonObject(s)['AccessToken'] as Record<string, Record<string, unknown>>)

const isExpiredAt = (id: string, json: string): boolean =>
  id.startsWith('AccessToken/') && Number((JSON.parse(json) as { expires_on: string }).expires_on) < NOW_SECONDS

const homesWithAccount = (s: CacheState): ReadonlySet<string> => new Set(getAccounts()(s).map((a) => a.home_account_id.toLowerCase()))

const save = async (store: CacheStore, f: (s: CacheState) => CacheState): Promise<CacheState> => {
  const r = await store.update(f)()
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const atQueryArb: fc.Arbitrary<AccessTokenQuery> = fc.record({
  clientId: clientIdArb,
  environments: fc.uniqueArray(environmentArb, { minLength: 1, maxLength: 2 }),
  realm: realmArb,
  homeAccountId: homeAccountIdArb,
  scopes: fc.array(scopeArb, { maxLength: 2 }),
})

type Step = { readonly save: TokenEvent } | { readonly lookup: AccessTokenQuery }
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: tokenEventArb.map((e) => ({ save: e })) },
  { weight: 2, arbitrary: atQueryArb.map((q) => ({ lookup: q })) },
)
const limitsArb: fc.Arbitrary<{ readonly maxEntries?: number; readonly maxBytes?: number }> = fc.oneof(
  fc.record({ maxEntries: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ maxBytes: fc.integer({ min: 0, max: 6000 }) }),
  fc.record({ maxEntries: fc.integer({ min: 1, max: 12 }), maxBytes: fc.integer({ min: 500, max: 6000 }) }),
)

const canon = (xs: ReadonlyArray<unknown>): ReadonlyArray<string> => xs.map((x) => JSON.stringify(x)).sort()

describe('boundedStore against the unbounded cache', () => {
  it('keeps the bound, answers every lookup on kept entries as the unbounded cache, leaves no orphan access token, evicts expired access tokens before live entries', async () => {
    await fc.assert(
      fc.asyncProperty(limitsArb, fc.array(stepArb, { minLength: 1, maxLength: 40 }), async (limits, steps) => {
        const store = boundedStore({ ...limits, now: clock })
        const find = reportingFinder(findAccessTokens, store)
        let unbounded = emptyCache
        for (const step of steps) {
          const before = store.peek?.() ?? emptyCache
          if ('save' in step) {
            const f = addTokenResponse(step.save)
            unbounded = f(unbounded)
            const after = await save(store, f)
            const kept = entriesOf(after)
            // the bound holds after every save
            expect(kept.size).toBeLessThanOrEqual(limits.maxEntries ?? Infinity)
            expect(bytesOf(after)).toBeLessThanOrEqual(limits.maxBytes ?? Infinity)
            // every kept entry is one the unbounded cache has, under the same key, with the same value
            const all = entriesOf(unbounded)
            for (const [id, json] of kept) if (id.startsWith('AccessToken/')) expect(all.get(id)).toBe(json)
            for (const id of kept.keys()) expect(all.has(id)).toBe(true)
            // no access token whose account the eviction removed
            const accounts = homesWithAccount(after)
            const accountsBeforeEviction = homesWithAccount(f(before))
            for (const at of accessTokensOf(after)) {
              const home = String(at['home_account_id'] ?? '').toLowerCase()
              if (accountsBeforeEviction.has(home)) expect(accounts.has(home)).toBe(true)
            }
            // expired access tokens go before any live entry
            const unevicted = entriesOf(f(before))
            const evicted = [...unevicted].filter(([id]) => !kept.has(id))
            if (evicted.some(([id, json]) => !isExpiredAt(id, json))) {
              expect([...kept].filter(([id, json]) => isExpiredAt(id, json))).toEqual([])
            }
          } else {
            const got = find(step.lookup)(before)
            const keptAts = new Set(canon(accessTokensOf(before)))
            const expected = findAccessTokens(step.lookup)(unbounded).filter((e) => keptAts.has(JSON.stringify(toJsonObjectEntry(e))))
            expect(canon(got.map(toJsonObjectEntry))).toEqual(canon(expected.map(toJsonObjectEntry)))
          }
        }
      }),
      { numRuns: 150 },
    )
  })

  it('keeps the bound over any starting cache (read from MSAL JSON or folded), unreadable entries and app metadata left alone', async () => {
    await fc.assert(
      fc.asyncProperty(cacheStateArb(), fc.integer({ min: 0, max: 10 }), fc.array(tokenEventArb, { maxLength: 5 }), async (initial, maxEntries, events) => {
        const store = boundedStore({ maxEntries, initial, now: clock })
        expect(entriesOf(store.peek?.() ?? emptyCache).size).toBeLessThanOrEqual(maxEntries)
        for (const e of events) expect(entriesOf(await save(store, addTokenResponse(e))).size).toBeLessThanOrEqual(maxEntries)
        const json = toJsonObject(store.peek?.() ?? emptyCache)
        expect(json['AppMetadata']).toEqual(toJsonObject(events.reduce((s, e) => addTokenResponse(e)(s), initial))['AppMetadata'])
      }),
      { numRuns: 100 },
    )
  })
})

/** An entity as `toJsonObject` writes it (keys sorted), to compare by value. */
const toJsonObjectEntry = (e: object): unknown => JSON.parse(JSON.stringify(e, Object.keys(e).sort()))

// A user sign-in answer for `uid` (client_info names the account), and an app token answer.
const clientInfo = (uid: string): string => Buffer.from(JSON.stringify({ uid, utid: 'tenant' })).toString('base64url')
const userAnswer = (uid: string, expiresIn = 3600): TokenEvent => ({
  clientId: 'client-a',
  environment: 'login.microsoftonline.com',
  realm: 'tenant',
  scopes: ['User.Read'],
  nowSeconds: NOW_SECONDS,
  grantType: 'authorization_code',
  response: { access_token: `at-${uid}`, token_type: 'Bearer', expires_in: expiresIn, refresh_token: `rt-${uid}`, client_info: clientInfo(uid) },
})
const appAnswer = (scope: string, expiresIn = 3600): TokenEvent => ({
  clientId: 'client-a',
  environment: 'login.microsoftonline.com',
  realm: 'tenant',
  scopes: [scope],
  nowSeconds: NOW_SECONDS,
  grantType: 'client_credentials',
  response: { access_token: `at-${scope}`, token_type: 'Bearer', expires_in: expiresIn },
})
const userQuery = (uid: string): AccessTokenQuery => ({
  clientId: 'client-a',
  environments: ['login.microsoftonline.com'],
  realm: 'tenant',
  homeAccountId: `${uid}.tenant`,
  scopes: ['User.Read'],
})
const appQuery = (scope: string): AccessTokenQuery => ({ ...userQuery(''), homeAccountId: '', scopes: [scope] })
const homes = (s: CacheState): ReadonlyArray<string> => getAccounts()(s).map((a) => a.home_account_id).sort()

describe('boundedStore eviction order', () => {
  it('evicts the least recently used account, all its entries, where a lookup counts as use', async () => {
    // each sign-in writes 3 entries (access token, refresh token, account): room for two
    const store = boundedStore({ maxEntries: 6, now: clock })
    const find = reportingFinder(findAccessTokens, store)
    await save(store, addTokenResponse(userAnswer('u1')))
    await save(store, addTokenResponse(userAnswer('u2')))
    expect(find(userQuery('u1'))(store.peek?.() ?? emptyCache)).toHaveLength(1) // u1 used after u2
    const s = await save(store, addTokenResponse(userAnswer('u3')))
    expect(homes(s)).toEqual(['u1.tenant', 'u3.tenant'])
    expect(entriesOf(s).size).toBe(6)
    expect(findAccessTokens(userQuery('u2'))(s)).toEqual([])
    expect([...entriesOf(s).values()].some((json) => json.includes('u2.tenant'))).toBe(false)
  })

  it('reportingLookup (uncurried) counts a lookup as use as reportingFinder does; over a store that does not ask it is the lookup itself', async () => {
    const store = boundedStore({ maxEntries: 6, now: clock })
    const lookup = reportingLookup((q, s) => findAccessTokens(q)(s), store)
    await save(store, addTokenResponse(userAnswer('u1')))
    await save(store, addTokenResponse(userAnswer('u2')))
    expect(lookup(userQuery('u1'), store.peek?.() ?? emptyCache)).toHaveLength(1) // u1 used after u2
    expect(homes(await save(store, addTokenResponse(userAnswer('u3'))))).toEqual(['u1.tenant', 'u3.tenant'])
    const plain = (q: AccessTokenQuery, s: CacheState) => findAccessTokens(q)(s)
    expect(reportingLookup(plain, { load: store.load, update: store.update })).toBe(plain)
  })

  it('without the lookup the oldest account goes', async () => {
    const store = boundedStore({ maxEntries: 6, now: clock })
    await save(store, addTokenResponse(userAnswer('u1')))
    await save(store, addTokenResponse(userAnswer('u2')))
    expect(homes(await save(store, addTokenResponse(userAnswer('u3'))))).toEqual(['u2.tenant', 'u3.tenant'])
  })

  it('evicts expired access tokens first, then app tokens one by one, least recently used first', async () => {
    const store = boundedStore({ maxEntries: 3, now: clock })
    const find = reportingFinder(findAccessTokens, store)
    await save(store, addTokenResponse(appAnswer('api://a/.default')))
    await save(store, addTokenResponse(appAnswer('api://expired/.default', -10)))
    await save(store, addTokenResponse(appAnswer('api://b/.default')))
    expect(find(appQuery('api://a/.default'))(store.peek?.() ?? emptyCache)).toHaveLength(1)
    // over the bound: the expired token goes, though the most recently written after b
    let s = await save(store, addTokenResponse(appAnswer('api://c/.default')))
    // (plain lookups from here: they do not count as use)
    expect(findAccessTokens(appQuery('api://expired/.default'))(s)).toEqual([])
    expect(findAccessTokens(appQuery('api://b/.default'))(s)).toHaveLength(1)
    // no expired token left: b, the least recently used, goes
    s = await save(store, addTokenResponse(appAnswer('api://d/.default')))
    expect(accessTokensOf(s).map((e) => e['target']).sort()).toEqual(['api://a/.default', 'api://c/.default', 'api://d/.default'])
  })

  it('evicts by bytes: at most maxBytes of keys and JSON text', async () => {
    const one = bytesOf(addTokenResponse(appAnswer('api://a/.default'))(emptyCache))
    const store = boundedStore({ maxBytes: 2 * one + 10, now: clock })
    for (const scope of ['api://a/.default', 'api://b/.default', 'api://c/.default']) await save(store, addTokenResponse(appAnswer(scope)))
    const s = store.peek?.() ?? emptyCache
    expect(bytesOf(s)).toBeLessThanOrEqual(2 * one + 10)
    expect(accessTokensOf(s).map((e) => e['target']).sort()).toEqual(['api://b/.default', 'api://c/.default'])
  })
})
