import { describe, expect, it } from 'vitest'
import type { AccessTokenEntity } from '@authfold/cache'
import { cacheResultOf } from './cacheResult.js'

const entry = (over: Partial<AccessTokenEntity> = {}): AccessTokenEntity => ({ credential_type: 'AccessToken', secret: 'at-1', expires_on: '1700003600', ...over })

describe('cacheResultOf', () => {
  it('shapes a cached token as a cache result: seconds left floored, Bearer by default, no refresh_on without one', () => {
    expect(cacheResultOf(entry(), 3599.5, undefined)).toStrictEqual({ access_token: 'at-1', token_type: 'Bearer', expires_in: 3599, token_source: 'cache' })
    expect(Object.keys(cacheResultOf(entry(), 10, undefined))).toEqual(['access_token', 'token_type', 'expires_in', 'token_source'])
  })

  it("keeps the entry's token type and a floored refresh_on last", () => {
    const r = cacheResultOf(entry({ token_type: 'pop' }), 600.9, 1_700_001_800.7)
    expect(r).toStrictEqual({ access_token: 'at-1', token_type: 'pop', expires_in: 600, token_source: 'cache', refresh_on: 1_700_001_800 })
    expect(Object.keys(r).at(-1)).toBe('refresh_on')
  })
})
