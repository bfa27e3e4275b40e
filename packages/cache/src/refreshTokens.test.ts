import { describe, expect, it } from 'vitest'
import { familyIdOf, getAppMetadata } from './appMetadata.js'
import { addTokenResponse, type TokenEvent } from './fold.js'
import { hamtKeys } from './hamt.js'
import { findRefreshTokens, removeRefreshToken, updateRefreshToken } from './refreshTokens.js'
import { emptyCache } from './state.js'
import { serialize } from './serialize.js'

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const ev = (clientId: string, rt: string, now: number, foci?: string): TokenEvent => ({
  clientId,
  environment: 'login.microsoftonline.com',
  realm: 'common',
  scopes: ['a'],
  nowSeconds: now,
  response: { access_token: 'at', refresh_token: rt, client_info: b64({ uid: 'u', utid: 't' }), ...(foci === undefined ? {} : { foci }) },
})

describe('refresh tokens', () => {
  const s = [ev('app1', 'rt1', 10), ev('app2', 'frt', 20, '1'), ev('app1', 'rt1b', 30)].reduce((acc, e) => addTokenResponse(e)(acc), emptyCache)

  it('one per app (replaced by the next answer), found by client or by family, across aliases, newest first', () => {
    const envs = ['login.windows.net', 'login.microsoftonline.com']
    expect(findRefreshTokens({ homeAccountId: 'u.t', environments: envs, clientId: 'APP1' })(s).map((r) => r.secret)).toEqual(['rt1b'])
    expect(findRefreshTokens({ homeAccountId: 'u.t', environments: envs, familyId: '1' })(s).map((r) => r.secret)).toEqual(['frt'])
    expect(findRefreshTokens({ homeAccountId: 'u.t', environments: envs, clientId: 'app1', familyId: '1' })(s).map((r) => r.secret)).toEqual(['rt1b', 'frt'])
    expect(findRefreshTokens({ homeAccountId: 'u.t', environments: ['login.example.com'] })(s)).toEqual([])
    expect(familyIdOf({ clientId: 'app2', environments: envs })(s)).toBe('1')
    expect(familyIdOf({ clientId: 'app1', environments: envs })(s)).toBeUndefined()
    expect(getAppMetadata({ clientId: 'app1', environments: envs })(s)?.client_id).toBe('app1')
  })

  it('updateRefreshToken rewrites the secret in place; removeRefreshToken removes it; stale entries are no-ops', () => {
    const [rt] = findRefreshTokens({ homeAccountId: 'u.t', environments: ['login.microsoftonline.com'], clientId: 'app1' })(s)
    if (rt === undefined) throw new Error('missing')
    const keys = Array.from(hamtKeys(s.refreshTokens.entries)).sort()
    const s2 = updateRefreshToken({ entry: rt, secret: 'new', nowSeconds: 99 })(s)
    expect(Array.from(hamtKeys(s2.refreshTokens.entries)).sort()).toEqual(keys)
    const [updated] = findRefreshTokens({ homeAccountId: 'u.t', environments: ['login.microsoftonline.com'], clientId: 'app1' })(s2)
    expect(updated).toEqual({ ...rt, secret: 'new', last_modification_time: '99' })
    expect(updateRefreshToken({ entry: rt, secret: 'x', nowSeconds: 1 })(s2)).toBe(s2)
    const s3 = removeRefreshToken(updated ?? rt)(s2)
    expect(s3.refreshTokens.entries.size).toBe(1)
    expect(serialize(removeRefreshToken(updated ?? rt)(s3))).toBe(serialize(s3))
  })
})
