/**
 * The checks an id_token must pass before a user token is trusted (OpenID Connect Core
 * §3.1.3.7), as a pure function of its claims.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { validationError, type ValidationError } from '@authfold/core'
import { decodeIdTokenClaims, type IdTokenClaims } from '@authfold/cache'

/**
 * What an id_token is checked against.
 *
 * @category model
 * @since 0.1.0
 */
export interface IdTokenExpectations {
  /** Our client id: the `aud` must name it. */
  readonly clientId: string
  /** The issuer the authority's discovery published; `undefined` skips the check (ADFS, B2C with custom issuers). */
  readonly issuer?: string | undefined
  /** The nonce sent with the request (auth code flow), compared with the claim. */
  readonly nonce?: string | undefined
  /** Seconds a sign-in may be old (`max_age` sent): `auth_time` must be within it. */
  readonly maxAge?: number | undefined
  readonly nowSeconds: number
  /** Clock skew allowed on `exp` and `auth_time`, seconds. Default 300 (MSAL Python's). */
  readonly skewSeconds?: number
}

const fail = (code: ValidationError['code'], message: string): E.Either<ValidationError, never> => E.left(validationError(code, message))

/**
 * Decodes an id_token and checks it: a compact JWT with a JSON payload, `aud` naming the
 * client, `iss` the authority's issuer (`{tenantid}` templates allowed), `exp` not past
 * (with skew), the `nonce` the one sent, `auth_time` within `max_age`. Signatures are not
 * verified here, as MSAL does not (the token came over TLS from the token endpoint).
 *
 * @example
 * ```ts
 * import { checkIdToken } from '@authfold/grants'
 *
 * declare const idToken: string, clientId: string, issuer: string, nonce: string
 * const claims = checkIdToken(idToken, { clientId, issuer, nonce, nowSeconds: Date.now() / 1000 })
 * ```
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.oidc.decode_id_token`
 */
export const checkIdToken = (idToken: string, expect: IdTokenExpectations): E.Either<ValidationError, IdTokenClaims> => {
  const claims = decodeIdTokenClaims(idToken)
  if (claims === undefined) return fail('id_token_invalid', 'The id_token is not a JWT with a JSON payload. Check that the authority is an OpenID Connect provider.')
  const skew = expect.skewSeconds ?? 300
  const aud = claims['aud']
  const audiences = Array.isArray(aud) ? aud : [aud]
  if (!audiences.includes(expect.clientId))
    return fail('audience_mismatch', 'The id_token was issued to another client (its aud does not name this client id). Sign in again with this app.')
  const iss = claims['iss']
  if (expect.issuer !== undefined && !(typeof iss === 'string' && issuerMatches(iss, expect.issuer, claims)))
    return fail('issuer_mismatch', 'The id_token was issued by another authority than the one configured. Check the authority.')
  const exp = claims['exp']
  if (typeof exp !== 'number' || exp + skew < expect.nowSeconds)
    return fail('id_token_expired', 'The id_token has expired (or has no exp). Sign in again; check the clock of this machine.')
  if (expect.nonce !== undefined && claims['nonce'] !== expect.nonce)
    return fail('nonce_mismatch', 'The id_token does not carry the nonce this sign-in sent: the answer may be replayed or belong to another sign-in. Start the sign-in again.')
  if (expect.maxAge !== undefined) {
    const authTime = claims['auth_time']
    if (typeof authTime !== 'number' || authTime + expect.maxAge + skew < expect.nowSeconds)
      return fail('auth_time_too_old', `The sign-in is older than the max_age of ${expect.maxAge} s asked for. Sign in again (prompt=login).`)
  }
  return E.right(claims)
}

/** Entra's multi-tenant issuers carry `{tenantid}`; the token's `tid` fills it. */
const issuerMatches = (iss: string, expected: string, claims: IdTokenClaims): boolean => {
  if (iss === expected) return true
  const tid = claims['tid']
  return expected.includes('{tenantid}') && typeof tid === 'string' && iss === expected.replace('{tenantid}', tid)
}
