/**
 * nodeHttpClient through a real proxy server (the `proxy` package, a Squid-like CONNECT
 * proxy) on 127.0.0.1, with the local IdP behind it: the proxy's log shows each tunnel,
 * `NO_PROXY` bypasses it, the environment is read only when asked, and a proxy that refuses
 * or is down is an HttpError that says to check the proxy.
 */
import * as http from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createProxy, type ProxyServer } from 'proxy'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { clientSecret, type HttpClient, type HttpError } from '@authfold/core'
import { createConfidentialClient } from '@authfold/client'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { nodeHttpClient } from './nodeHttpClient.js'
import { proxyFor, proxyHost } from './proxy.js'

const SECRET = 'proxy-secret-Kk9!'
let idp: IdentityProvider
let proxy: ProxyServer
let proxyUrl = ''
let idpHostPort = ''
const tunnels: string[] = []

const listen = async (server: http.Server): Promise<number> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return (server.address() as AddressInfo).port
}

const closedPort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'proxied-app', secret: SECRET })
  idpHostPort = new URL(idp.authority()).host
  proxy = createProxy(http.createServer())
  proxy.on('connect', (req: http.IncomingMessage) => void tunnels.push(`CONNECT ${req.url ?? ''}`))
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`
})
afterAll(async () => {
  proxy.closeAllConnections()
  await new Promise((r) => proxy.close(r))
  await idp.stop()
})
afterEach(() => {
  vi.unstubAllEnvs()
  delete proxy.authenticate
  tunnels.length = 0
})

const discovery = (client: HttpClient) =>
  client({ method: 'GET', url: `${idp.authority()}v2.0/.well-known/openid-configuration?x=1`, headers: {} })()

const tokenThrough = async (client: HttpClient): Promise<string> => {
  const app = createConfidentialClient({
    clientId: 'proxied-app',
    authority: idp.authority(),
    credential: clientSecret(SECRET),
    http: client,
    validateAuthority: false,
  })
  return (await app.acquireTokenForClient(['api://proxied/.default'])).token_source
}

const leftOf = async (client: HttpClient): Promise<HttpError> => {
  const r = await discovery(client)
  if (r._tag === 'Right') throw new Error(`expected a failure, got HTTP ${r.right.status}`)
  return r.left
}

describe('nodeHttpClient through a proxy', () => {
  it('proxy: a URL tunnels every request through it (the proxy logs the CONNECT)', async () => {
    expect(await tokenThrough(nodeHttpClient({ ca: idp.ca, proxy: proxyUrl }))).toBe('identity_provider')
    expect(tunnels.length).toBeGreaterThanOrEqual(2) // discovery and the token POST at least
    expect(new Set(tunnels)).toEqual(new Set([`CONNECT ${idpHostPort}`]))
  })

  it("proxy: 'env' honours HTTPS_PROXY, and NO_PROXY bypasses it", async () => {
    vi.stubEnv('HTTPS_PROXY', proxyUrl)
    vi.stubEnv('NO_PROXY', '')
    vi.stubEnv('no_proxy', '')
    const client = nodeHttpClient({ ca: idp.ca, proxy: 'env' })
    expect((await discovery(client))._tag).toBe('Right')
    expect(tunnels).toEqual([`CONNECT ${idpHostPort}`])
    for (const noProxy of ['127.0.0.1', `127.0.0.1:${new URL(idp.authority()).port}`, '*']) {
      tunnels.length = 0
      vi.stubEnv('NO_PROXY', noProxy)
      expect((await discovery(client))._tag).toBe('Right')
      expect(tunnels).toEqual([])
    }
    vi.stubEnv('NO_PROXY', 'login.microsoftonline.com,.example.com')
    expect((await discovery(client))._tag).toBe('Right')
    expect(tunnels).toEqual([`CONNECT ${idpHostPort}`])
  })

  it('the environment is not read unless asked: HTTPS_PROXY pointing nowhere does not matter', async () => {
    vi.stubEnv('HTTPS_PROXY', `http://127.0.0.1:${await closedPort()}`)
    vi.stubEnv('NO_PROXY', '')
    expect((await discovery(nodeHttpClient({ ca: idp.ca })))._tag).toBe('Right')
    expect(tunnels).toEqual([])
  })

  it('a custom agent carries the requests (here a proxy agent of the app’s own), before the proxy option', async () => {
    const agent = new HttpsProxyAgent(proxyUrl)
    expect(await tokenThrough(nodeHttpClient({ ca: idp.ca, agent, proxy: `http://127.0.0.1:${await closedPort()}` }))).toBe('identity_provider')
    expect(new Set(tunnels)).toEqual(new Set([`CONNECT ${idpHostPort}`]))
  })

  it('a proxy that refuses the tunnel (407) is an HttpError saying to check the proxy, without its credentials', async () => {
    proxy.authenticate = () => false
    const e = await leftOf(nodeHttpClient({ ca: idp.ca, proxy: proxyUrl.replace('http://', 'http://proxyuser:proxy-pass-Vv1@') }))
    expect(e).toMatchObject({ _tag: 'HttpError', code: 'network' })
    expect(e.message).toBe(
      `The proxy at ${proxyHost(proxyUrl)} refused the tunnel to ${idpHostPort} (HTTP 407, proxy authentication required: put the credentials in the proxy URL). Check the proxy settings (HTTPS_PROXY, NO_PROXY, the proxy option) and that the proxy lets this host through.`,
    )
    expect(JSON.stringify(e)).not.toContain('proxy-pass-Vv1')
    expect(e.url).not.toContain('?')
    expect(tunnels).toEqual([`CONNECT ${idpHostPort}`])
  })

  it('a proxy that is down is an HttpError naming the proxy', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`
    const e = await leftOf(nodeHttpClient({ ca: idp.ca, proxy: down }))
    expect(e).toMatchObject({ _tag: 'HttpError', code: 'network' })
    expect(e.message).toBe(
      `Could not reach ${idpHostPort} through the proxy at ${proxyHost(down)} (ECONNREFUSED). Check the proxy: that it runs, and the HTTPS_PROXY / NO_PROXY settings or the proxy option.`,
    )
  })
})

describe('proxyFor', () => {
  it('reads the environment only for env: HTTPS_PROXY for https, HTTP_PROXY for http, ALL_PROXY as the fallback', () => {
    vi.stubEnv('HTTPS_PROXY', 'http://s.proxy:1')
    vi.stubEnv('HTTP_PROXY', 'http://p.proxy:2')
    vi.stubEnv('NO_PROXY', 'skip.test')
    vi.stubEnv('no_proxy', '')
    expect(proxyFor('env', new URL('https://login.test/x'))).toBe('http://s.proxy:1')
    expect(proxyFor('env', new URL('http://169.254.169.254/metadata'))).toBe('http://p.proxy:2')
    expect(proxyFor('env', new URL('https://skip.test/x'))).toBeUndefined()
    expect(proxyFor('http://given:3', new URL('https://skip.test/x'))).toBe('http://given:3')
    vi.stubEnv('HTTPS_PROXY', '')
    vi.stubEnv('https_proxy', '')
    vi.stubEnv('ALL_PROXY', 'http://all.proxy:4')
    expect(proxyFor('env', new URL('https://login.test/x'))).toBe('http://all.proxy:4')
  })

  it('proxyHost never shows credentials', () => {
    expect(proxyHost('http://u:secret@corp.proxy:8080')).toBe('corp.proxy:8080')
    expect(proxyHost('not a url')).toBe('the proxy')
  })
})
