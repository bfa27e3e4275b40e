/**
 * An AD FS-like security token service for federated domains: the user realm answer
 * (`Federated`), a MEX document (WS-Trust 1.3 and 2005 usernamemixed endpoints, and a
 * Windows-integrated `windowstransport` one that a client must skip), the WS-Trust 1.3 and
 * 2005 endpoints issuing signed-looking SAML 1.1 or 2.0 assertions for the users of the
 * directory, SOAP faults as AD FS sends them (HTTP 500, `a:FailedAuthentication`), and the
 * token endpoint's `saml1_1-bearer` / `saml2-bearer` grants, which accept only an assertion
 * this STS issued, byte for byte. Paths: `/adfs/<domain>/services/trust/...`.
 *
 * @module
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { pathSegments } from './discovery.js'
import { entraError, errors } from './errors.js'
import type { EndpointResult, GrantHandler, IdpContext, Route } from './types.js'
import { grantScopes, issueUserTokens, multipleResources, userGrantClient } from './grants/userTokens.js'
import type { UserDirectory } from './grants/users.js'

/**
 * A federated domain.
 *
 * @category idp
 * @since 0.1.0
 */
export interface FederatedDomainOptions {
  /** e.g. `fabrikam.test`; its users are the directory's users with that domain. */
  readonly domain: string
  /** Whether the realm names a MEX document (default true); without it, only `federation_active_auth_url` (WS-Trust 2005). */
  readonly mex?: boolean
  /** The token type the WS-Trust 1.3 endpoint issues (default SAML 1.1; the 2005 one issues the other unless told). */
  readonly tokenType13?: 'saml1' | 'saml2'
  readonly tokenType2005?: 'saml1' | 'saml2'
}

/**
 * An RST as the STS received it, the password replaced by `<redacted>`.
 *
 * @category idp
 * @since 0.1.0
 */
export interface ReceivedRst {
  readonly path: string
  readonly soapAction: string
  readonly contentType: string
  readonly body: string
}

/**
 * The STS of an IdP instance.
 *
 * @category idp
 * @since 0.1.0
 */
export interface WsTrustSts {
  readonly route: Route
  readonly grants: Readonly<Record<string, GrantHandler>>
  readonly addFederatedDomain: (options: FederatedDomainOptions) => void
  /** The RSTs received, oldest first. */
  readonly rsts: () => ReadonlyArray<ReceivedRst>
}

const SAML1 = 'urn:oasis:names:tc:SAML:1.0:assertion'
const SAML2 = 'urn:oasis:names:tc:SAML:2.0:assertion'
const GRANT_SAML1 = 'urn:ietf:params:oauth:grant-type:saml1_1-bearer'
const GRANT_SAML2 = 'urn:ietf:params:oauth:grant-type:saml2-bearer'
const ACTION_13 = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue'
const ACTION_2005 = 'http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue'

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
const unescape = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  )
const element = (xml: string, local: string): string | undefined => new RegExp(`<(?:[\\w.-]+:)?${local}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${local}>`).exec(xml)?.[1]

