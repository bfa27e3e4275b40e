import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, type HttpClient, type HttpResponse } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from './server.js'

const PASSWORD = 'sts-password'
let idp: IdentityProvider
let http: HttpClient

beforeAll(async () => {
  idp = await startIdentityProvider()
  http = nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 })
  idp.registerClient({ clientId: 'public-app' })
  idp.registerUser({ username: 'bob@fabrikam.test', password: PASSWORD })
  idp.wsTrust.addFederatedDomain({ domain: 'fabrikam.test' })
  idp.wsTrust.addFederatedDomain({ domain: 'nomex.test', mex: false })
})
afterAll(async () => {
  await idp.stop()
})

const send = async (req: Parameters<HttpClient>[0]): Promise<HttpResponse> => {
  const r = await http(req)()
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right
}
const rst = (action: string, username: string, password: string) =>
  `<s:Envelope xmlns:s='http://www.w3.org/2003/05/soap-envelope' xmlns:wsa='http://www.w3.org/2005/08/addressing'><s:Header><wsa:Action s:mustUnderstand='1'>${action}</wsa:Action><wsse:Security xmlns:wsse='x'><wsse:UsernameToken><wsse:Username>${username}</wsse:Username><wsse:Password>${password}</wsse:Password></wsse:UsernameToken></wsse:Security></s:Header><s:Body><wst:RequestSecurityToken xmlns:wst='http://docs.oasis-open.org/ws-sx/ws-trust/200512'/></s:Body></s:Envelope>`
const post = (path: string, body: string) => send({ method: 'POST', url: `${idp.url}${path}`, headers: { 'Content-type': 'application/soap+xml; charset=utf-8' }, body })
const ACTION_13 = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue'

describe('the AD FS-like STS', () => {
  it('answers the user realm Federated, with the MEX address or (mex: false) only the 2005 endpoint; other users stay managed', async () => {
    const fed = JSON.parse((await send({ method: 'GET', url: `${idp.url}/common/userrealm/bob@fabrikam.test?api-version=1.0`, headers: {} })).body) as Record<string, unknown>
    expect(fed).toMatchObject({ account_type: 'Federated', federation_protocol: 'WSTrust', federation_metadata_url: `${idp.url}/adfs/fabrikam.test/services/trust/mex` })
    const noMex = JSON.parse((await send({ method: 'GET', url: `${idp.url}/common/userrealm/dave@nomex.test`, headers: {} })).body) as Record<string, unknown>
    expect(noMex['federation_metadata_url']).toBeUndefined()
    expect(noMex['federation_active_auth_url']).toBe(`${idp.url}/adfs/nomex.test/services/trust/2005/usernamemixed`)
    const managed = JSON.parse((await send({ method: 'GET', url: `${idp.url}/common/userrealm/alice@${idp.tenantDomain}`, headers: {} })).body) as Record<string, unknown>
    expect(managed['account_type']).toBe('Managed')
  })

  it('serves a MEX document with a Windows-integrated port beside the usernamemixed ones; none for a domain without MEX', async () => {
    const mex = await send({ method: 'GET', url: `${idp.url}/adfs/fabrikam.test/services/trust/mex`, headers: {} })
    expect(mex.status).toBe(200)
    expect(mex.body).toContain('/2005/windowstransport')
    expect(mex.body).toContain('http:NegotiateAuthentication')
    expect(mex.body).toContain('/13/usernamemixed')
    expect((await send({ method: 'GET', url: `${idp.url}/adfs/nomex.test/services/trust/mex`, headers: {} })).status).toBe(404)
  })

  it('a wrong password or action: a SOAP fault with HTTP 500, as AD FS sends it; the RST log redacts the password', async () => {
    const wrong = await post('/adfs/fabrikam.test/services/trust/13/usernamemixed', rst(ACTION_13, 'bob@fabrikam.test', 'nope'))
    expect(wrong.status).toBe(500)
    expect(wrong.body).toContain('a:FailedAuthentication')
    const action = await post('/adfs/fabrikam.test/services/trust/13/usernamemixed', rst('urn:other', 'bob@fabrikam.test', PASSWORD))
    expect(action.body).toContain('a:ActionNotSupported')
    expect(JSON.stringify(idp.wsTrust.rsts())).not.toContain(PASSWORD)
  })

  it('issues a SAML 1.1 assertion on WS-Trust 1.3, which the saml1_1-bearer grant takes once; any other assertion is invalid_grant', async () => {
    const ok = await post('/adfs/fabrikam.test/services/trust/13/usernamemixed', rst(ACTION_13, 'bob@fabrikam.test', PASSWORD))
    expect(ok.status).toBe(200)
    const token = /<trust:RequestedSecurityToken>([\s\S]*)<\/trust:RequestedSecurityToken>/.exec(ok.body)?.[1] ?? ''
    expect(token).toContain('urn:oasis:names:tc:SAML:1.0:assertion')
    expect(token).toContain('<ds:SignatureValue>')
    const redeem = (assertion: string, grant = 'urn:ietf:params:oauth:grant-type:saml1_1-bearer') =>
      send(formPost(idp.tokenEndpoint(), { client_id: 'public-app', grant_type: grant, assertion: Buffer.from(assertion).toString('base64url'), scope: 'User.Read openid profile offline_access', client_info: '1' }, {}))
    expect((await redeem(token, 'urn:ietf:params:oauth:grant-type:saml2-bearer')).status).toBe(400)
    const first = await redeem(token)
    expect(first.status).toBe(200)
    expect(JSON.parse(first.body)).toMatchObject({ token_type: 'Bearer' })
    const again = await redeem(token)
    expect(again.status).toBe(400)
    expect(JSON.parse(again.body)).toMatchObject({ error: 'invalid_grant', error_codes: [50008] })
  })
})
