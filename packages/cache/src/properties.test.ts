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
import { findAccessTokens, scanAccessTokens, targetsIntersect, type AccessTokenQuery } from './accessTokens.js'
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
import type { CacheState } from './state.js'

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

  it('refresh tokens, id tokens, accounts', () => {
    fc.assert(
      fc.property(
        cacheStateArb(),
        homeAccountIdArb,
        envsArb,
        fc.record({ clientId: clientIdArb, familyId: fc.constantFrom('1', '') }, { requiredKeys: [] }),
        fc.record({ clientId: clientIdArb, realm: realmArb }, { requiredKeys: [] }),
        fc.record(
          {
            homeAccountId: homeAccountIdArb,
            username: fc.constantFrom('john@contoso.com', 'JOHN@CONTOSO.COM', ''),
            environments: envsArb,
            realm: realmArb,
          },
          { requiredKeys: [] },
        ),
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
