/**
 * An app under test keeps its real authority (`https://login.microsoftonline.com/<tenant>`)
 * and reaches the local identity provider through its HTTP effect: this combinator wraps the
 * app's `HttpClient` so that a request for one of the IdP's public hosts goes to the IdP's
 * 127.0.0.1 port with its `Host` header kept (and so the TLS server name, which the IdP's
 * certificate names), loopback requests go as they are, and any other host is refused
 * without leaving the process: a test never reaches the network.
 *
 * @module
 */
import { httpError, type HttpClient } from '@authfold/core'

/**
 * What {@link routeToIdentityProvider} needs of a running identity provider.
 *
 * @category idp
 * @since 0.1.0
 */
export interface RoutableIdentityProvider {
  /** `https://127.0.0.1:PORT`. */
  readonly url: string
  /** `127.0.0.1:PORT`. */
  readonly host: string
  /** The public hosts it answers as (`startIdentityProvider({ publicHost })`), lower-case. */
  readonly publicHosts: ReadonlyArray<string>
}

const LOOPBACK: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * Where a request URL goes: to the IdP with a `Host` header (one of its public hosts on
 * port 443), as it is (loopback), or nowhere (`undefined`: any other host, or no URL).
 *
 * @category idp
 * @since 0.1.0
 */
export const identityProviderRoute =
  (idp: RoutableIdentityProvider) =>
  (requestUrl: string): { readonly url: string; readonly host?: string } | undefined => {
    const url = URL.canParse(requestUrl) ? new URL(requestUrl) : undefined
    if (url === undefined) return undefined
    const hostname = url.hostname.toLowerCase()
    if (url.protocol === 'https:' && url.port === '' && idp.publicHosts.includes(hostname))
      return { url: `${idp.url}${url.pathname}${url.search}`, host: hostname }
    return url.host === idp.host || LOOPBACK.has(hostname) ? { url: requestUrl } : undefined
  }

/**
 * Wraps an `HttpClient` (one that trusts `idp.ca`) so that the public Entra hosts the IdP
 * stands in for reach the IdP, loopback URLs pass, and every other host is an
 * `HttpError` `network` naming it.
 *
 * @example
 * ```ts
 * import { nodeHttpClient } from '@authfold/node'
 * import { routeToIdentityProvider, startIdentityProvider } from '@authfold/testing'
 *
 * const idp = await startIdentityProvider({ publicHost: 'login.microsoftonline.com' })
 * const http = routeToIdentityProvider(idp)(nodeHttpClient({ ca: idp.ca }))
 * // an app with authority https://login.microsoftonline.com/<tenant> and this http talks to the IdP
 * ```
 *
 * @category idp
 * @since 0.1.0
 * @see MSAL Python's `http_client` argument (the app's own transport)
 */
export const routeToIdentityProvider =
  (idp: RoutableIdentityProvider) =>
  (http: HttpClient): HttpClient => {
    const route = identityProviderRoute(idp)
    return (request) => {
      const to = route(request.url)
      if (to === undefined)
        return () =>
          Promise.resolve({
            _tag: 'Left',
            left: httpError(
              'network',
              request.url,
              `A test reaches only 127.0.0.1: ${URL.canParse(request.url) ? new URL(request.url).host : 'this URL'} is not a host of the local identity provider. Start it with publicHost set to that host, or point the app at idp.authority().`,
            ),
          })
      return http(to.host === undefined ? request : { ...request, url: to.url, headers: { ...request.headers, host: to.host } })
    }
  }