/** The MEX document of a domain's STS, in the shape of a real AD FS one (trimmed). */
export const mexDocument = (base: string): string => `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions name="SecurityTokenService" targetNamespace="http://schemas.microsoft.com/ws/2008/06/identity/securitytokenservice" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="http://schemas.microsoft.com/ws/2008/06/identity/securitytokenservice" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy" xmlns:wsa10="http://www.w3.org/2005/08/addressing" xmlns:sp="http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702" xmlns:sp2005="http://schemas.xmlsoap.org/ws/2005/07/securitypolicy" xmlns:http="http://schemas.microsoft.com/ws/06/2004/policy/http" xmlns:msc="http://schemas.microsoft.com/ws/2005/12/wsdl/contract">
  <wsp:Policy wsu:Id="CustomBinding_IWSTrustFeb2005Async_policy"><wsp:ExactlyOne><wsp:All><http:NegotiateAuthentication/><sp2005:TransportBinding><wsp:Policy><sp2005:TransportToken><wsp:Policy><sp2005:HttpsToken RequireClientCertificate="false"/></wsp:Policy></sp2005:TransportToken></wsp:Policy></sp2005:TransportBinding><wsaw:UsingAddressing xmlns:wsaw="http://www.w3.org/2006/05/addressing/wsdl"/></wsp:All></wsp:ExactlyOne></wsp:Policy>
  <wsp:Policy wsu:Id="CustomBinding_IWSTrustFeb2005Async1_policy"><wsp:ExactlyOne><wsp:All><sp2005:TransportBinding><wsp:Policy><sp2005:TransportToken><wsp:Policy><sp2005:HttpsToken RequireClientCertificate="false"/></wsp:Policy></sp2005:TransportToken></wsp:Policy></sp2005:TransportBinding><sp2005:SignedSupportingTokens><wsp:Policy><sp2005:UsernameToken sp2005:IncludeToken="http://schemas.xmlsoap.org/ws/2005/07/securitypolicy/IncludeToken/AlwaysToRecipient"><wsp:Policy><sp2005:WssUsernameToken10/></wsp:Policy></sp2005:UsernameToken></wsp:Policy></sp2005:SignedSupportingTokens></wsp:All></wsp:ExactlyOne></wsp:Policy>
  <wsp:Policy wsu:Id="UserNameWSTrustBinding_IWSTrust13Async_policy"><wsp:ExactlyOne><wsp:All><sp:TransportBinding><wsp:Policy><sp:TransportToken><wsp:Policy><sp:HttpsToken/></wsp:Policy></sp:TransportToken></wsp:Policy></sp:TransportBinding><sp:SignedEncryptedSupportingTokens><wsp:Policy><sp:UsernameToken sp:IncludeToken="http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702/IncludeToken/AlwaysToRecipient"><wsp:Policy><sp:WssUsernameToken10/></wsp:Policy></sp:UsernameToken></wsp:Policy></sp:SignedEncryptedSupportingTokens></wsp:All></wsp:ExactlyOne></wsp:Policy>
  <wsdl:binding name="CustomBinding_IWSTrustFeb2005Async" type="tns:IWSTrustFeb2005Async"><wsp:PolicyReference URI="#CustomBinding_IWSTrustFeb2005Async_policy"/><soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/><wsdl:operation name="TrustFeb2005IssueAsync"><soap12:operation soapAction="${ACTION_2005}" style="document"/></wsdl:operation></wsdl:binding>
  <wsdl:binding name="CustomBinding_IWSTrustFeb2005Async1" type="tns:IWSTrustFeb2005Async"><wsp:PolicyReference URI="#CustomBinding_IWSTrustFeb2005Async1_policy"/><soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/><wsdl:operation name="TrustFeb2005IssueAsync"><soap12:operation soapAction="${ACTION_2005}" style="document"/></wsdl:operation></wsdl:binding>
  <wsdl:binding name="UserNameWSTrustBinding_IWSTrust13Async" type="tns:IWSTrust13Async"><wsp:PolicyReference URI="#UserNameWSTrustBinding_IWSTrust13Async_policy"/><soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/><wsdl:operation name="Trust13IssueAsync"><soap12:operation soapAction="${ACTION_13}" style="document"/></wsdl:operation></wsdl:binding>
  <wsdl:service name="SecurityTokenService">
    <wsdl:port name="CustomBinding_IWSTrustFeb2005Async" binding="tns:CustomBinding_IWSTrustFeb2005Async"><soap12:address location="${base}/2005/windowstransport"/><wsa10:EndpointReference><wsa10:Address>${base}/2005/windowstransport</wsa10:Address></wsa10:EndpointReference></wsdl:port>
    <wsdl:port name="CustomBinding_IWSTrustFeb2005Async1" binding="tns:CustomBinding_IWSTrustFeb2005Async1"><soap12:address location="${base}/2005/usernamemixed"/><wsa10:EndpointReference><wsa10:Address>
      ${base}/2005/usernamemixed
    </wsa10:Address></wsa10:EndpointReference></wsdl:port>
    <wsdl:port name="UserNameWSTrustBinding_IWSTrust13Async" binding="tns:UserNameWSTrustBinding_IWSTrust13Async"><soap12:address location="${base}/13/usernamemixed"/><wsa10:EndpointReference><wsa10:Address>${base}/13/usernamemixed</wsa10:Address></wsa10:EndpointReference></wsdl:port>
  </wsdl:service>
</wsdl:definitions>`

const fault = (status: number, subcode: string, reason: string): EndpointResult => ({
  status,
  headers: { 'content-type': 'application/soap+xml; charset=utf-8' },
  text: `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header><a:Action s:mustUnderstand="1">http://www.w3.org/2005/08/addressing/soap/fault</a:Action></s:Header><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value xmlns:a="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">${subcode}</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">${reason}</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`,
})

/**
 * Creates the STS of an IdP instance over its user directory.
 *
 * @category idp
 * @since 0.1.0
 */
