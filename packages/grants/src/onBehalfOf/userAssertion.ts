/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { configError, type ConfigError } from '@authfold/core'

const B64URL = /^[A-Za-z0-9_-]+$/

const jsonObjectOf = (segment: string): Readonly<Record<string, unknown>> | undefined => {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(atob(segment.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (segment.length % 4)) % 4)), (c) => c.charCodeAt(0)),
    )
    const v: unknown = JSON.parse(text)
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Readonly<Record<string, unknown>>) : undefined
  } catch {
    return undefined
  }
}

/**
 * Checks that a user assertion is a signed JWT (JWS compact form: three base64url
 * segments, a header naming an `alg`, a JSON object payload) before anything is sent.
 *
 * MSAL Python and msal-node send whatever string they are given and Entra refuses a
 * malformed one with `invalid_request` (AADSTS50027, "JWT token is invalid or malformed");
 * authfold refuses it first, as a `ConfigError` on `userAssertion`, with no request and the
 * cache untouched. The message never holds the assertion.
 *
 * @example
 * ```ts
 * import { checkUserAssertion } from '@authfold/grants'
 *
 * checkUserAssertion('not a jwt') // Left(ConfigError invalid_argument, field 'userAssertion')
 * ```
 * @category steps
 * @since 0.1.0
 */
export const checkUserAssertion = (assertion: unknown): E.Either<ConfigError, string> => {
  const bad = (why: string): E.Either<ConfigError, string> =>
    E.left(
      configError(
        'invalid_argument',
        `The user assertion ${why}. Pass the access token your API was called with (the JWT from its Authorization: Bearer header), unchanged.`,
        'userAssertion',
      ),
    )
  if (typeof assertion !== 'string' || assertion === '') return bad('is empty')
  const parts = assertion.split('.')
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) return bad('is not a JWT (three base64url segments separated by dots)')
  const header = jsonObjectOf(parts[0] ?? '')
  if (header === undefined || typeof header['alg'] !== 'string') return bad("is not a JWT: its header is not a JSON object with an 'alg'")
  if (jsonObjectOf(parts[1] ?? '') === undefined) return bad('is not a JWT: its payload is not a JSON object')
  return E.right(assertion)
}

/**
 * The `user_assertion_hash` written on on-behalf-of tokens: SHA-256 of the assertion's
 * UTF-8 bytes, base64url without padding (msal-node's `CryptoProvider.hashString`, MSAL
 * .NET's `UserAssertion.AssertionHash`). Computed with WebCrypto.
 *
 * @example
 * ```ts
 * import { userAssertionHash } from '@authfold/grants'
 *
 * await userAssertionHash('abc') // 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0'
 * ```
 * @category steps
 * @since 0.1.0
 * @see msal-node `OnBehalfOfClient.acquireToken` (`userAssertionHash`)
 */
export const userAssertionHash = async (assertion: string): Promise<string> => {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(assertion)))
  let s = ''
  for (const b of digest) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
