import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIdentityProvider, type IdentityProvider } from './server.js'
import { signInWithoutBrowser } from './signInWithoutBrowser.js'

const PASSWORD = 'sign-in-password-1'
let idp: IdentityProvider

beforeAll(async () => {
  idp = await startIdentityProvider({ publicHost: 'login.microsoftonline.com' })
  idp.registerClient({ clientId: 'app' })
  idp.registerUser({ username: 'ada@authfold.test', password: PASSWORD })
})
afterAll(async () => idp.stop())

const authorizeQuery = new URLSearchParams({ client_id: 'app', response_type: 'code', redirect_uri: 'http://localhost:8400', scope: 'User.Read openid', state: 's1' })

describe('signInWithoutBrowser', () => {
  it('signs in on an authorize URL of the public host through the IdP given, with that Host', async () => {
    idp.clearRequests()
    const authUri = `https://login.microsoftonline.com/${idp.tenantId}/oauth2/v2.0/authorize?${authorizeQuery}`
    const answer = await signInWithoutBrowser({ authUri, username: 'ada@authfold.test', password: PASSWORD, ca: idp.ca, identityProvider: idp })
    expect(answer['state']).toBe('s1')
    expect(answer['code']).toEqual(expect.any(String))
    expect(idp.requests.map((r) => `${r.method} ${r.headers['host'] ?? ''}`)).toEqual(['GET login.microsoftonline.com', 'POST login.microsoftonline.com'])
  })

  it('still signs in on the IdP’s own URL when given the IdP', async () => {
    const authUri = `${idp.url}/${idp.tenantId}/oauth2/v2.0/authorize?${authorizeQuery}`
    const answer = await signInWithoutBrowser({ authUri, username: 'ada@authfold.test', password: PASSWORD, ca: idp.ca, identityProvider: idp })
    expect(answer['state']).toBe('s1')
  })

  it('refuses a host the IdP does not stand in for, sending nothing', async () => {
    idp.clearRequests()
    const authUri = `https://login.example.com/${idp.tenantId}/oauth2/v2.0/authorize?${authorizeQuery}`
    await expect(signInWithoutBrowser({ authUri, username: 'ada@authfold.test', password: PASSWORD, ca: idp.ca, identityProvider: idp })).rejects.toThrow(
      'signInWithoutBrowser reaches only the local identity provider, not login.example.com.',
    )
    expect(idp.requests).toEqual([])
  })
})
