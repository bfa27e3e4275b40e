import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { RESERVED_SCOPES, canDecorateScopes, decorateScopes, scopeParameter, validateExcludeScopes } from './scopes.js'

describe('decorateScopes', () => {
  it('adds openid profile offline_access', () => {
    expect(decorateScopes(['User.Read', 'Mail.Read', 'User.Read'])).toEqual(E.right(['User.Read', 'Mail.Read', 'openid', 'profile', 'offline_access']))
    expect(decorateScopes([])).toEqual(E.right(['openid', 'profile', 'offline_access']))
    expect(decorateScopes(['https://graph.microsoft.com/.default'])).toEqual(E.right(['https://graph.microsoft.com/.default', 'openid', 'profile', 'offline_access']))
  })
  it('excludeScopes removes reserved ones but never openid', () => {
    expect(decorateScopes(['User.Read'], { excludeScopes: ['offline_access'] })).toEqual(E.right(['User.Read', 'openid', 'profile']))
    expect(decorateScopes(['User.Read'], { excludeScopes: ['openid'] })).toEqual(E.left(expect.objectContaining({ field: 'excludeScopes' })))
    expect(validateExcludeScopes('offline_access')).toEqual(E.left(expect.objectContaining({ field: 'excludeScopes' })))
  })
  it.each(['openid', 'profile', 'offline_access'])('refuses the reserved scope %s', (s) => {
    expect(decorateScopes(['User.Read', s])).toEqual(E.left(expect.objectContaining({ _tag: 'ConfigError', code: 'reserved_scope', field: 'scopes' })))
  })
  it('refuses a non-array (a JS caller passing a string)', () => {
    expect(decorateScopes('User.Read' as unknown as ReadonlyArray<string>)).toEqual(E.left(expect.objectContaining({ code: 'invalid_argument' })))
  })
  it('scopeParameter', () => {
    expect(scopeParameter(['a', 'b'])).toBe('a b')
  })
  it('properties: superset of input, reserved added, excluded removed, no duplicates', () => {
    const scope = fc.oneof(fc.string(), fc.constantFrom(...RESERVED_SCOPES, 'User.Read', 'api://x/.default'))
    fc.assert(
      fc.property(fc.array(scope, { maxLength: 8 }), fc.subarray(['profile', 'offline_access']), (scopes, exclude) => {
        const r = decorateScopes(scopes, { excludeScopes: exclude })
        const hasReserved = scopes.some((s) => RESERVED_SCOPES.includes(s))
        expect(E.isLeft(r)).toBe(hasReserved)
        if (E.isLeft(r)) return
        for (const s of scopes) expect(r.right).toContain(s)
        expect(r.right).toContain('openid')
        for (const x of exclude) expect(r.right).not.toContain(x)
        expect(new Set(r.right).size).toBe(r.right.length)
        expect(r.right.length).toBe(new Set(scopes).size + 3 - exclude.length)
      }),
      { numRuns: 1000 },
    )
  })

  it('canDecorateScopes answers exactly when decorateScopes succeeds', () => {
    expect(canDecorateScopes(['User.Read'])).toBe(true)
    expect(canDecorateScopes(['User.Read', 'profile'])).toBe(false)
    expect(canDecorateScopes(['User.Read'], ['openid'])).toBe(false)
    expect(canDecorateScopes('User.Read' as unknown as ReadonlyArray<string>)).toBe(false)
    const scope = fc.oneof(fc.string(), fc.constantFrom(...RESERVED_SCOPES, 'User.Read'), fc.anything())
    const list = fc.oneof(fc.array(scope, { maxLength: 6 }), fc.anything())
    const exclude = fc.oneof(fc.constant(undefined), fc.subarray(['openid', 'profile', 'offline_access']), fc.array(fc.anything(), { maxLength: 3 }), fc.anything())
    fc.assert(
      fc.property(list, exclude, (scopes, excludeScopes) => {
        const s = scopes as ReadonlyArray<string>
        const x = excludeScopes as ReadonlyArray<string> | undefined
        expect(canDecorateScopes(s, x)).toBe(E.isRight(decorateScopes(s, x === undefined ? {} : { excludeScopes: x })))
      }),
      { numRuns: 2000 },
    )
  })
})
