/**
 * @module
 */
import { libraryHeaders, uuidFrom, type RandomBytes } from '@authfold/core'

/**
 * The headers MSAL sends on every token request: a `client-request-id` (the correlation id
 * the IdP echoes back), and the library's SKU, version and capabilities.
 *
 * @category steps
 * @since 0.1.0
 */
export const requestHeaders = (random: RandomBytes, correlationId?: string): Readonly<Record<string, string>> => ({
  ...libraryHeaders(),
  'client-request-id': correlationId ?? uuidFrom(random),
  'return-client-request-id': 'true',
})
