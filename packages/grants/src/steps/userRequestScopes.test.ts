import { describe, expect, it } from 'vitest'
import { userRequestScopes } from './userRequestScopes.js'

describe('userRequestScopes', () => {
  it('decorates as MSAL Python does and merges client capabilities into the claims', () => {
    expect(userRequestScopes({ scopes: ['User.Read'] })).toEqual({ _tag: 'Right', right: { scopes: ['User.Read', 'openid', 'profile', 'offline_access'], claims: undefined } })
    expect(userRequestScopes({ scopes: ['User.Read'], excludeScopes: ['offline_access'], clientCapabilities: ['cp1'] })).toEqual({
      _tag: 'Right',
      right: { scopes: ['User.Read', 'openid', 'profile'], claims: '{"access_token": {"xms_cc": {"values": ["cp1"]}}}' },
    })
  })

  it('a claims challenge that is not a JSON object, with capabilities, is a ConfigError', () => {
    expect(userRequestScopes({ scopes: ['User.Read'], clientCapabilities: ['cp1'], claimsChallenge: '[1]' })).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError' } })
  })
})