export const createWsTrustSts = (users: UserDirectory): WsTrustSts => {
  const domains = new Map<string, FederatedDomainOptions>()
  const issued = new Map<string, { readonly username: string; readonly grantType: string; readonly expiresAt: number }>()
  const received: Array<ReceivedRst> = []
  const key = randomBytes(32)

  const base = (idp: IdpContext, domain: string): string => `${idp.url}/adfs/${domain}/services/trust`

  const realm = (idp: IdpContext, d: FederatedDomainOptions): EndpointResult => ({
    status: 200,
    json: {
      ver: '1.0',
      account_type: 'Federated',
      domain_name: d.domain,
      federation_protocol: 'WSTrust',
      ...(d.mex === false ? {} : { federation_metadata_url: `${base(idp, d.domain)}/mex` }),
      federation_active_auth_url: `${base(idp, d.domain)}/2005/usernamemixed`,
      cloud_instance_name: 'authfold.test',
      cloud_audience_urn: 'urn:federation:MicrosoftOnline',
    },
  })

  const assertion = (idp: IdpContext, type: 'saml1' | 'saml2', username: string, domain: string): string => {
    const id = `_${idp.uuid()}`
    const now = new Date(idp.now())
    const later = new Date(idp.now() + 3_600_000)
    const issuer = `http://${domain}/adfs/services/trust`
    const body =
      type === 'saml1'
        ? `<saml:Assertion MajorVersion="1" MinorVersion="1" AssertionID="${id}" Issuer="${issuer}" IssueInstant="${now.toISOString()}" xmlns:saml="${SAML1}"><saml:Conditions NotBefore="${now.toISOString()}" NotOnOrAfter="${later.toISOString()}"><saml:AudienceRestrictionCondition><saml:Audience>urn:federation:MicrosoftOnline</saml:Audience></saml:AudienceRestrictionCondition></saml:Conditions><saml:AttributeStatement><saml:Subject><saml:NameIdentifier Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${escape(username)}</saml:NameIdentifier><saml:SubjectConfirmation><saml:ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:bearer</saml:ConfirmationMethod></saml:SubjectConfirmation></saml:Subject><saml:Attribute AttributeName="UPN" AttributeNamespace="http://schemas.xmlsoap.org/claims"><saml:AttributeValue>${escape(username)}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>`
        : `<saml:Assertion ID="${id}" IssueInstant="${now.toISOString()}" Version="2.0" xmlns:saml="${SAML2}"><saml:Issuer>${issuer}</saml:Issuer><saml:Subject><saml:NameID>${escape(username)}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${later.toISOString()}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${now.toISOString()}" NotOnOrAfter="${later.toISOString()}"><saml:AudienceRestriction><saml:Audience>urn:federation:MicrosoftOnline</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
    const digest = createHash('sha256').update(body).digest('base64')
    const signature = createHmac('sha256', key).update(digest).digest('base64')
    return `${body}<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#${id}"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>${signature}</ds:SignatureValue></ds:Signature></saml:Assertion>`
  }

  const issue = (idp: IdpContext, d: FederatedDomainOptions, version: '13' | '2005', path: string, request: { readonly body: string; readonly headers: Readonly<Record<string, string>> }): EndpointResult => {
    const contentType = request.headers['content-type'] ?? ''
    const soapAction = request.headers['soapaction'] ?? ''
    const password = element(request.body, 'Password')
    received.push({ path, soapAction, contentType, body: password === undefined ? request.body : request.body.replace(`>${password}<`, '><redacted><') })
    const expected = version === '13' ? ACTION_13 : ACTION_2005
    const trustNs = version === '13' ? 'http://docs.oasis-open.org/ws-sx/ws-trust/200512' : 'http://schemas.xmlsoap.org/ws/2005/02/trust'
    if (!contentType.startsWith('application/soap+xml') || element(request.body, 'Action')?.trim() !== expected || !request.body.includes(trustNs))
      return fault(500, 'a:ActionNotSupported', `The message with Action '' cannot be processed at the receiver. ${version === '13' ? 'WS-Trust 1.3' : 'WS-Trust 2005'} expected.`)
    const username = unescape(element(request.body, 'Username') ?? '')
    const user = users.find(username)
    const domainOk = username.toLowerCase().endsWith(`@${d.domain.toLowerCase()}`)
    if (user === undefined || !domainOk || user.password !== unescape(password ?? '')) return fault(500, 'a:FailedAuthentication', 'MSIS7068: Access denied.')
    const type = (version === '13' ? d.tokenType13 : d.tokenType2005) ?? (version === '13' ? 'saml1' : 'saml2')
    const token = assertion(idp, type, user.username, d.domain)
    const requested = `\n                ${token}\n            `
    issued.set(requested, { username: user.username, grantType: type === 'saml1' ? GRANT_SAML1 : GRANT_SAML2, expiresAt: idp.now() + 3_600_000 })
    const tokenType = type === 'saml1' ? SAML1 : SAML2
    const rstr =
      version === '13'
        ? `<trust:RequestSecurityTokenResponseCollection xmlns:trust="${trustNs}"><trust:RequestSecurityTokenResponse><trust:Lifetime><wsu:Created xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${new Date(idp.now()).toISOString()}</wsu:Created></trust:Lifetime><wsp:AppliesTo xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"><wsa:EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Address>urn:federation:MicrosoftOnline</wsa:Address></wsa:EndpointReference></wsp:AppliesTo><trust:RequestedSecurityToken>${requested}</trust:RequestedSecurityToken><trust:TokenType>${tokenType}</trust:TokenType><trust:RequestType>http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue</trust:RequestType><trust:KeyType>http://docs.oasis-open.org/ws-sx/ws-trust/200512/Bearer</trust:KeyType></trust:RequestSecurityTokenResponse></trust:RequestSecurityTokenResponseCollection>`
        : `<t:RequestSecurityTokenResponse xmlns:t="${trustNs}"><t:Lifetime><wsu:Created xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${new Date(idp.now()).toISOString()}</wsu:Created></t:Lifetime><t:RequestedSecurityToken>${requested}</t:RequestedSecurityToken><t:TokenType>${tokenType}</t:TokenType><t:RequestType>http://schemas.xmlsoap.org/ws/2005/02/trust/Issue</t:RequestType><t:KeyType>http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey</t:KeyType></t:RequestSecurityTokenResponse>`
    return {
      status: 200,
      headers: { 'content-type': 'application/soap+xml; charset=utf-8' },
      text: `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header><a:Action s:mustUnderstand="1">${version === '13' ? 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTRC/IssueFinal' : 'http://schemas.xmlsoap.org/ws/2005/02/trust/RSTR/Issue'}</a:Action></s:Header><s:Body>${rstr}</s:Body></s:Envelope>`,
    }
  }

  const route: Route = (request, idp) => {
    const s = pathSegments(request.path)
    if (request.method === 'GET' && s.length === 3 && s[0]?.toLowerCase() === 'common' && s[1]?.toLowerCase() === 'userrealm') {
      let username = ''
      try {
        username = decodeURIComponent(s[2] ?? '')
      } catch {
        return undefined
      }
      const d = domains.get(username.slice(username.lastIndexOf('@') + 1).toLowerCase())
      return username.includes('@') && d !== undefined ? realm(idp, d) : undefined
    }
    if (s[0] !== 'adfs' || s[2] !== 'services' || s[3] !== 'trust') return undefined
    const d = domains.get((s[1] ?? '').toLowerCase())
    if (d === undefined) return undefined
    const rest = s.slice(4).join('/')
    if (rest === 'mex' && request.method === 'GET' && d.mex !== false)
      return { status: 200, headers: { 'content-type': 'application/soap+xml; charset=utf-8' }, text: mexDocument(base(idp, d.domain)) }
    if (request.method === 'POST' && (rest === '13/usernamemixed' || rest === '2005/usernamemixed')) return issue(idp, d, rest.startsWith('13') ? '13' : '2005', request.path, request)
    if (request.method === 'POST' && rest === '2005/windowstransport') return { status: 401, headers: { 'www-authenticate': 'Negotiate' }, text: '' }
    return undefined
  }

  const samlGrant = (grantType: string): GrantHandler => ({
    clientAuthentication: 'optional',
    handle: async (grant, idp) => {
      const checked = userGrantClient(grant, idp)
      if (!('ctx' in checked)) return checked
      const { ctx, client } = checked
      const encoded = grant.form['assertion']
      const scope = grant.form['scope']
      if (encoded === undefined || encoded === '') return errors.missingParameter(ctx, 'assertion')
      if (scope === undefined || scope.trim() === '') return errors.missingParameter(ctx, 'scope')
      const scopes = grantScopes(scope, idp.tenantDomain)
      if (scopes === 'multiple_resources') return multipleResources(ctx, scope)
      const text = /^[A-Za-z0-9_-]+$/.test(encoded) ? Buffer.from(encoded, 'base64url').toString('utf8') : ''
      const record = issued.get(text)
      if (record === undefined || record.grantType !== grantType || record.expiresAt < idp.now())
        return entraError(ctx, 400, 'invalid_grant', 50008, 'SAML token is invalid: the assertion is not one the federated identity provider issued, or it was altered.')
      issued.delete(text)
      const user = users.find(record.username)
      if (user === undefined) return entraError(ctx, 400, 'invalid_grant', 50034, 'The user account {EUII Hidden} does not exist in the directory.')
      return issueUserTokens(idp, users, grant, client, user, scopes)
    },
  })

  return {
    route,
    grants: { [GRANT_SAML1]: samlGrant(GRANT_SAML1), [GRANT_SAML2]: samlGrant(GRANT_SAML2) },
    addFederatedDomain: (options) => void domains.set(options.domain.toLowerCase(), options),
    rsts: () => [...received],
  }
}
