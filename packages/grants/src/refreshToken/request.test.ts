import { describe, expect, it } from 'vitest'
import { accountAnchorHeaders, refreshTokenRequest } from './request.js'

describe('refreshTokenRequest', () => {
  it('builds the form MSAL Python 1.21 sends (scope sorted, client_info=1)', () => {
    expect(refreshTokenRequest({ refreshToken: 'rt', scopes: ['User.Read', 'openid', 'profile', 'offline_access'] })).toEqual({
      grant_type: 'refresh_token',
      client_info: '1',
      refresh_token: 'rt',
      scope: 'User.Read offline_access openid profile',
      claims: undefined,
    })
    expect(refreshTokenRequest({ refreshToken: 'rt', scopes: ['b', 'a'], claims: '{"access_token":{"xms_cc":{"values":["cp1"]}}}' })).toMatchObject({
      scope: 'a b',
      claims: '{"access_token":{"xms_cc":{"values":["cp1"]}}}',
    })
  })

  it('anchors on Oid:<uid>@<utid>', () => {
    expect(accountAnchorHeaders('uid-1.tid-2')).toEqual({ 'X-AnchorMailbox': 'Oid:uid-1@tid-2' })
  })
})
