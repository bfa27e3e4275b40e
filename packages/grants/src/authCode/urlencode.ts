/**
 * @module
 */

const pythonQuotePlus = (s: string): string =>
  encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')

/**
 * Encodes query parameters as Python's `urllib.parse.urlencode` does (`quote_plus`: a
 * space is `+`, only `A-Za-z0-9_.-~` stay as they are), in the order given, leaving out
 * undefined values; so an auth URI is MSAL Python's byte for byte.
 *
 * @example
 * ```ts
 * import { pythonUrlencode } from '@authfold/grants'
 *
 * pythonUrlencode([['login_hint', 'a b@c'], ['prompt', undefined]]) // 'login_hint=a+b%40c'
 * ```
 * @category utils
 * @since 0.1.0
 */
export const pythonUrlencode = (params: ReadonlyArray<readonly [string, string | undefined]>): string =>
  params
    .flatMap(([k, v]) => (v === undefined ? [] : [`${pythonQuotePlus(k)}=${pythonQuotePlus(v)}`]))
    .join('&')

/**
 * Appends a query to an endpoint (`&` when it already has one, as MSAL does).
 *
 * @category utils
 * @since 0.1.0
 */
export const withQuery = (endpoint: string, query: string): string => `${endpoint}${endpoint.includes('?') ? '&' : '?'}${query}`
