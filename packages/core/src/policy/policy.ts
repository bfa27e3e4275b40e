/**
 * MSAL's whole HTTP policy in one wrapper: library headers plus throttling.
 *
 * @module
 */
import type { HttpClient } from '../http/http.js'
import { libraryHeaders, withHeaders } from './headers.js'
import type { LibraryInfo } from './headers.js'
import { throttled } from './throttle.js'
import type { ThrottleOptions } from './throttle.js'

/**
 * Options of {@link msalHttpPolicy}: the throttling options and what to report about
 * the library and the app.
 *
 * @category model
 * @since 0.1.0
 */
export interface MsalHttpPolicyOptions extends ThrottleOptions {
  readonly library?: LibraryInfo
}

/**
 * Wraps an {@link HttpClient} the way MSAL Python wraps its session: every request gets
 * `x-client-sku`/`x-client-ver`/`x-client-os`/`x-ms-lib-capability` (and `x-app-*`), and
 * goes through {@link throttled}. Per-call headers (`client-request-id`, telemetry) are
 * added by the grant from its telemetry context.
 *
 * @category combinators
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.__init__` (`ThrottledHttpClient`) and `_build_client` (`default_headers`)
 */
export const msalHttpPolicy =
  (options: MsalHttpPolicyOptions) =>
  (http: HttpClient): HttpClient =>
    withHeaders(libraryHeaders(options.library))(throttled(options)(http))
