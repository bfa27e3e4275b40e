/**
 * @module
 */
import type { TokenResponse } from '@authfold/core'
import type { AuthResult, TokenSource } from '../grant.js'

/**
 * Shapes a token answer as MSAL does: `refresh_in` becomes an absolute `refresh_on`
 * (epoch seconds), and `token_source` says where the token came from.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_clean_up`
 */
export const shapeResult = (response: TokenResponse, nowSeconds: number, source: TokenSource): AuthResult => {
  const { refresh_in, expires_in, ext_expires_in, token_type, ...rest } = response
  return {
    ...rest,
    token_type: token_type ?? 'Bearer',
    expires_in: expires_in ?? 3600,
    ...(ext_expires_in === undefined ? {} : { ext_expires_in }),
    ...(refresh_in === undefined ? {} : { refresh_on: Math.floor(nowSeconds + refresh_in) }),
    token_source: source,
  }
}
