import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { clientIdArb, environmentArb, epochSecondsArb, msalCacheJsonArb, realmArb, scopesArb, tokenEventArb } from '@authfold/testing'
import { findAccessTokens } from './accessTokens.js'
import { accessTokenEntitySlot } from './accessTokenSlot.js'
import { appTokenCacheFromJson, appTokenCacheToJson, emptyAppTokenCache, findAppToken, putAppToken, removeAppTokensFromTable, type AppTokenCache, type AppTokenQuery } from './appTokenTable.js'
import { deserialize } from './deserialize.js'
import { addAppTokenResponse } from './fold.js'
import { removeAppTokens } from './remove.js'
import type { AccessTokenEntity } from './schema.js'
import { serialize } from './serialize.js'
import { emptyCache, type CacheState } from './state.js'

const right = <A>(r: { readonly _tag: 'Left' } | { readonly _tag: 'Right'; readonly right: A }): A => {
  if (r._tag === 'Left') throw new Error('expected a Right')
  return r.right
}

/**
 * The full cache's app-token lookup as grants' `cachedAccessToken` runs it: the first
 * entry `findAccessTokens` returns with five minutes left (`Number(expires_on)`, as there).
 */
const fullUsable = (q: AppTokenQuery, nowSeconds: number) => (s: CacheState): ReadonlyArray<AccessTokenEntity> =>
  findAccessTokens({ ...q, homeAccountId: '' })(s).filter((e) => Number(e.expires_on) - nowSeconds >= 300)

/**
 * The table answers what the full lookup answers: its first usable entry. Where the full
 * cache holds another usable entry of that entry's slot (only a hand-made document does), its
 * order within the slot is its index's; then the table's answer must be one of that slot's.
 */
const expectSameAnswer = (table: AccessTokenEntity | undefined, full: ReadonlyArray<AccessTokenEntity>): void => {
  const first = full[0]
  if (first === undefined) return expect(table).toBeUndefined()
  const tied = full.filter((e) => accessTokenEntitySlot(e) === accessTokenEntitySlot(first))
  if (tied.length === 1) expect(table).toStrictEqual(first)
  else expect(tied).toContainEqual(table)
}

const queryArb: fc.Arbitrary<AppTokenQuery> = fc
  .tuple(
    fc.record({ clientId: clientIdArb, environments: fc.array(environmentArb, { minLength: 1, maxLength: 3 }), realm: realmArb, scopes: scopesArb }),
    fc.record({ tokenType: fc.constantFrom('Bearer', 'pop', 'POP', 'ssh-cert'), keyId: fc.constantFrom('kid-1', 'kid-2'), extCacheKey: fc.constantFrom('ext1', 'ext2') }, { requiredKeys: [] }),
  )
  .map(([q, extra]) => ({ ...q, ...extra }))

type Event = Parameters<typeof putAppToken>[1]
/** A lookup: most of the time for a token written before (its fields, some of its scopes), with some fields of a random query laid over it. */
interface Find {
  readonly written: number
  readonly scopes: number
  readonly over: Partial<AppTokenQuery>
  /** Other aliases, looked up before the written token's environment (`first`) or after it. */
  readonly aliases: ReadonlyArray<string>
  readonly first: boolean
  readonly advance: number
}
/** A write: a random answer, or (`again`) an answer for a token written before in another environment. */
type Step = { readonly put: Event; readonly again?: { readonly written: number; readonly environment: string } } | { readonly find: Find }
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  tokenEventArb.map((put) => ({ put })),
  fc.record({ put: tokenEventArb, again: fc.record({ written: fc.nat(), environment: environmentArb }) }),
  fc.record({
    written: fc.nat(),
    scopes: fc.nat(),
    aliases: fc.array(environmentArb, { maxLength: 2 }),
    first: fc.boolean(),
    over: fc.oneof({ weight: 2, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: queryArb.chain((q) => fc.subarray(Object.keys(q)).map((ks) => Object.fromEntries(ks.map((k) => [k, q[k as keyof AppTokenQuery]])))) }),
    // a clock near the last write's, with a fraction (MSAL compares with time.time())
    advance: fc.double({ min: -600, max: 100_000, noNaN: true }),
  }).map((find) => ({ find })),
)

/** The query of a {@link Find} after the writes so far. */
const queryOf = (f: Find, puts: ReadonlyArray<Event>): AppTokenQuery => {
  const e = puts[f.written % Math.max(puts.length, 1)]
  if (e === undefined) return { clientId: 'client-a', environments: ['login.microsoftonline.com'], realm: 'common', scopes: ['b'], ...f.over }
  const target = e.response.scope !== undefined ? e.response.scope.split(' ').filter((x) => x !== '') : e.scopes
  const base: AppTokenQuery = {
    clientId: e.clientId,
    environments: f.first ? [...f.aliases, e.environment] : [e.environment, ...f.aliases],
    realm: e.realm,
    scopes: target.slice(0, 1 + (f.scopes % Math.max(target.length, 1))),
    ...(e.response.token_type === undefined ? {} : { tokenType: e.response.token_type }),
    ...(e.keyId === undefined ? {} : { keyId: e.keyId }),
    ...(e.extCacheKey === undefined ? {} : { extCacheKey: e.extCacheKey }),
    ...(e.userAssertionHash === undefined ? {} : { userAssertionHash: e.userAssertionHash }),
  }
  return { ...base, ...f.over }
}

