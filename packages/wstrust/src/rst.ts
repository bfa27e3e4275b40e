/**
 * The WS-Trust RequestSecurityToken envelope (SOAP 1.2), as MSAL Python's
 * `wstrust_request._build_rst` writes it, for WS-Trust 1.3 and 2005.
 *
 * @module
 */
import type { HttpRequest } from '@authfold/core'
import { ACTION_13, NS, type WsTrustEndpoint } from './namespaces.js'

/**
 * XML-escapes text for an element or a single- or double-quoted attribute: `&`, `"`, `'`,
 * `<`, `>`, in MSAL Python's `escape_password` order.
 *
 * @category rst
 * @since 0.1.0
 * @see MSAL Python `wstrust_request.escape_password`
 */
export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * A time as WS-Security writes it: `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
 *
 * @category rst
 * @since 0.1.0
 * @see MSAL Python `wstrust_request.wsu_time_format`
 */
export const wsuTime = (epochMs: number): string => new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

/**
 * What an RST says.
 *
 * @category model
 * @since 0.1.0
 */
export interface RstParams {
  readonly endpoint: WsTrustEndpoint
  readonly username: string
  /** Sent once, escaped, in the UsernameToken; never in an error. */
  readonly password: string
  /** The realm's `cloud_audience_urn`; MSAL's default `urn:federation:MicrosoftOnline`. */
  readonly audience: string
  /** A UUID, sent as `urn:uuid:<messageId>`. */
  readonly messageId: string
  /** The clock's time in milliseconds: Created; Expires is 10 minutes later. */
  readonly nowMs: number
}

/**
 * The default `AppliesTo`, when the user realm names no `cloud_audience_urn`.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_AUDIENCE = 'urn:federation:MicrosoftOnline'

/**
 * The RST envelope, character for character MSAL Python's template (whitespace included),
 * except that the username, address and audience are escaped too (MSAL escapes only the
 * password). WS-Trust 1.3 uses the `wst` namespace, `Bearer` key type and the 200512 Issue
 * request type; 2005 the 2005/02 trust namespace, `NoProofKey` and the 2005 Issue type.
 *
 * @category rst
 * @since 0.1.0
 * @see MSAL Python `wstrust_request._build_rst`
 */
export const buildRst = (p: RstParams): string => {
  const v13 = p.endpoint.action === ACTION_13
  return `<s:Envelope xmlns:s='${NS.s}' xmlns:wsa='${NS.wsa10}' xmlns:wsu='${NS.wsu}'>
        <s:Header>
            <wsa:Action s:mustUnderstand='1'>${p.endpoint.action}</wsa:Action>
            <wsa:MessageID>urn:uuid:${escapeXml(p.messageId)}</wsa:MessageID>
            <wsa:ReplyTo>
            <wsa:Address>http://www.w3.org/2005/08/addressing/anonymous</wsa:Address>
            </wsa:ReplyTo>
            <wsa:To s:mustUnderstand='1'>${escapeXml(p.endpoint.address)}</wsa:To>

            <wsse:Security s:mustUnderstand='1'
            xmlns:wsse='${NS.wsse}'>
                <wsu:Timestamp wsu:Id='_0'>
                    <wsu:Created>${wsuTime(p.nowMs)}</wsu:Created>
                    <wsu:Expires>${wsuTime(p.nowMs + 600_000)}</wsu:Expires>
                </wsu:Timestamp>
                <wsse:UsernameToken wsu:Id='ADALUsernameToken'>
                    <wsse:Username>${escapeXml(p.username)}</wsse:Username>
                    <wsse:Password>${escapeXml(p.password)}</wsse:Password>
                </wsse:UsernameToken>
            </wsse:Security>

        </s:Header>
        <s:Body>
        <wst:RequestSecurityToken xmlns:wst='${v13 ? NS.wst : NS.wst2005}'>
        <wsp:AppliesTo xmlns:wsp='http://schemas.xmlsoap.org/ws/2004/09/policy'>
            <wsa:EndpointReference>
                <wsa:Address>${escapeXml(p.audience)}</wsa:Address>
            </wsa:EndpointReference>
        </wsp:AppliesTo>
        <wst:KeyType>${v13 ? 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Bearer' : 'http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey'}</wst:KeyType>
            <wst:RequestType>${v13 ? 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue' : 'http://schemas.xmlsoap.org/ws/2005/02/trust/Issue'}</wst:RequestType>
        </wst:RequestSecurityToken>
        </s:Body>
        </s:Envelope>`
}

/**
 * The HTTP request carrying an RST: a POST to the endpoint with
 * `Content-type: application/soap+xml; charset=utf-8` and `SOAPAction`, as MSAL Python sends it.
 *
 * @category rst
 * @since 0.1.0
 * @see MSAL Python `wstrust_request.send_request`
 */
export const rstRequest = (p: RstParams): HttpRequest => ({
  method: 'POST',
  url: p.endpoint.address,
  headers: { 'Content-type': 'application/soap+xml; charset=utf-8', SOAPAction: p.endpoint.action },
  body: buildRst(p),
})
