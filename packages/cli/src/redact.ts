/**
 * What `authfold token` prints: the token result with its tokens redacted unless asked.
 *
 * @module
 */

/** The fields of a token result that are bearer secrets. */
const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'] as const

/**
 * The result as printed: each token replaced by `"<redacted: N characters; --show-token
 * prints it>"` unless `showToken`; every other field as it is.
 *
 * @example
 * ```ts
 * import { redactTokens } from '@authfold/cli'
 *
 * redactTokens({ access_token: 'eyJ...', token_type: 'Bearer' }, false)
 * // { access_token: '<redacted: 6 characters; --show-token prints it>', token_type: 'Bearer' }
 * ```
 *
 * @category utils
 * @since 0.1.0
 */
export const redactTokens = (result: object, showToken: boolean): Readonly<Record<string, unknown>> => {
  const out: Record<string, unknown> = { ...(result as Readonly<Record<string, unknown>>) }
  if (showToken) return out
  for (const field of TOKEN_FIELDS) {
    const value = out[field]
    if (typeof value === 'string') out[field] = `<redacted: ${value.length} characters; --show-token prints it>`
  }
  return out
}
