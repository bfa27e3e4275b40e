/**
 * The default {@link HttpClient}, on cross-fetch (works in Node, browsers and workers).
 * Import it only where you want it: the grants never do.
 *
 * @module
 */
import crossFetch from 'cross-fetch'
import type { HttpClient } from './http.js'
import { fetchHttpClient, type FetchLike } from './fetchHttpClient.js'

/**
 * An {@link HttpClient} on cross-fetch with a timeout (default 10 s).
 *
 * @category constructors
 * @since 0.1.0
 */
export const crossFetchHttpClient = (options: { readonly timeoutMs?: number } = {}): HttpClient =>
  fetchHttpClient({ fetch: crossFetch as unknown as FetchLike, ...options })
