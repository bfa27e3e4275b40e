import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { checkIdToken } from './idToken.js'

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2ln`
const NOW = 1_700_000_000
const good = { aud: 'client-1', iss: 'https://login.example/t1/v2.0', exp: NOW + 3600, iat: NOW, nonce: 'n-1', auth_time: NOW - 60, tid: 't1' }
const expect0 = { clientId: 'client-1', issuer: 'https://login.example/t1/v2.0', nonce: 'n-1', nowSeconds: NOW }

describe('checkIdToken', () => {
  it('accepts a token for this client, from this issuer, unexpired, with the nonce sent', () => {
    expect(checkIdToken(jwt(good), expect0)).toEqual({ _tag: 'Right', right: good })
  })

  it.each([
    ['not a JWT', 'abc', 'id_token_invalid'],
    ['another audience', jwt({ ...good, aud: 'client-2' }), 'audience_mismatch'],
    ['another issuer', jwt({ ...good, iss: 'https://evil.example/t1/v2.0' }), 'issuer_mismatch'],
    ['expired beyond the 5 minutes of skew', jwt({ ...good, exp: NOW - 301 }), 'id_token_expired'],
    ['no nonce', jwt({ ...good, nonce: undefined }), 'nonce_mismatch'],
    ['another nonce', jwt({ ...good, nonce: 'n-2' }), 'nonce_mismatch'],
  ])('refuses %s with a typed error', (_, token, code) => {
    expect(checkIdToken(token, expect0)).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', code } })
  })

  it('allows the 5 minutes of clock skew MSAL allows, and not a second more', () => {
    expect(checkIdToken(jwt({ ...good, exp: NOW - 300 }), expect0)._tag).toBe('Right')
    expect(checkIdToken(jwt({ ...good, exp: NOW - 301 }), expect0)._tag).toBe('Left')
  })

  it('checks auth_time against max_age', () => {
    expect(checkIdToken(jwt({ ...good, auth_time: NOW - 600 }), { ...expect0, maxAge: 300 })._tag).toBe('Right') // 600 <= 300 + 300 skew
    expect(checkIdToken(jwt({ ...good, auth_time: NOW - 601 }), { ...expect0, maxAge: 300 })).toMatchObject({ left: { code: 'auth_time_too_old' } })
    expect(checkIdToken(jwt({ ...good, auth_time: undefined }), { ...expect0, maxAge: 300 })).toMatchObject({ left: { code: 'auth_time_too_old' } })
  })

  it('fills the {tenantid} of a multi-tenant issuer from the tid claim; an aud list may name the client', () => {
    const e = { ...expect0, issuer: 'https://login.example/{tenantid}/v2.0' }
    expect(checkIdToken(jwt({ ...good, aud: ['other', 'client-1'] }), e)._tag).toBe('Right')
    expect(checkIdToken(jwt({ ...good, tid: 't2' }), e)).toMatchObject({ left: { code: 'issuer_mismatch' } })
  })

  it('never throws, whatever the token', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json().map((j) => `x.${Buffer.from(j).toString('base64url')}.y`)), (token) => {
        expect(['Left', 'Right']).toContain(checkIdToken(token, expect0)._tag)
      }),
      { numRuns: 500 },
    )
  })
})
