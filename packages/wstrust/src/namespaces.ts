/**
 * The namespaces and SOAP actions of WS-Trust, as MSAL Python's `Mex.NS` names them.
 *
 * @module
 */

/**
 * XML namespace URIs used by MEX documents and WS-Trust messages.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `mex.Mex.NS`
 */
export const NS = {
  wsdl: 'http://schemas.xmlsoap.org/wsdl/',
  sp: 'http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702',
  sp2005: 'http://schemas.xmlsoap.org/ws/2005/07/securitypolicy',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  wsa10: 'http://www.w3.org/2005/08/addressing',
  http: 'http://schemas.microsoft.com/ws/06/2004/policy/http',
  soap12: 'http://schemas.xmlsoap.org/wsdl/soap12/',
  wsp: 'http://schemas.xmlsoap.org/ws/2004/09/policy',
  s: 'http://www.w3.org/2003/05/soap-envelope',
  wst: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512',
  wst2005: 'http://schemas.xmlsoap.org/ws/2005/02/trust',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
} as const

/**
 * The SOAP action of a WS-Trust 1.3 issue request.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `Mex.ACTION_13`
 */
export const ACTION_13 = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue'

/**
 * The SOAP action of a WS-Trust 2005 issue request.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `Mex.ACTION_2005`
 */
export const ACTION_2005 = 'http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue'

/**
 * A WS-Trust version, by its SOAP action.
 *
 * @category model
 * @since 0.1.0
 */
export type WsTrustAction = typeof ACTION_13 | typeof ACTION_2005

/**
 * A username/password WS-Trust endpoint: its https address and the version's SOAP action.
 *
 * @category model
 * @since 0.1.0
 */
export interface WsTrustEndpoint {
  readonly address: string
  readonly action: WsTrustAction
}
