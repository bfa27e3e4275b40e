/**
 * Reading a MEX (WS-MetadataExchange) document: which of the STS's endpoints takes a
 * username and password, as MSAL Python's `Mex.get_wstrust_username_password_endpoint`
 * picks it, read liberally (whitespace around addresses, policies referenced but missing,
 * several policy references per binding, policies anywhere in the document).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { decodeError, type DecodeError } from '@authfold/core'
import { ACTION_13, ACTION_2005, NS, type WsTrustAction, type WsTrustEndpoint } from './namespaces.js'
import { childNamed, childrenNamed, descendants, descendantsNamed, parseXml, trimmedText, type XmlElement } from './xml.js'

const SUBJECT = 'MEX document'
const SOAP_HTTP = 'http://schemas.xmlsoap.org/soap/http'

/**
 * The `wsu:Id`s (as `#id`) of the policies that take a username and password over a
 * transport binding: WS-SecurityPolicy 1.2 (`sp:SignedEncryptedSupportingTokens` /
 * `sp:UsernameToken` / `sp:WssUsernameToken10`) or 2005 (`sp2005:SignedSupportingTokens` /
 * `sp2005:UsernameToken` / `sp2005:WssUsernameToken10`). A policy that asks for Windows
 * integrated authentication (`http:NegotiateAuthentication`) is never one of them.
 *
 * @category mex
 * @since 0.1.0
 * @see MSAL Python `Mex._get_username_password_policy_ids`
 */
export const usernamePasswordPolicyIds = (root: XmlElement): ReadonlySet<string> => {
  const ids = new Set<string>()
  for (const policy of [root, ...descendants(root)]) {
    if (policy.uri !== NS.wsp || policy.local !== 'Policy') continue
    const id = policy.attributes[`{${NS.wsu}}Id`]
    if (id === undefined) continue
    const inside = descendants(policy)
    const has = (uri: string, local: string): boolean => inside.some((d) => d.uri === uri && d.local === local)
    if (has(NS.http, 'NegotiateAuthentication')) continue
    const usernameToken = (uri: string, supporting: string): boolean =>
      inside.some(
        (d) =>
          d.uri === uri &&
          d.local === supporting &&
          descendantsNamed(d, [uri], 'UsernameToken').some((u) => descendantsNamed(u, [uri], 'WssUsernameToken10').length > 0),
      )
    const v13 = usernameToken(NS.sp, 'SignedEncryptedSupportingTokens') && has(NS.sp, 'TransportBinding')
    const v2005 = usernameToken(NS.sp2005, 'SignedSupportingTokens') && has(NS.sp2005, 'TransportBinding')
    if (v13 || v2005) ids.add(`#${id.trim()}`)
  }
  return ids
}

interface Binding {
  readonly policies: ReadonlyArray<string>
  readonly action: string
}

/**
 * The SOAP 1.2 over HTTP bindings, by name: their policy references and SOAP action.
 *
 * @category mex
 * @since 0.1.0
 * @see MSAL Python `Mex._get_bindings`
 */
export const soapBindings = (root: XmlElement): ReadonlyMap<string, Binding> => {
  const out = new Map<string, Binding>()
  for (const binding of descendantsNamed(root, [NS.wsdl], 'binding')) {
    const name = binding.attributes['name']
    const soap = childNamed(binding, NS.soap12, 'binding')
    if (name === undefined || soap?.attributes['transport']?.trim() !== SOAP_HTTP) continue
    const operation = childrenNamed(binding, NS.wsdl, 'operation').flatMap((o) => childrenNamed(o, NS.soap12, 'operation'))[0]
    const action = operation?.attributes['soapAction']?.trim()
    if (action === undefined) continue
    const policies = childrenNamed(binding, NS.wsp, 'PolicyReference').flatMap((r) => (r.attributes['URI'] === undefined ? [] : [r.attributes['URI'].trim()]))
    out.set(name.trim(), { policies, action })
  }
  return out
}

/**
 * Every username/password endpoint of the document, in document order: the ports whose
 * binding is a SOAP 1.2 binding referencing one of `policyIds` with a WS-Trust 1.3 or 2005
 * action, and whose address is https.
 *
 * @category mex
 * @since 0.1.0
 * @see MSAL Python `Mex._get_endpoints`
 */
export const usernamePasswordEndpoints = (root: XmlElement): ReadonlyArray<WsTrustEndpoint> => {
  const policyIds = usernamePasswordPolicyIds(root)
  const bindings = soapBindings(root)
  const out: Array<WsTrustEndpoint> = []
  for (const port of descendantsNamed(root, [NS.wsdl], 'port')) {
    const bindingName = port.attributes['binding']?.trim().split(':').pop()
    const binding = bindingName === undefined ? undefined : bindings.get(bindingName)
    if (binding === undefined || !binding.policies.some((p) => policyIds.has(p))) continue
    if (binding.action !== ACTION_13 && binding.action !== ACTION_2005) continue
    const address = childrenNamed(port, NS.wsa10, 'EndpointReference').flatMap((r) => childrenNamed(r, NS.wsa10, 'Address'))[0]
    const text = address === undefined ? '' : trimmedText(address)
    if (/^https:\/\//i.test(text)) out.push({ address: text, action: binding.action as WsTrustAction })
  }
  return out
}

/**
 * Reads a MEX document and picks its username/password endpoint: WS-Trust 1.3 first (as
 * MSAL Python prefers it), else the first WS-Trust 2005 one. A document that is not
 * well-formed XML, or has no such endpoint (only Windows-integrated ones, policies missing,
 * no https address), is a `DecodeError` saying so.
 *
 * @example
 * ```ts
 * import { readMex } from '@authfold/wstrust'
 *
 * declare const microsoftMex: string // the MEX document of corp.sts.microsoft.com
 * readMex(microsoftMex) // Right({ address: 'https://corp.sts.microsoft.com/adfs/services/trust/13/usernamemixed', action: ACTION_13 })
 * ```
 * @category mex
 * @since 0.1.0
 * @see MSAL Python `Mex.get_wstrust_username_password_endpoint`
 */
export const readMex = (document: string): E.Either<DecodeError, WsTrustEndpoint> =>
  pipe(
    parseXml(document),
    E.mapLeft((f) => decodeError('invalid_shape', SUBJECT, '', 'an XML document', f.reason, 'The federation_metadata_url of the user realm did not answer with a MEX document.')),
    E.chain((root) => {
      const endpoints = usernamePasswordEndpoints(root)
      const chosen = endpoints.find((e) => e.action === ACTION_13) ?? endpoints[0]
      return chosen === undefined
        ? E.left(
            decodeError(
              'invalid_shape',
              SUBJECT,
              'wsdl:service/wsdl:port',
              'a WS-Trust 1.3 or 2005 username/password endpoint with an https address',
              'none',
              "The domain's STS offers no username/password (usernamemixed) endpoint; ask its administrator to enable one, or sign the user in interactively.",
            ),
          )
        : E.right(chosen)
    }),
  )
