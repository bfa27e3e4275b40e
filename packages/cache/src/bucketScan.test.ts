/**
 * A loaded table answers its first queries by scanning instead of building its indexes
 * (`bucketScan.ts`, `tableBucket`). Nothing a reader sees may tell the two apart: the
 * in-place field comparison says "in this bucket" exactly when the entry's bucket key is
 * the key, and every query answers, after any writes, what the same state answers with
 * every index built, and what a cache built entry by entry (never loaded) answers.
 */
import * as E from 'fp-ts/Either'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
// Test-only: the arbitraries live in packages/testing (which depends on this package).
import {
  accessTokenEntityArb,
  accountEntityArb,
  appMetadataEntityArb,
  idTokenEntityArb,
  msalCacheObjectArb,
  refreshTokenEntityArb,
  tokenEventArb,
} from '../../testing/src/arbitraries/index.js'
import { accessTokenKeyOf, findAccessTokens, removeAccessToken, removeExpiredAccessTokens } from './accessTokens.js'
import { getAccounts } from './accounts.js'
import { getAppMetadata } from './appMetadata.js'
import { homeAccountsOfAssertion } from './assertionTokens.js'
import { bucketFields, bucketTest, type TableFields } from './bucketScan.js'
import { deserialize } from './deserialize.js'
import { addTokenResponse } from './fold.js'
import { hamtEntries, hamtValues } from './hamt.js'
import { findIdTokens } from './idTokens.js'
import { findRefreshTokens } from './refreshTokens.js'
import { removeAccount, removeAppTokens } from './remove.js'
import { keyIdOf, nonEmpty, scopesOf, str, userAssertionHashOf } from './schema.js'
import { serialize } from './serialize.js'
import { emptyCache, modifyTable, SCANS_BEFORE_INDEX, specs, tableIndex, tablePut, type CacheState, type Table, type TableName, type TableSpec } from './state.js'

