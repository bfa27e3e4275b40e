import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { formEncode } from '@authfold/core'
import { usernameAnchorHeaders, usernamePasswordRequest } from './request.js'
import { userRealmRequest, usernamePathSegment } from './userRealm.js'

describe('usernamePasswordRequest', () => {
  it('has the fields MSAL Python 1.21 sends (grant_type, username, password, decorated scope, client_info=1; claims when given)', () => {
    const scopes = ['User.Read', 'openid', 'profile', 'offline_access']
    expect(usernamePasswordRequest({ username: 'jane@contoso.com', password: 'pw-1', scopes })).toEqual({
      grant_type: 'password',
      username: 'jane@contoso.com',
      password: 'pw-1',
      scope: 'User.Read openid profile offline_access',
      client_info: '1',
      claims: undefined,
    })
    // MSAL Python leaves claims=None out of the body
    expect(formEncode(usernamePasswordRequest({ username: 'jane@contoso.com', password: 'p&w=1', scopes }))).toBe(
      'grant_type=password&username=jane%40contoso.com&password=p%26w%3D1&scope=User.Read+openid+profile+offline_access&client_info=1',
    )
    expect(usernamePasswordRequest({ username: 'u', password: 'p', scopes, claims: '{"access_token":{"xms_cc":{"values":["cp1"]}}}' })['claims']).toBe(
      '{"access_token":{"xms_cc":{"values":["cp1"]}}}',
    )
  })

  it('routes with X-AnchorMailbox: upn:<username>, the username as given', () => {
    expect(usernameAnchorHeaders('Jane@Contoso.com')).toEqual({ 'X-AnchorMailbox': 'upn:Jane@Contoso.com' })
  })
})

describe('userRealmRequest', () => {
  it("is MSAL Python's GET: /common/userrealm/<username>?api-version=1.0 with Accept and client-request-id, @ unescaped", () => {
    expect(userRealmRequest('login.microsoftonline.com', 'jane@contoso.com', 'corr-1')).toEqual({
      method: 'GET',
      url: 'https://login.microsoftonline.com/common/userrealm/jane@contoso.com?api-version=1.0',
      headers: { Accept: 'application/json', 'client-request-id': 'corr-1' },
    })
  })

  it('escapes what would leave the path segment (/, ?, #, %, spaces) and decodes back to the username', () => {
    expect(usernamePathSegment('a/b?c#d%e f@x.test')).toBe('a%2Fb%3Fc%23d%25e%20f@x.test')
    fc.assert(
      fc.property(fc.string(), (username) => {
        const segment = usernamePathSegment(username)
        expect(segment).not.toMatch(/[/?#\s]/)
        expect(decodeURIComponent(segment)).toBe(username)
        expect(new URL(userRealmRequest('login.example', username, 'c').url).pathname.split('/')).toHaveLength(4)
      }),
    )
  })
})
