/**
 * What `deserialize` keeps beside the state (the document it read, for `serialize`) and the
 * indexes it no longer builds up front (built on first query) change nothing any reader
 * sees: a state read from sorted JSON, then changed, writes the same bytes as the same
 * state without the document; and a query answers the same whichever state built its
 * index first.
 */
import * as E from 'fp-ts/Either'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
// Test-only: the arbitraries live in packages/testing (which depends on this package).
import { accessTokenEntityArb, msalCacheObjectArb, tokenEventArb } from '../../testing/src/arbitraries/index.js'
import { findAccessTokens, removeExpiredAccessTokens } from './accessTokens.js'
import { getAccounts } from './accounts.js'
import { deserialize } from './deserialize.js'
import { addTokenResponse } from './fold.js'
import { findRefreshTokens } from './refreshTokens.js'
import { rebase } from './rebase.js'
import { removeAccount } from './remove.js'
import { isSortedDeep, serialize, sortKeysDeep } from './serialize.js'
import { modifyTable, specs, tablePut, type CacheState } from './state.js'

const read = (json: string): CacheState => {
  const r = deserialize(json)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

/** The same state without the document it was read from. */
const bare = (s: CacheState): CacheState => {
  const { loaded: _loaded, ...rest } = s
  return rest
}

type Op = (s: CacheState) => CacheState

const opArb: fc.Arbitrary<Op> = fc.oneof(
  tokenEventArb.map((e): Op => addTokenResponse(e)),
  fc.nat({ max: 20 }).map((i): Op => (s) => {
    const a = getAccounts({})(s)[i % Math.max(1, getAccounts({})(s).length)]
    return a === undefined ? s : removeAccount({ clientId: 'client-a', homeAccountId: a.home_account_id, environment: a.environment })(s)
  }),
  fc.integer({ min: 0, max: 4_000_000_000 }).map((t): Op => removeExpiredAccessTokens(t)),
  // a readable entry under the key of an unreadable one, or under a new key
  fc.tuple(accessTokenEntityArb, fc.nat({ max: 99 })).map(([at, n]): Op => (s) =>
    modifyTable('accessTokens', (t) => tablePut(specs.accessTokens, t, `unreadable-${n}`, at))(s),
  ),
  // an unreadable entry the document did not hold (as `rebase` brings in another state's list)
  fc.tuple(fc.constantFrom('AccessToken', 'Account', 'IdToken') as fc.Arbitrary<'AccessToken' | 'Account' | 'IdToken'>, fc.nat({ max: 99 }), fc.jsonValue({ maxDepth: 2 })).map(
    ([section, n, value]): Op => (s) => ({ ...s, unreadable: [...s.unreadable, [section, `unreadable-new-${n}`, value] as const] }),
  ),
  // another writer's change replayed onto this one's
  tokenEventArb.map((e): Op => (s) => rebase(s, addTokenResponse(e)(s), removeExpiredAccessTokens(2_000_000_000)(s))),
)

describe('a state read from sorted JSON', () => {
  it('writes, after any changes, the bytes the same state writes without the document it was read from', () => {
    fc.assert(
      fc.property(msalCacheObjectArb(), fc.array(opArb, { maxLength: 6 }), fc.constantFrom(undefined, null, ''), (doc, ops, appHome) => {
        const text = serialize(read(JSON.stringify(doc)))
        const loaded = read(text)
        expect(loaded.loaded).toBeDefined()
        expect(serialize(loaded)).toBe(text)
        const a = ops.reduce((s, op) => op(s), loaded)
        const b = ops.reduce((s, op) => op(s), bare(loaded))
        const options = appHome === undefined ? {} : { appTokenHomeAccountId: appHome }
        expect(serialize(a, options)).toBe(serialize(bare(a), options))
        expect(serialize(a, options)).toBe(serialize(b, options))
        // the loaded state itself is unchanged by everything done to the states derived from it
        expect(serialize(loaded)).toBe(text)
      }),
      { numRuns: 300 },
    )
  })

  it('answers every query the same whichever state (before or after a fold) built its indexes first', () => {
    fc.assert(
      fc.property(msalCacheObjectArb(), tokenEventArb, (doc, e) => {
        const text = JSON.stringify(doc)
        const q = { clientId: e.clientId, environments: [e.environment], realm: e.realm, homeAccountId: '', scopes: [] }
        const answers = (before: CacheState, after: CacheState, beforeFirst: boolean) => {
          const ask = (s: CacheState) => [
            findAccessTokens(q)(s).map((x) => x.secret),
            getAccounts({ environments: [e.environment] })(s).length,
            getAccounts({})(s).length,
            findRefreshTokens({ environments: [e.environment], clientId: e.clientId, homeAccountId: '' })(s).length,
          ]
          return beforeFirst ? [ask(before), ask(after)] : [ask(after), ask(before)].reverse()
        }
        const s1 = read(text)
        const s2 = read(text)
        expect(answers(s1, addTokenResponse(e)(s1), true)).toEqual(answers(s2, addTokenResponse(e)(s2), false))
      }),
      { numRuns: 200 },
    )
  })
})

describe('isSortedDeep', () => {
  it('holds only where JSON.stringify writes what it writes for the sorted copy, and for every sorted copy without array-index keys', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        if (isSortedDeep(v)) expect(JSON.stringify(v)).toBe(JSON.stringify(sortKeysDeep(v)))
        const indexKeys = /"\d+":/.test(JSON.stringify(v))
        if (!indexKeys) expect(isSortedDeep(sortKeysDeep(v))).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('tells a literal sorted document from an unsorted one', () => {
    expect(isSortedDeep({ a: 1, b: { c: [{ d: 1, e: 2 }] } })).toBe(true)
    expect(isSortedDeep({ a: 1, b: { c: [{ e: 1, d: 2 }] } })).toBe(false)
    expect(isSortedDeep({ b: 1, a: 2 })).toBe(false)
  })
})
