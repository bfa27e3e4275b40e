/**
 * Reading the STS's answer to an RST (the RSTR), WS-Trust 1.3 or 2005: the token type and
 * the security token, sliced out of the answer as the STS wrote it (never re-serialized:
 * the assertion is signed), or the SOAP fault.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { decodeError, httpError, type AuthError, type ProtocolError } from '@authfold/core'
import { NS } from './namespaces.js'
import { childNamed, descendantsNamed, parseXml, rawInner, trimmedText, type XmlElement } from './xml.js'

const SUBJECT = 'WS-Trust answer'

/**
 * The SAML token types an RSTR may name, and the grant each one is sent with.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._acquire_token_by_username_password_federated`
 */
export const SAML_GRANT_TYPES: Readonly<Record<string, string>> = {
  'urn:oasis:names:tc:SAML:1.0:assertion': 'urn:ietf:params:oauth:grant-type:saml1_1-bearer',
  'urn:oasis:names:tc:SAML:2.0:assertion': 'urn:ietf:params:oauth:grant-type:saml2-bearer',
  'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1': 'urn:ietf:params:oauth:grant-type:saml1_1-bearer',
  'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0': 'urn:ietf:params:oauth:grant-type:saml2-bearer',
}

/**
 * What an RSTR gave: the token type, the grant it calls for, and the security token: the
 * raw content of `RequestedSecurityToken` exactly as it stands in the answer (what MSAL
 * Python sends).
 *
 * @category model
 * @since 0.1.0
 */
export interface WsTrustToken {
  readonly tokenType: string
  readonly grantType: string
  readonly token: string
}

const TRUST = [NS.wst, NS.wst2005]

const tokenOf = (document: string, root: XmlElement): { readonly type: string; readonly token: string } | undefined => {
  for (const rstr of descendantsNamed(root, TRUST, 'RequestSecurityTokenResponse')) {
    const type = descendantsNamed(rstr, TRUST, 'TokenType')[0]
    const token = descendantsNamed(rstr, TRUST, 'RequestedSecurityToken')[0]
    if (type !== undefined && token !== undefined && token.children.length > 0) return { type: trimmedText(type), token: rawInner(document, token) }
  }
  return undefined
}

/**
 * The SOAP 1.2 fault of an answer, if it is one: `Body/Fault/Code/Subcode/Value` and
 * `Body/Fault/Reason/Text`.
 *
 * @category rstr
 * @since 0.1.0
 * @see MSAL Python `wstrust_response.parse_error`
 */
export const soapFault = (root: XmlElement): { readonly code: string; readonly reason: string } | undefined => {
  const fault = root.uri === NS.s && root.local === 'Envelope' ? childNamed(childNamed(root, NS.s, 'Body') ?? root, NS.s, 'Fault') : undefined
  if (fault === undefined) return undefined
  const code = childNamed(fault, NS.s, 'Code')
  const sub = code === undefined ? undefined : childNamed(childNamed(code, NS.s, 'Subcode') ?? code, NS.s, 'Value')
  const top = code === undefined ? undefined : childNamed(code, NS.s, 'Value')
  const reason = childNamed(childNamed(fault, NS.s, 'Reason') ?? fault, NS.s, 'Text')
  return { code: (sub ?? top)?.text.trim() ?? '', reason: reason?.text.trim() ?? '' }
}

const faultError = (status: number, fault: { readonly code: string; readonly reason: string }): ProtocolError => ({
  _tag: 'ProtocolError',
  code: 'oauth_error',
  status,
  error: fault.code === '' ? 'soap_fault' : fault.code,
  ...(fault.reason === '' ? {} : { errorDescription: fault.reason }),
  message: `The federated identity provider (WS-Trust) refused the sign-in: ${fault.code === '' ? 'a SOAP fault' : fault.code}${fault.reason === '' ? '' : ` (${fault.reason})`}. Check the username and password; a fault about the request itself means the STS's WS-Trust endpoint needs its administrator.`,
  response: { code: fault.code, reason: fault.reason },
})

/**
 * Reads an RSTR, whatever the HTTP status (ADFS answers a wrong password with a 500 and a
 * fault, and some STSs send faults with a 200): the token and its grant type; a SOAP fault
 * is a `ProtocolError` whose `error` is the fault's subcode (e.g. `a:FailedAuthentication`)
 * and `errorDescription` its reason; an unknown token type, an answer without a token, or
 * one that is not XML (an HTML page) is a `DecodeError`; an error status without a fault an
 * `HttpError`. Never throws.
 *
 * @category rstr
 * @since 0.1.0
 * @see MSAL Python `wstrust_response.parse_response`
 */
export const readRstr =
  (url: string) =>
  (status: number, document: string): E.Either<AuthError, WsTrustToken> => {
    const parsed = parseXml(document)
    if (E.isLeft(parsed))
      return E.left(
        status >= 400
          ? httpError('status', url, `The WS-Trust endpoint answered HTTP ${status} with a body that is not XML (${parsed.left.reason}).`, { status })
          : decodeError('invalid_shape', SUBJECT, '', 'a SOAP envelope', parsed.left.reason, 'The WS-Trust endpoint did not answer with SOAP; check the federation settings of the domain.'),
      )
    const root = parsed.right
    const found = tokenOf(document, root)
    if (found !== undefined) {
      const grantType = SAML_GRANT_TYPES[found.type]
      return grantType === undefined || !Object.prototype.hasOwnProperty.call(SAML_GRANT_TYPES, found.type)
        ? E.left(decodeError('invalid_shape', SUBJECT, 'RequestSecurityTokenResponse/TokenType', 'a SAML 1.1 or 2.0 token type', JSON.stringify(found.type.slice(0, 200)), 'The STS issued a token type Entra does not take.'))
        : E.right({ tokenType: found.type, grantType, token: found.token })
    }
    const fault = soapFault(root)
    if (fault !== undefined) return E.left(faultError(status, fault))
    return E.left(
      status >= 400
        ? httpError('status', url, `The WS-Trust endpoint answered HTTP ${status} without a SOAP fault.`, { status })
        : decodeError('invalid_shape', SUBJECT, 'RequestSecurityTokenResponse/RequestedSecurityToken', 'a token type and a security token', 'none', 'The STS answered without a token.'),
    )
  }

/**
 * The `assertion` form field: the token's UTF-8 bytes, base64url without padding (RFC 7522),
 * as MSAL Python's `encode_saml_assertion` sends it.
 *
 * @category rstr
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.oauth2.BaseClient.encode_saml_assertion`
 */
export const encodeAssertion = (token: string): string => {
  const bytes = new TextEncoder().encode(token)
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
