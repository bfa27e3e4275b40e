import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { ResolvedAuthority } from '@authfold/core'
import type { CacheFirstPolicy } from '@authfold/grants'
import { policyMemo, sameItems } from './policyMemo.js'

const authority = (realm: string) => ({ realm, aliases: ['login.microsoftonline.com'] }) as unknown as ResolvedAuthority
const policyOf = (scopes: ReadonlyArray<string>): CacheFirstPolicy => ({
  query: { clientId: 'app', environments: ['login.microsoftonline.com'], realm: 't', homeAccountId: '', scopes },
})

describe('sameItems', () => {
  it('is item-by-item equality (absent equals absent only)', () => {
    const list = fc.option(fc.array(fc.constantFrom('a', 'b', 'A', ''), { maxLength: 3 }), { nil: undefined })
    fc.assert(
      fc.property(list, list, (a, b) => {
        expect(sameItems(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b))
        expect(sameItems(a, a)).toBe(true)
      }),
    )
  })
})

describe('policyMemo', () => {
  it('finds the kept policy for equal inputs only, and builds each policy from its own copy of the scopes', () => {
    const input = fc.record({
      authority: fc.constantFrom(authority('t1'), authority('t2')),
      home: fc.constantFrom(undefined, 'u1.t', 'u2.t'),
      scopes: fc.array(fc.constantFrom('User.Read', 'user.read', 'Mail.Send'), { maxLength: 2 }),
      config: fc.option(fc.array(fc.constantFrom('cp1', 'cp2'), { maxLength: 2 }), { nil: undefined }),
    })
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 8 }), (calls) => {
        const memo = policyMemo()
        let last: (typeof calls)[number] | undefined
        let builds = 0
        for (const c of calls) {
          const scopes: Array<string> = [...c.scopes] // a new array each call, as callers write them
          const kept = memo.find(c.authority, c.home, scopes, c.config)
          const same = last !== undefined && last.authority === c.authority && last.home === c.home && sameItems(last.scopes, c.scopes) && sameItems(last.config, c.config)
          expect(kept !== undefined).toBe(same)
          const policy =
            kept !== undefined
              ? kept.policy
              : memo.keep(c.authority, c.home, scopes, c.config, (copy) => {
                  builds++
                  expect(copy).toEqual(scopes)
                  expect(copy).not.toBe(scopes)
                  return policyOf(copy)
                })
          expect(policy?.query.scopes).toEqual(c.scopes)
          scopes.push('changed later') // the caller's array changed: the kept policy is not
          expect(memo.find(c.authority, c.home, c.scopes, c.config)?.policy?.query.scopes).toEqual(c.scopes)
          last = c
        }
        expect(builds).toBeGreaterThan(0)
      }),
    )
  })

  it('keeps "no policy" too', () => {
    const memo = policyMemo()
    const a = authority('t')
    expect(memo.keep(a, undefined, ['openid'], undefined, () => undefined)).toBeUndefined()
    expect(memo.find(a, undefined, ['openid'], undefined)).toMatchObject({ policy: undefined })
  })
})
