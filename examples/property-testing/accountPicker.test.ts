// Property-testing your own cache logic with authfold's arbitraries: any cache MSAL Python,
// msal-node or authfold could have written, and any token answer folded into it.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { addTokenResponse, deserialize, removeAccount, serialize } from '@authfold/cache'
import { cacheStateArb, tokenEventArb } from '@authfold/testing'
import { accountChoices } from './accountPicker.js'

describe('accountChoices (an app function) under arbitrary caches', () => {
  it('lists each signed-in account once, sorted', () => {
    fc.assert(
      fc.property(cacheStateArb(), (cache) => {
        const choices = accountChoices(cache)
        const keys = choices.map((c) => `${c.homeAccountId}|${c.environment}`.toLowerCase())
        expect(new Set(keys).size).toBe(keys.length)
        expect([...choices].sort((x, y) => x.username.localeCompare(y.username) || x.homeAccountId.localeCompare(y.homeAccountId))).toEqual(choices)
      }),
      { numRuns: 150 },
    )
  })

  it('is unchanged by a save and load of the cache', () => {
    fc.assert(
      fc.property(cacheStateArb(), (cache) => {
        const reloaded = deserialize(serialize(cache))
        expect(reloaded._tag).toBe('Right')
        if (reloaded._tag === 'Right') expect(accountChoices(reloaded.right)).toEqual(accountChoices(cache))
      }),
      { numRuns: 150 },
    )
  })

  it('drops exactly the account that signs out', () => {
    fc.assert(
      fc.property(cacheStateArb(), tokenEventArb, (cache, event) => {
        const withUser = addTokenResponse(event)(cache)
        const choices = accountChoices(withUser)
        fc.pre(choices.length > 0)
        const gone = choices[0]
        if (gone === undefined) return
        const after = accountChoices(removeAccount({ clientId: event.clientId, homeAccountId: gone.homeAccountId, environment: gone.environment })(withUser))
        const same = (c: { homeAccountId: string; environment: string }) => `${c.homeAccountId}|${c.environment}`.toLowerCase() === `${gone.homeAccountId}|${gone.environment}`.toLowerCase()
        expect(after.some(same)).toBe(false)
        expect(after.length).toBe(choices.length - 1)
      }),
      { numRuns: 150 },
    )
  })
})
