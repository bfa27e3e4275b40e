import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { redactTokens } from './redact.js'

const tokenArb = fc.stringMatching(/^[A-Za-z0-9_-]{20,80}$/)

describe('redactTokens', () => {
  it('replaces the access, refresh and ID tokens by their length and keeps every other field', () => {
    expect(redactTokens({ access_token: 'abc', refresh_token: 'de', id_token: 'f', token_type: 'Bearer', expires_in: 3599, scope: 'a b' }, false)).toEqual({
      access_token: '<redacted: 3 characters; --show-token prints it>',
      refresh_token: '<redacted: 2 characters; --show-token prints it>',
      id_token: '<redacted: 1 characters; --show-token prints it>',
      token_type: 'Bearer',
      expires_in: 3599,
      scope: 'a b',
    })
  })

  it('no token survives in the printed JSON unless shown; shown, the result is unchanged', () => {
    fc.assert(
      fc.property(tokenArb, fc.option(tokenArb, { nil: undefined }), fc.option(tokenArb, { nil: undefined }), (access, refresh, id) => {
        const result = { access_token: access, token_type: 'Bearer', ...(refresh === undefined ? {} : { refresh_token: refresh }), ...(id === undefined ? {} : { id_token: id }) }
        const printed = JSON.stringify(redactTokens(result, false))
        expect([access, refresh, id].filter((t) => t !== undefined && printed.includes(t))).toEqual([])
        expect(redactTokens(result, true)).toEqual(result)
      }),
    )
  })
})
