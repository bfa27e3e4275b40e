import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { emptyCache, type AccessTokenEntity, type AccessTokenQuery } from '@authfold/cache'
import { RefreshReason } from '@authfold/core'
import { cacheFirstHit } from './cacheHit.js'
import { peekCacheFirst, type CacheFirstPolicy } from './cacheFirst.js'

const NOW = 1_800_000_000
const query: AccessTokenQuery = { clientId: 'app', environments: ['login.microsoftonline.com'], realm: 'tenant', homeAccountId: '', scopes: ['api://a/.default'] }

// what a lookup may list: expiries around the five-minute margin, every refresh_on spelling
// MSAL SDKs write (absent, null, '', garbage, padded, past, future), token types or none
const entry: fc.Arbitrary<AccessTokenEntity> = fc
  .record({
    secret: fc.constantFrom('at-1', 'at-2', 'at-3'),
    expires: fc.oneof(fc.integer({ min: -50, max: 4000 }), fc.constantFrom(299, 300, 301)).map((d) => String(NOW + d)),
    refreshOn: fc.option(
      fc.oneof(
        fc.integer({ min: -100, max: 3000 }).map((d) => String(NOW + d)),
        fc.constantFrom('', ' ', 'garbage', String(NOW), ` ${NOW + 60} `, '1e10'),
      ),
      { nil: undefined },
    ),
    nullRefreshOn: fc.boolean(),
    tokenType: fc.option(fc.constantFrom('Bearer', 'pop', 'ssh-cert'), { nil: undefined }),
  })
  .map(({ secret, expires, refreshOn, nullRefreshOn, tokenType }) => ({
    credential_type: 'AccessToken',
    secret,
    home_account_id: '',
    environment: 'login.microsoftonline.com',
    client_id: 'app',
    realm: 'tenant',
    target: 'api://a/.default',
    cached_at: String(NOW),
    expires_on: expires,
    ...(refreshOn === undefined ? (nullRefreshOn ? { refresh_on: null } : {}) : { refresh_on: refreshOn }),
    ...(tokenType === undefined ? {} : { token_type: tokenType }),
  }) as AccessTokenEntity)

describe('cacheFirstHit', () => {
  it('answers what peekCacheFirst answers, for any entries the lookup lists and any time (same fields, values and key order)', () => {
    let hits = 0
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 5 }),
        fc.integer({ min: 0, max: 999 }).map((ms) => NOW + ms / 1000),
        fc.boolean(),
        (entries, nowSeconds, skip) => {
          const policy: CacheFirstPolicy = skip ? { query, skipCache: RefreshReason.forceRefresh } : { query }
          const asked: Array<AccessTokenQuery> = []
          const hit = cacheFirstHit(policy, nowSeconds, (q) => (asked.push(q), entries), emptyCache)
          const reference = peekCacheFirst(policy, nowSeconds, () => () => entries)(emptyCache)
          if (hit !== undefined) hits++
          expect(hit).toStrictEqual(reference)
          expect(JSON.stringify(hit)).toBe(JSON.stringify(reference))
          expect(asked).toEqual(skip ? [] : [query]) // the policy's query, looked up once; none when skipping
        },
      ),
      { numRuns: 500 },
    )
    expect(hits, 'some cases were hits (the property is not vacuous)').toBeGreaterThan(50)
  })

  it('each answer is a new object', () => {
    const entries = [{ credential_type: 'AccessToken', secret: 's', home_account_id: '', environment: 'e', client_id: 'app', realm: 'tenant', target: 'x', cached_at: '1', expires_on: String(NOW + 3600) }] as ReadonlyArray<AccessTokenEntity>
    const a = cacheFirstHit({ query }, NOW, () => entries, emptyCache)
    const b = cacheFirstHit({ query }, NOW, () => entries, emptyCache)
    expect(a).toEqual({ access_token: 's', token_type: 'Bearer', expires_in: 3600, token_source: 'cache' })
    expect(a).not.toBe(b)
  })
})
