/**
 * Reading what a token answer says about its account: the id_token's claims (decoded,
 * never verified: validation is a separate step of a grant) and `client_info`.
 * Nothing here throws: unreadable input gives `undefined`.
 *
 * @module
 */

/**
 * Claims of an id_token, as a JSON object.
 *
 * @category model
 * @since 0.1.0
 */
export type IdTokenClaims = Readonly<Record<string, unknown>>

/**
 * What `client_info` carries: `uid` and `utid` make the home account id `uid.utid`.
 *
 * @category model
 * @since 0.1.0
 */
export type ClientInfo = Readonly<Record<string, unknown>>

/**
 * Decodes base64url or base64 (padding optional) to a UTF-8 string; `undefined` when
 * the input is not base64.
 *
 * @category utils
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.oidc.decode_part`
 */
export const decodeBase64Url = (s: string): string | undefined => {
  const b64 = s.trim().replace(/-/g, '+').replace(/_/g, '/')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined
  const padded = b64.replace(/=+$/, '')
  if (padded.length % 4 === 1) return undefined
  try {
    const bin = atob(padded + '='.repeat((4 - (padded.length % 4)) % 4))
    const bytes = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
    return new TextDecoder('utf-8').decode(bytes)
  } catch {
    return undefined
  }
}

const parseObject = (text: string | undefined): Readonly<Record<string, unknown>> | undefined => {
  if (text === undefined) return undefined
  try {
    const v: unknown = JSON.parse(text)
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/**
 * The claims of a compact JWT's payload, decoded without any verification; `undefined`
 * when the token is not three dot-separated parts with a base64url JSON object in the
 * middle.
 *
 * @category decoders
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.oidc.decode_id_token` (which also validates; here that is the grant's job)
 */
export const decodeIdTokenClaims = (idToken: string): IdTokenClaims | undefined => {
  const parts = idToken.split('.')
  if (parts.length !== 3) return undefined
  return parseObject(decodeBase64Url(parts[1] ?? ''))
}

/**
 * Parses `client_info` (base64url JSON); `undefined` when unreadable.
 *
 * @category decoders
 * @since 0.1.0
 * @see MSAL Python `TokenCache.__parse_account`
 */
export const parseClientInfo = (clientInfo: string): ClientInfo | undefined => parseObject(decodeBase64Url(clientInfo))

/**
 * A claim's value when it is a non-empty string.
 *
 * @category utils
 * @since 0.1.0
 */
export const stringClaim = (claims: IdTokenClaims | undefined, name: string): string | undefined => {
  const v = claims?.[name]
  return typeof v === 'string' && v !== '' ? v : undefined
}

/**
 * The home account id and the client info of an answer, as MSAL Python derives them:
 * `uid.utid` from `client_info` when both are there; otherwise the id_token's `sub`
 * (ADFS); otherwise none (client credentials). Unreadable `client_info` counts as absent.
 *
 * @category decoders
 * @since 0.1.0
 * @see MSAL Python `TokenCache.__parse_account`
 */
export const homeAccountIdOf = (
  clientInfo: string | undefined,
  claims: IdTokenClaims | undefined,
): { readonly clientInfo: ClientInfo; readonly homeAccountId: string | undefined } => {
  if (clientInfo !== undefined) {
    const ci = parseClientInfo(clientInfo)
    const uid = ci?.['uid']
    const utid = ci?.['utid']
    if (ci !== undefined && (typeof uid === 'string' || typeof uid === 'number') && (typeof utid === 'string' || typeof utid === 'number')) {
      return { clientInfo: ci, homeAccountId: `${uid}.${utid}` }
    }
  }
  if (claims !== undefined && Object.keys(claims).length > 0) {
    const sub = stringClaim(claims, 'sub')
    if (sub !== undefined) return { clientInfo: { uid: sub }, homeAccountId: sub }
  }
  return { clientInfo: {}, homeAccountId: undefined }
}