const read = (json: string): CacheState => {
  const r = deserialize(json)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const NAMES: ReadonlyArray<TableName> = ['accessTokens', 'refreshTokens', 'idTokens', 'accounts', 'appMetadata']

type AnyTable = Table<unknown, string>
const tableOf = (s: CacheState, name: TableName): AnyTable => s[name] as unknown as AnyTable
const withTables = (s: CacheState, f: (t: AnyTable, name: TableName) => AnyTable): CacheState => {
  const out: Record<string, unknown> = { ...s }
  for (const name of NAMES) out[name] = f(tableOf(s, name), name)
  return out as unknown as CacheState
}

/** The same state with no index built and no scan counted: its next queries scan. */
const unindexed = (s: CacheState): CacheState =>
  withTables(s, (t, name) => ({ entries: t.entries, spec: t.spec, built: {}, scan: { fields: bucketFields[name] as TableFields<unknown, string>, count: {} } }))

/** The same state with every index built (and no scan left to do). */
const indexed = (s: CacheState): CacheState =>
  withTables(s, (t) => {
    const fresh: AnyTable = { entries: t.entries, spec: t.spec, built: {} }
    for (const name of Object.keys(t.spec)) tableIndex(fresh, name)
    return fresh
  })

/** The same entries put one by one into the empty cache: never loaded, every index kept up to date by the writes. */
const rebuilt = (s: CacheState): CacheState => {
  const { loaded: _loaded, ...rest } = s
  return withTables(rest, (t, name) => {
    let out = tableOf(emptyCache, name)
    for (const [k, e] of hamtEntries(t.entries)) out = tablePut(t.spec, out, k, e)
    return out
  })
}

const flip = (v: string | null | undefined): string => {
  const s = str(v)
  return s === s.toLowerCase() ? s.toUpperCase() : s.toLowerCase()
}

/** Queries of every index, aimed at the entries of `ref` (so they find something), some in another case. */
const ask =
  (ref: CacheState) =>
  (s: CacheState): unknown => {
    const ats = Array.from(hamtValues(ref.accessTokens.entries)).slice(0, 6)
    const accounts = Array.from(hamtValues(ref.accounts.entries)).slice(0, 4)
    const rts = Array.from(hamtValues(ref.refreshTokens.entries)).slice(0, 4)
    const ids = Array.from(hamtValues(ref.idTokens.entries)).slice(0, 3)
    const ams = Array.from(hamtValues(ref.appMetadata.entries)).slice(0, 2)
    return {
      at: ats.map((e, i) => {
        const keyId = keyIdOf(e)
        const ext = nonEmpty(e.ext_cache_key)
        const uah = userAssertionHashOf(e)
        const found = findAccessTokens({
          clientId: i % 2 === 0 ? str(e.client_id) : flip(e.client_id),
          environments: [str(e.environment), 'login.windows.net', flip(e.environment)],
          realm: str(e.realm),
          homeAccountId: str(e.home_account_id),
          scopes: scopesOf(e.target).slice(0, 1),
          ...(e.token_type === undefined || e.token_type === null ? {} : { tokenType: e.token_type }),
          ...(keyId === undefined ? {} : { keyId }),
          ...(ext === undefined ? {} : { extCacheKey: ext }),
          ...(uah === undefined ? {} : { userAssertionHash: uah }),
        })(s)
        return [found, accessTokenKeyOf(e)(s), homeAccountsOfAssertion({ clientId: str(e.client_id), userAssertionHash: uah ?? 'h1' })(s)]
      }),
      accounts: accounts.map((a, i) => [
        getAccounts({ homeAccountId: i % 2 === 0 ? str(a.home_account_id) : flip(a.home_account_id) })(s),
        getAccounts({ homeAccountId: str(a.home_account_id), environments: [str(a.environment), 'login.windows.net'] })(s),
        getAccounts({ username: flip(str(a.username)) })(s),
        getAccounts({ environments: [str(a.environment)] })(s),
      ]),
      rts: rts.map((r) => [
        findRefreshTokens({ homeAccountId: str(r.home_account_id), environments: [str(r.environment)], clientId: str(r.client_id) })(s),
        findRefreshTokens({ homeAccountId: flip(r.home_account_id), environments: [str(r.environment), 'login.windows.net'], familyId: '1' })(s),
      ]),
      ids: ids.map((t) => findIdTokens({ homeAccountId: str(t.home_account_id), environments: [flip(t.environment)] })(s)),
      ams: ams.map((m) => getAppMetadata({ clientId: flip(m.client_id), environments: [str(m.environment)] })(s)),
    }
  }

type Op = (s: CacheState) => CacheState

const opArb: fc.Arbitrary<Op> = fc.oneof(
  tokenEventArb.map((e): Op => addTokenResponse(e)),
  fc.nat({ max: 20 }).map((i): Op => (s) => {
    const all = getAccounts({})(s)
    const a = all[i % Math.max(1, all.length)]
    return a === undefined ? s : removeAccount({ clientId: 'client-a', homeAccountId: a.home_account_id, environment: a.environment })(s)
  }),
  fc.nat({ max: 20 }).map((i): Op => (s) => {
    const all = Array.from(hamtValues(s.accessTokens.entries))
    const e = all[i % Math.max(1, all.length)]
    return e === undefined ? s : removeAccessToken(e)(s)
  }),
  fc.constantFrom('client-a', 'CLIENT-A', 'client-b').map((clientId): Op => removeAppTokens({ clientId })),
  fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }).map((t): Op => removeExpiredAccessTokens(t)),
)

