/**
 * Reading the answer the authorize endpoint sent to the redirect URI.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { toProtocolError, validationError, type AuthError } from '@authfold/core'

/**
 * The redirect's parameters (the query of a `query` answer, the form of a `form_post`
 * one), as a plain object: `code`, `state`, `client_info`, or `error`,
 * `error_description`, `error_uri`.
 *
 * @category model
 * @since 0.1.0
 */
export type AuthResponse = Readonly<Record<string, unknown>>

const field = (r: AuthResponse, name: string): string | undefined => {
  const v = r[name]
  return typeof v === 'string' && v !== '' ? v : undefined
}

/**
 * Checks the redirect against the flow, before anything is sent: the flow must have a
 * state and the redirect the same one (else `ValidationError` `state_mismatch`: a forged or
 * stale redirect); then the `code`, or the redirect's `error` as a `ProtocolError` (only
 * `error`, `error_description` and `error_uri` are kept, as MSAL keeps them, so nothing
 * else an attacker put in the redirect travels on), or `ValidationError` `code_missing`.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.oauth2.Client.obtain_token_by_auth_code_flow`
 */
export const codeFromAuthResponse = (flowState: unknown, response: AuthResponse): E.Either<AuthError, string> => {
  if (typeof flowState !== 'string' || flowState === '')
    return E.left(validationError('state_mismatch', 'The flow has no state: pass the flow object initiateAuthCodeFlow returned (kept in the session), then sign in again.'))
  if (typeof response !== 'object' || response === null || field(response, 'state') !== flowState)
    return E.left(
      validationError(
        'state_mismatch',
        "The redirect's state is not this flow's: it may be forged, replayed, or belong to another sign-in (another tab). Start the sign-in again.",
      ),
    )
  const code = field(response, 'code')
  if (code !== undefined) return E.right(code)
  const error = field(response, 'error')
  if (error !== undefined) {
    const description = field(response, 'error_description')
    const uri = field(response, 'error_uri')
    return E.left(
      toProtocolError(0, { error, ...(description === undefined ? {} : { error_description: description }), ...(uri === undefined ? {} : { error_uri: uri }) }),
    )
  }
  return E.left(
    validationError('code_missing', 'The redirect carries neither a code nor an error: pass all the parameters the redirect URI received (query or form body).'),
  )
}

const decodeClientInfo = (clientInfo: string): { readonly uid?: unknown; readonly utid?: unknown } | undefined => {
  try {
    const text = atob(clientInfo.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(clientInfo.length / 4) * 4, '='))
    const json = JSON.parse(text) as unknown
    return typeof json === 'object' && json !== null ? json : undefined
  } catch {
    return undefined
  }
}

/**
 * The `X-AnchorMailbox` header MSAL Python sends when redeeming a code: `Oid:<uid>@<utid>`
 * from the redirect's `client_info`, when it has one with both (nothing otherwise).
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_ClientWithCcsRoutingInfo.obtain_token_by_auth_code_flow`
 */
export const anchorMailboxHeader = (response: AuthResponse): Readonly<Record<string, string>> => {
  const clientInfo = field(response, 'client_info')
  const info = clientInfo === undefined ? undefined : decodeClientInfo(clientInfo)
  return info !== undefined && typeof info.uid === 'string' && typeof info.utid === 'string'
    ? { 'X-AnchorMailbox': `Oid:${info.uid}@${info.utid}` }
    : {}
}
