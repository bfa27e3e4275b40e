/**
 * The steps of `wsTrustFederation` with scripted HTTP: which endpoint, what the RST
 * carries, and every bad answer as a typed error without the password.
 */
import { describe, expect, it } from 'vitest'
import * as TE from 'fp-ts/TaskEither'
import type { GrantEnv, HttpRequest, HttpResponse } from '@authfold/core'
import type { UserRealm } from '@authfold/grants'
import { activeAuthEndpoint, wsTrustFederation } from './federation.js'
import { ACTION_13, ACTION_2005 } from './namespaces.js'

const PASSWORD = 'S3cret&<pass>'
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0)
const soap = (status: number, body: string): HttpResponse => ({ status, headers: { 'content-type': 'application/soap+xml' }, body })
const envelope = (body: string) => `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>${body}</s:Body></s:Envelope>`
const rstr2005 = (type: string, token: string) =>
  envelope(`<t:RequestSecurityTokenResponse xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust"><t:TokenType>${type}</t:TokenType><t:RequestedSecurityToken>${token}</t:RequestedSecurityToken></t:RequestSecurityTokenResponse>`)
const fault = (reason: string) =>
  envelope(`<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>a:FailedAuthentication</s:Value></s:Subcode></s:Code><s:Reason><s:Text>${reason}</s:Text></s:Reason></s:Fault>`)

const run = async (realm: UserRealm, answers: ReadonlyArray<HttpResponse>) => {
  const sent: HttpRequest[] = []
  let i = 0
  const env: GrantEnv = {
    http: (req) => {
      sent.push(req)
      const a = answers[Math.min(i++, answers.length - 1)]
      return a === undefined ? TE.left({ _tag: 'HttpError', code: 'network', url: req.url, message: 'down' }) : TE.right(a)
    },
    now: () => NOW,
    random: (n) => new Uint8Array(n).fill(7),
    sleep: () => async () => undefined,
    log: () => undefined,
  }
  const r = await wsTrustFederation({ realm, username: 'jane@fabrikam.test', password: PASSWORD, correlationId: 'c' })(env)()
  return { r, sent }
}
const NO_MEX: UserRealm = { account_type: 'Federated', federation_active_auth_url: 'https://sts.fabrikam.test/adfs/services/trust/2005/usernamemixed' }

describe('wsTrustFederation, step by step', () => {
  it('without MEX: a WS-Trust 2005 RST to federation_active_auth_url; the RSTR token base64url-encoded as the assertion', async () => {
    const token = '\n  <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_1"/>\n'
    const { r, sent } = await run(NO_MEX, [soap(200, rstr2005('urn:oasis:names:tc:SAML:2.0:assertion', token))])
    expect(r).toEqual({ _tag: 'Right', right: { grantType: 'urn:ietf:params:oauth:grant-type:saml2-bearer', assertion: Buffer.from(token).toString('base64url') } })
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ method: 'POST', url: NO_MEX.federation_active_auth_url, headers: { SOAPAction: ACTION_2005 } })
    expect(sent[0]?.body).toContain('<wsu:Created>2026-11-29T12:00:00Z</wsu:Created>')
    expect(sent[0]?.body).toContain('<wsu:Expires>2026-11-29T12:10:00Z</wsu:Expires>')
    expect(sent[0]?.body).toContain('<wsa:MessageID>urn:uuid:07070707-0707-4707-8707-070707070707</wsa:MessageID>')
    expect(sent[0]?.body).toContain('<wsse:Password>S3cret&amp;&lt;pass&gt;</wsse:Password>')
    expect(sent[0]?.body).toContain('<wsa:Address>urn:federation:MicrosoftOnline</wsa:Address>')
  })

  it('the endpoint version is told by the active auth URL, as MSAL Python tells it; anything else is a ConfigError', () => {
    expect(activeAuthEndpoint('https://s/adfs/services/trust/13/usernamemixed')).toEqual({ _tag: 'Right', right: { address: 'https://s/adfs/services/trust/13/usernamemixed', action: ACTION_13 } })
    expect(activeAuthEndpoint('https://s/adfs/services/trust/2005/windowstransport')).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'unsupported' } })
    expect(activeAuthEndpoint(undefined)).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError' } })
  })

  it('a SOAP fault with HTTP 200: a ProtocolError with the fault code and text, the password removed should the STS echo it', async () => {
    const { r } = await run(NO_MEX, [soap(200, fault(`MSIS7068: Access denied for password ${PASSWORD.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}.`))])
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ProtocolError', status: 200, error: 'a:FailedAuthentication', errorDescription: 'MSIS7068: Access denied for password [redacted].' } })
    expect(JSON.stringify(r)).not.toContain(PASSWORD)
  })

  it('an RSTR without a token, an unknown token type, HTML, an MEX error status: typed errors', async () => {
    expect((await run(NO_MEX, [soap(200, rstr2005('urn:oasis:names:tc:SAML:2.0:assertion', ''))])).r).toMatchObject({ left: { _tag: 'DecodeError', subject: 'WS-Trust answer' } })
    expect((await run(NO_MEX, [soap(200, rstr2005('urn:x-unknown', '<A/>'))])).r).toMatchObject({ left: { _tag: 'DecodeError', path: 'RequestSecurityTokenResponse/TokenType' } })
    expect((await run(NO_MEX, [soap(200, '<html><body>Sign in</body></html>')])).r).toMatchObject({ left: { _tag: 'DecodeError' } })
    const mex = await run({ account_type: 'Federated', federation_metadata_url: 'https://sts/mex' }, [soap(404, 'nope')])
    expect(mex.r).toMatchObject({ left: { _tag: 'HttpError', status: 404 } })
    expect(mex.sent).toEqual([{ method: 'GET', url: 'https://sts/mex', headers: {} }])
  })
})