describe('bucketTest', () => {
  // Field values beyond the pools: other cases, characters whose lower case is longer
  // (U+0130) or ASCII (the Kelvin sign), the separator itself, and anything at all.
  const oddArb = fc.oneof(fc.constantFrom('', 'İstanbul', '\u212Aelvin', 'kelvin', 'A\u0000B', 'a', 'A', 'ΣΑΣ', '\u0000'), fc.string({ unit: 'binary', maxLength: 6 }))
  const twist = <E extends object>(arb: fc.Arbitrary<E>): fc.Arbitrary<E> =>
    fc
      .tuple(arb, fc.option(fc.tuple(fc.constantFrom('home_account_id', 'environment', 'client_id', 'realm', 'username', 'token_type', 'key_id', 'ext_cache_key', 'user_assertion_hash'), oddArb), { nil: undefined }))
      .map(([e, odd]) => (odd === undefined ? e : ({ ...e, [odd[0]]: odd[1] } as E)))

  const check = <E extends object, I extends string>(spec: TableSpec<E, I>, fields: TableFields<E, I>, arb: fc.Arbitrary<E>) =>
    fc.assert(
      fc.property(twist(arb), twist(arb), fc.constantFrom(...(Object.keys(spec) as Array<I>)), fc.nat({ max: 4 }), oddArb, (e, other, index, how, odd) => {
        const key = spec[index](e)
        const parts = key.split('\u0000')
        const bucket = [spec[index](other), key, flip(key), key + '\u0000', [...parts.slice(0, -1), odd].join('\u0000')][how] as string
        expect(bucketTest(fields[index], spec[index], bucket)(e)).toBe(key === bucket)
      }),
      { numRuns: 800 },
    )

  it('holds for an entry exactly when its bucket key is the key (access tokens)', () => check(specs.accessTokens, bucketFields.accessTokens, accessTokenEntityArb))
  it('holds for an entry exactly when its bucket key is the key (refresh tokens)', () => check(specs.refreshTokens, bucketFields.refreshTokens, refreshTokenEntityArb))
  it('holds for an entry exactly when its bucket key is the key (id tokens)', () => check(specs.idTokens, bucketFields.idTokens, idTokenEntityArb))
  it('holds for an entry exactly when its bucket key is the key (accounts)', () => check(specs.accounts, bucketFields.accounts, accountEntityArb))
  it('holds for an entry exactly when its bucket key is the key (app metadata)', () => check(specs.appMetadata, bucketFields.appMetadata, appMetadataEntityArb))

  it('never throws on what a section may hold that is not an entry', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), fc.string(), (v, bucket) => {
        for (const name of NAMES) {
          const fields = bucketFields[name] as TableFields<unknown, string>
          const spec = specs[name] as TableSpec<unknown, string>
          for (const index of Object.keys(spec)) {
            if (typeof v === 'object' && v !== null) expect(typeof bucketTest(fields[index], spec[index] as (e: unknown) => string, bucket)(v)).toBe('boolean')
          }
        }
      }),
      { numRuns: 200 },
    )
  })
})

describe('a loaded cache before its indexes are built', () => {
  it('answers every query, after any writes, as with every index built and as a cache that was never loaded', () => {
    fc.assert(
      fc.property(msalCacheObjectArb(), fc.array(opArb, { maxLength: 8 }), (doc, ops) => {
        const text = serialize(read(JSON.stringify(doc)))
        let s = read(text)
        const check = (s: CacheState): void => {
          const q = ask(s)
          const want = q(rebuilt(s))
          expect(q(unindexed(s))).toEqual(want)
          expect(q(indexed(s))).toEqual(want)
          expect(q(s)).toEqual(want) // scanning or indexed, whichever its count has reached
        }
        check(s)
        for (const op of ops) {
          s = op(s)
          check(s)
        }
        // and writes it as the cache that was never loaded
        expect(serialize(s)).toBe(serialize(rebuilt(s)))
      }),
      { numRuns: 200 },
    )
  })

  it(`scans ${SCANS_BEFORE_INDEX} queries of an index, counted across the states written from it, then builds it`, () => {
    const json = serialize(addTokenResponse(tokenEvent)(emptyCache))
    let s = read(json)
    const other = { credential_type: 'RefreshToken', secret: 'rt', home_account_id: 'other.utid', environment: 'login.microsoftonline.com', client_id: 'client-a' }
    const q = { homeAccountId: 'uid.utid', environments: ['login.microsoftonline.com'] }
    for (let i = 0; i < SCANS_BEFORE_INDEX; i++) {
      expect(s.refreshTokens.built.homeEnv).toBeUndefined()
      expect(findRefreshTokens(q)(s)).toHaveLength(1)
      // a write in between (one that reads no index): the count carries over to the new table
      s = modifyTable('refreshTokens', (t) => tablePut(specs.refreshTokens, t, `other-${i}`, { ...other, secret: `rt-${i}` }))(s)
    }
    expect(s.refreshTokens.built.homeEnv).toBeUndefined()
    expect(findRefreshTokens(q)(s)).toHaveLength(1)
    expect(s.refreshTokens.built.homeEnv).toBeDefined()
  })
})

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const tokenEvent = {
  clientId: 'client-a',
  environment: 'login.microsoftonline.com',
  realm: 'contoso',
  scopes: ['User.Read'],
  nowSeconds: 1_700_000_000,
  response: {
    access_token: 'at',
    token_type: 'Bearer',
    expires_in: 3600,
    scope: 'User.Read',
    refresh_token: 'rt',
    id_token: `${b64({ alg: 'none' })}.${b64({ iss: 'https://login.microsoftonline.com/utid/v2.0', oid: 'uid', tid: 'utid', preferred_username: 'u@contoso.test' })}.`,
    client_info: b64({ uid: 'uid', utid: 'utid' }),
  },
}
