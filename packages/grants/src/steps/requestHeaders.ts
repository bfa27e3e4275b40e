/**
 * @module
 */
import { uuidFrom, type RandomBytes } from '@authfold/core'

/**
 * The library's SKU and version, sent as `x-client-sku` / `x-client-ver`.
 *
 * @category constants
 * @since 0.1.0
 */
export const CLIENT_SKU = 'authfold.ts'

/**
 * The version sent as `x-client-ver`.
 *
 * @category constants
 * @since 0.1.0
 */
export const CLIENT_VERSION = '0.1.0'

/**
 * The headers MSAL sends on every token request: a fresh `client-request-id` (the
 * correlation id the IdP echoes), the SKU and version, and the capabilities it honours.
 *
 * @category steps
 * @since 0.1.0
 */
export const requestHeaders = (random: RandomBytes, correlationId?: string): Readonly<Record<string, string>> => ({
  'client-request-id': correlationId ?? uuidFrom(random),
  'return-client-request-id': 'true',
  'x-client-sku': CLIENT_SKU,
  'x-client-ver': CLIENT_VERSION,
  'x-ms-lib-capability': 'retry-after, h429',
})
