import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { mergeClaimsChallengeAndCapabilities, pythonJsonDumps } from './claims.js'

describe('mergeClaimsChallengeAndCapabilities', () => {
  it('without capabilities returns the challenge unchanged (even non-JSON)', () => {
    expect(mergeClaimsChallengeAndCapabilities(undefined, undefined)).toEqual(E.right(undefined))
    expect(mergeClaimsChallengeAndCapabilities([], '{"id_token":{}}')).toEqual(E.right('{"id_token":{}}'))
    expect(mergeClaimsChallengeAndCapabilities([], 'not json')).toEqual(E.right('not json'))
  })
  it('capabilities only: the exact bytes MSAL Python sends', () => {
    expect(mergeClaimsChallengeAndCapabilities(['cp1'], undefined)).toEqual(E.right('{"access_token": {"xms_cc": {"values": ["cp1"]}}}'))
    expect(mergeClaimsChallengeAndCapabilities(['cp1', 'llt'], '')).toEqual(E.right('{"access_token": {"xms_cc": {"values": ["cp1", "llt"]}}}'))
  })
  it('merges into an existing challenge, keeping its members and order', () => {
    const challenge = '{"access_token":{"nbf":{"essential":true,"value":"1563308371"}},"id_token":{"auth_time":{"essential":true}}}'
    expect(mergeClaimsChallengeAndCapabilities(['cp1'], challenge)).toEqual(
      E.right('{"access_token": {"nbf": {"essential": true, "value": "1563308371"}, "xms_cc": {"values": ["cp1"]}}, "id_token": {"auth_time": {"essential": true}}}'),
    )
    expect(mergeClaimsChallengeAndCapabilities(['cp1'], '{"access_token":{"xms_cc":{"values":["old"]}}}')).toEqual(
      E.right('{"access_token": {"xms_cc": {"values": ["cp1"]}}}'),
    )
  })
  it.each(['{bad', '[1]', '"s"', '{"access_token": 3}', 'null'])('bad claims %s is a ConfigError, not a throw', (c) => {
    expect(mergeClaimsChallengeAndCapabilities(['cp1'], c)).toEqual(E.left(expect.objectContaining({ _tag: 'ConfigError', field: 'claimsChallenge' })))
  })
  it('pythonJsonDumps escapes non-ASCII like ensure_ascii', () => {
    expect(pythonJsonDumps({ a: 'é', b: [1, null, true] })).toBe('{"a": "\\u00e9", "b": [1, null, true]}')
  })
  it('the result always parses back to the merged object (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), fc.option(fc.dictionary(fc.string(), fc.jsonValue()), { nil: undefined }), (caps, ch) => {
        const r = mergeClaimsChallengeAndCapabilities(caps, ch === undefined ? undefined : JSON.stringify(ch))
        if (E.isLeft(r)) {
          expect(ch).toBeDefined()
          return
        }
        const parsed = JSON.parse(r.right ?? '') as { access_token: { xms_cc: { values: Array<string> } } }
        expect(parsed.access_token.xms_cc.values).toEqual(caps)
      }),
    )
  })
})
