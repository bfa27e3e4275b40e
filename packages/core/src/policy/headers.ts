/**
 * The headers MSAL sends with every request, and an {@link HttpClient} wrapper that adds them.
 *
 * @module
 */
import type { HttpClient } from '../http/http.js'

/**
 * The SKU authfold reports as `x-client-sku`.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_CLIENT_SKU = 'authfold.ts'

/**
 * The version authfold reports as `x-client-ver`.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_CLIENT_VERSION = '0.1.0'

/**
 * What to report about the library and the app.
 *
 * @category model
 * @since 0.1.0
 */
export interface LibraryInfo {
  readonly sku?: string
  readonly version?: string
  /** The platform (Node's `process.platform`, a browser's name); core cannot read it. */
  readonly os?: string
  /** MSAL's `app_name` / `app_version`, sent as `x-app-name` / `x-app-ver`. */
  readonly appName?: string
  readonly appVersion?: string
}

/**
 * `x-client-sku`, `x-client-ver`, `x-client-os` (when known), `x-ms-lib-capability:
 * retry-after, h429` (we honour Retry-After on 429), and `x-app-name`/`x-app-ver`.
 *
 * @category headers
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._build_client` (`default_headers`)
 */
export const libraryHeaders = (info: LibraryInfo = {}): Readonly<Record<string, string>> => ({
  'x-client-sku': info.sku ?? DEFAULT_CLIENT_SKU,
  'x-client-ver': info.version ?? DEFAULT_CLIENT_VERSION,
  ...(info.os === undefined ? {} : { 'x-client-os': info.os }),
  'x-ms-lib-capability': 'retry-after, h429',
  ...(info.appName === undefined ? {} : { 'x-app-name': info.appName }),
  ...(info.appVersion === undefined ? {} : { 'x-app-ver': info.appVersion }),
})

/**
 * Wraps an {@link HttpClient} so every request carries these headers, unless the request
 * already has a header of that name (compared case-insensitively).
 *
 * @category combinators
 * @since 0.1.0
 */
export const withHeaders =
  (headers: Readonly<Record<string, string>>) =>
  (http: HttpClient): HttpClient =>
  (request) => {
    const present = new Set(Object.keys(request.headers).map((k) => k.toLowerCase()))
    const missing = Object.fromEntries(Object.entries(headers).filter(([k]) => !present.has(k.toLowerCase())))
    return http({ ...request, headers: { ...missing, ...request.headers } })
  }
