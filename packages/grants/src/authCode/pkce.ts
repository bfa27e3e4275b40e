/**
 * Proof Key for Code Exchange (RFC 7636) with the S256 method, through WebCrypto.
 *
 * @module
 */
import { base64url, type RandomBytes } from '@authfold/core'

/**
 * A PKCE pair: the verifier kept in the flow, the challenge sent in the auth URI.
 *
 * @category model
 * @since 0.1.0
 */
export interface Pkce {
  readonly code_verifier: string
  readonly code_challenge: string
  readonly code_challenge_method: 'S256'
}

/**
 * A code verifier: base64url of 32 random bytes, 43 characters of the unreserved set
 * `[A-Za-z0-9-_]` (RFC 7636 §4.1's recommendation; MSAL Python samples 43 characters of
 * `[A-Za-z0-9-._~]` without repetition, which has less entropy).
 *
 * @category pkce
 * @since 0.1.0
 * @see RFC 7636 §4.1
 */
export const codeVerifier = (random: RandomBytes): string => base64url(random(32))

/**
 * The S256 challenge of a verifier: `base64url(sha256(ascii(verifier)))`, no padding.
 *
 * @example
 * ```ts
 * import { codeChallenge } from '@authfold/grants'
 *
 * await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk') // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 * ```
 * @category pkce
 * @since 0.1.0
 * @see RFC 7636 §4.2
 */
export const codeChallenge = async (verifier: string): Promise<string> =>
  base64url(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))))

/**
 * A fresh PKCE pair from the random effect.
 *
 * @category pkce
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.oauth2._generate_pkce_code_verifier`
 */
export const createPkce = async (random: RandomBytes): Promise<Pkce> => {
  const verifier = codeVerifier(random)
  return { code_verifier: verifier, code_challenge: await codeChallenge(verifier), code_challenge_method: 'S256' }
}
