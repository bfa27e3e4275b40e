/**
 * An {@link HttpClient} on cross-fetch, published as its own entry point,
 * `@authfold/core/cross-fetch`, for runtimes without a usable `fetch` (React Native's older
 * engines, test environments that remove it, Node builds without undici). `cross-fetch` is an
 * optional peer dependency of `@authfold/core`: install it only if you import this entry
 * (`npm install cross-fetch`). Nothing else in authfold imports it.
 *
 * @module @authfold/core/cross-fetch
 */
import crossFetch from 'cross-fetch'
import type { HttpClient } from './http.js'
import { fetchHttpClient, type FetchLike } from './fetchHttpClient.js'

/**
 * An {@link HttpClient} on cross-fetch (node-fetch on Node, the platform's `fetch` in
 * browsers and workers) with a timeout (default 10 s). Redirects are not followed; network
 * failures and timeouts are `HttpError`s, any HTTP status is a response.
 *
 * @example
 * ```ts
 * import { createConfidentialClient } from '@authfold/client'
 * import { clientSecret } from '@authfold/core'
 * import { crossFetchHttpClient } from '@authfold/core/cross-fetch'
 *
 * declare const clientId: string, authority: string, secret: string
 * const app = createConfidentialClient({ clientId, authority, credential: clientSecret(secret), http: crossFetchHttpClient() })
 * ```
 * @category constructors
 * @since 0.1.0
 */
export const crossFetchHttpClient = (options: { readonly timeoutMs?: number } = {}): HttpClient =>
  fetchHttpClient({ fetch: crossFetch as unknown as FetchLike, ...options })
