/**
 * Proxies for {@link nodeHttpClient}: which proxy a request goes through (`HTTPS_PROXY`,
 * `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` read by `proxy-from-env`, or one given URL), and
 * the `https-proxy-agent` that tunnels through it with `CONNECT`.
 *
 * @module
 */
import type * as http from 'node:http'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { getProxyForUrl } from 'proxy-from-env'

/**
 * Where requests go through a proxy:
 * - `'env'`: the environment, read at each request as curl and npm read it: `HTTPS_PROXY`
 *   (`https:` URLs), `HTTP_PROXY` (`http:` URLs) or `ALL_PROXY`, lower or upper case, and
 *   no proxy for the hosts `NO_PROXY` names (`*`, `host`, `.suffix`, `host:port`);
 * - a proxy URL (`http://proxy.corp:8080`, credentials as `http://user:pass@host:port`):
 *   every request through it.
 *
 * @category model
 * @since 0.1.0
 * @see msal-node's `proxyUrl` and `customAgentOptions`
 */
export type ProxySetting = 'env' | string | URL

/**
 * The proxy URL a request to `url` goes through, or `undefined` for a direct connection.
 * Only `'env'` reads the environment (`process.env`, at the time of the call).
 *
 * @category utils
 * @since 0.1.0
 */
export const proxyFor = (setting: ProxySetting, url: URL): string | undefined => {
  const proxy = setting === 'env' ? getProxyForUrl(url.href) : String(setting)
  return proxy === '' ? undefined : proxy
}

/**
 * The host (and port) of a proxy URL, for messages: never its credentials.
 *
 * @category utils
 * @since 0.1.0
 */
export const proxyHost = (proxy: string): string => {
  try {
    return new URL(proxy).host
  } catch {
    return 'the proxy'
  }
}

/**
 * Memoises one `HttpsProxyAgent` per proxy URL for one HTTP client, so its requests reuse
 * the agent (the agent tunnels to `https:` and `http:` URLs alike). Each call of
 * `nodeHttpClient` makes its own.
 *
 * @category constructors
 * @since 0.1.0
 */
export const proxyAgents = (): ((proxy: string) => http.Agent) => {
  const agents = new Map<string, http.Agent>()
  return (proxy) => {
    const known = agents.get(proxy)
    if (known !== undefined) return known
    const agent = new HttpsProxyAgent(proxy)
    agents.set(proxy, agent)
    return agent
  }
}
