/**
 * @module
 */

/**
 * The nonce as MSAL Python sends it in the auth URI: the lower-case hex SHA-256 of the
 * raw nonce, which the flow keeps. The id_token carries this hash, so it is what the
 * id_token's `nonce` is compared with.
 *
 * @example
 * ```ts
 * import { nonceHash } from '@authfold/grants'
 *
 * await nonceHash('abc') // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 * @category utils
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.oidc._nonce_hash`, OpenID Connect Core §15.5.2
 */
export const nonceHash = async (nonce: string): Promise<string> =>
  Array.from(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(nonce))), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('')