describe('the app-token table', () => {
  it('writes what MSAL Python 1.21 writes for acquire_token_for_client (AccessToken and AppMetadata, field for field)', () => {
    const cache = putAppToken(emptyAppTokenCache, {
      clientId: 'app-1',
      environment: 'login.microsoftonline.com',
      realm: 'contoso',
      scopes: ['https://graph.microsoft.com/.default'],
      response: { access_token: 'at-1', expires_in: 3599, ext_expires_in: 3599, refresh_in: 1800, token_type: 'Bearer' },
      nowSeconds: 1_700_000_000,
      grantType: 'client_credentials',
    })
    // SerializableTokenCache().add({... "grant_type": "client_credentials" ...}, now=1700000000).serialize()
    expect(JSON.parse(appTokenCacheToJson(cache))).toStrictEqual({
      AccessToken: {
        '-login.microsoftonline.com-accesstoken-app-1-contoso-https://graph.microsoft.com/.default': {
          credential_type: 'AccessToken',
          secret: 'at-1',
          home_account_id: null,
          environment: 'login.microsoftonline.com',
          client_id: 'app-1',
          target: 'https://graph.microsoft.com/.default',
          realm: 'contoso',
          token_type: 'Bearer',
          cached_at: '1700000000',
          expires_on: '1700003599',
          extended_expires_on: '1700003599',
          refresh_on: '1700001800',
        },
      },
      AppMetadata: { 'appmetadata-login.microsoftonline.com-app-1': { client_id: 'app-1', environment: 'login.microsoftonline.com' } },
      Account: {},
      IdToken: {},
      RefreshToken: {},
    })
    const query = { clientId: 'APP-1', environments: ['login.windows.net', 'login.microsoftonline.com'], realm: 'Contoso', scopes: ['https://graph.microsoft.com/.default'] }
    expect(findAppToken(cache, query, 1_700_003_299)?.secret).toBe('at-1')
    // 299.5 s left: expired for MSAL (five minutes)
    expect(findAppToken(cache, query, 1_700_003_299.5)).toBeUndefined()
    expect(findAppToken(cache, { ...query, scopes: ['other'] }, 1_700_000_000)).toBeUndefined()
  })

  it('the empty table writes the five empty sections, as serialize(emptyCache) does, and reads back from "" and from that', () => {
    expect(appTokenCacheToJson(emptyAppTokenCache)).toBe(serialize(emptyCache))
    expect(appTokenCacheToJson(right(appTokenCacheFromJson('')))).toBe(serialize(emptyCache))
    expect(appTokenCacheToJson(right(appTokenCacheFromJson(serialize(emptyCache))))).toBe(serialize(emptyCache))
  })

  it('refuses what deserialize refuses, with the same error', () => {
    for (const text of ['{', '[]', 'null', '{"AccessToken":[]}', '{"AppMetadata":"x"}', `{"x":${'['.repeat(70)}${']'.repeat(70)}}`]) {
      expect(appTokenCacheFromJson(text)).toStrictEqual(deserialize(text))
      expect(appTokenCacheFromJson(text)._tag).toBe('Left')
    }
  })

  it('puts and finds as the full cache does over runs of writes and lookups at any clock, and writes the same JSON after every step, from empty or from any loaded cache (300 runs)', () => {
    const startArb = fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 2, arbitrary: msalCacheJsonArb(3) })
    const seen = { hit: 0, miss: 0 }
    fc.assert(
      fc.property(startArb, fc.array(stepArb, { minLength: 1, maxLength: 12 }), epochSecondsArb, (start, steps, clock0) => {
        let table: AppTokenCache = right(appTokenCacheFromJson(start))
        let full: CacheState = right(deserialize(start))
        let clock = clock0
        const puts: Array<Event> = []
        expect(appTokenCacheToJson(table)).toBe(serialize(full))
        for (const step of steps) {
          if ('put' in step) {
            const was = step.again === undefined ? undefined : puts[step.again.written % Math.max(puts.length, 1)]
            const event = step.again === undefined || was === undefined ? step.put : { ...was, environment: step.again.environment, response: step.put.response, nowSeconds: step.put.nowSeconds }
            clock = event.nowSeconds
            puts.push(event)
            const before = appTokenCacheToJson(table)
            const next = putAppToken(table, event)
            expect(appTokenCacheToJson(table)).toBe(before) // a value: the old table is untouched
            table = next
            full = addAppTokenResponse(event)(full)
          } else {
            const now = clock + step.find.advance
            const query = queryOf(step.find, puts)
            const answer = findAppToken(table, query, now)
            expectSameAnswer(answer, fullUsable(query, now)(full))
            seen[answer === undefined ? 'miss' : 'hit']++
          }
          expect(appTokenCacheToJson(table)).toBe(serialize(full))
        }
      }),
      { numRuns: 300 },
    )
    // lookups that found a token and lookups that did not, both many
    expect(seen.hit).toBeGreaterThan(30)
    expect(seen.miss).toBeGreaterThan(100)
  })

  it('removes a client’s app tokens as the full cache’s removeAppTokens does, from any loaded cache after any writes, and leaves a cache with none of them as it was (300 runs)', () => {
    let removed = 0
    fc.assert(
      fc.property(
        msalCacheJsonArb(3),
        fc.array(tokenEventArb, { maxLength: 4 }),
        fc.nat(),
        fc.option(fc.subarray(['login.microsoftonline.com', 'login.windows.net', 'login.example.com']), { nil: undefined }),
        fc.option(realmArb, { nil: undefined }),
        (start, events, pick, environments, realm) => {
          const table = events.reduce(putAppToken, right(appTokenCacheFromJson(start)))
          const full = events.reduce((s, e) => addAppTokenResponse(e)(s), right(deserialize(start)))
          // a client that wrote tokens here, or one of the loaded cache's
          const clientId = events[pick % Math.max(events.length, 1)]?.clientId ?? 'app'
          const q = { clientId, ...(environments === undefined ? {} : { environments }), ...(realm === undefined ? {} : { realm }) }
          const next = removeAppTokensFromTable(q)(table)
          expect(appTokenCacheToJson(next)).toBe(serialize(removeAppTokens(q)(full)))
          if (appTokenCacheToJson(next) === appTokenCacheToJson(table)) expect(next).toBe(table)
          else removed++
        },
      ),
      { numRuns: 300 },
    )
    expect(removed).toBeGreaterThan(30)
  })

  it('a lookup after a write answers the token just written, as the full cache does (a hit on every run with scopes, 300 runs)', () => {
    fc.assert(
      fc.property(fc.array(tokenEventArb, { maxLength: 4 }), tokenEventArb, (before, event) => {
        const e = { ...event, response: { ...event.response, expires_in: 3600 } }
        const table = [...before, e].reduce(putAppToken, emptyAppTokenCache)
        const full = [...before, e].reduce((s, x) => addAppTokenResponse(x)(s), emptyCache)
        const query = queryOf({ written: 0, scopes: 0, over: {}, aliases: [], first: false, advance: 0 }, [e])
        const answer = fullUsable(query, e.nowSeconds)(full)
        expectSameAnswer(findAppToken(table, query, e.nowSeconds), answer)
        // (an answer whose scope is blank has an empty target: a lookup for no scopes answers any token of the slot)
        if (query.scopes.length > 0) expect(findAppToken(table, query, e.nowSeconds)?.secret).toBe(e.response.access_token)
      }),
      { numRuns: 300 },
    )
  })

  it('with usable tokens in several aliases and of both credential types, answers the one the full lookup answers first (query order of aliases, then AccessToken before AccessToken_With_AuthScheme) (300 runs)', () => {
    const ENVS = ['login.microsoftonline.com', 'login.windows.net', 'login.example.com', 'fs.contoso.com']
    const slotArb = fc.record({ environment: fc.constantFrom(...ENVS), credentialType: fc.constantFrom('AccessToken', 'AccessToken_With_AuthScheme'), key: fc.string({ minLength: 1, maxLength: 6 }) })
    fc.assert(
      fc.property(fc.uniqueArray(slotArb, { selector: (s) => `${s.environment} ${s.credentialType}`, minLength: 1, maxLength: 8 }), fc.shuffledSubarray(ENVS, { minLength: 1 }), fc.constantFrom('Bearer', 'pop'), (slots, environments, tokenType) => {
        const AccessToken = Object.fromEntries(
          slots.map((s, i) => [
            s.key + String(i),
            { credential_type: s.credentialType, secret: `at-${i}`, home_account_id: null, environment: s.environment, client_id: 'app', realm: 'contoso', target: 'a b', token_type: 'pop', expires_on: '1700003600' },
          ]),
        )
        const text = JSON.stringify({ AccessToken })
        const query = { clientId: 'app', environments, realm: 'contoso', scopes: ['a'], tokenType }
        const answer = findAppToken(right(appTokenCacheFromJson(text)), query, 1_700_000_000)
        expect(answer).toStrictEqual(fullUsable(query, 1_700_000_000)(right(deserialize(text)))[0])
      }),
      { numRuns: 300 },
    )
  })

  it('loads any cache the full cache wrote (user tokens, unknown sections, fields and unreadable entries) and writes it back byte for byte (300 runs)', () => {
    fc.assert(
      fc.property(msalCacheJsonArb(6), (text) => {
        const written = serialize(right(deserialize(text)))
        expect(appTokenCacheToJson(right(appTokenCacheFromJson(written)))).toBe(written)
        // and any cache document, sorted or not, is written as the full cache writes it
        expect(appTokenCacheToJson(right(appTokenCacheFromJson(text)))).toBe(written)
      }),
      { numRuns: 300 },
    )
  })
})
