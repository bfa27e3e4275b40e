/**
 * @module
 */
import type { RandomBytes } from '@authfold/core'

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

/**
 * `length` ASCII letters drawn uniformly from the random effect (bytes of 208 and above
 * are rejected, so no letter is likelier than another). MSAL Python makes its `state` and
 * `nonce` this way: 16 ASCII letters.
 *
 * @category utils
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.oauth2.Client.initiate_auth_code_flow` (`random.sample(string.ascii_letters, 16)`)
 */
export const randomLetters = (random: RandomBytes, length = 16): string => {
  let out = ''
  while (out.length < length) {
    for (const b of random(length * 2)) {
      if (b < 208 && out.length < length) out += LETTERS[b % 52] ?? ''
    }
  }
  return out
}
