import * as https from 'node:https'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { publicHostAliases, requestedHost } from './publicHost.js'
import { startIdentityProvider, type IdentityProvider } from './server.js'

const ENTRA = 'login.microsoftonline.com'

let idp: IdentityProvider

/** One request to the IdP's 127.0.0.1 port, sent as if to `host` (Host header and SNI), trusting only the IdP's CA. */
const ask = (host: string, method: 'GET' | 'POST', path: string, form?: string): Promise<{ status: number; json: Record<string, unknown> }> =>
  new Promise((resolve, reject) => {
    const body = form === undefined ? undefined : Buffer.from(form)
    const req = https.request(
      {
        host: '127.0.0.1',
        port: idp.port,
        path,
        method,
        ca: idp.ca,
        servername: host === idp.host ? '' : host.replace(/:\d+$/, ''),
        headers: { host, ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) }) },
        timeout: 5_000,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }))
      },
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end(body)
  })

beforeAll(async () => {
  idp = await startIdentityProvider({ publicHost: ENTRA })
  idp.registerClient({ clientId: 'daemon', secret: 'a-very-secret-value-123' })
})
afterAll(async () => {
  await idp.stop()
})

describe('publicHostAliases and requestedHost', () => {
  it("names the public cloud's four aliases for any of them, and the host alone outside Entra's clouds", () => {
    const publicCloud = ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net']
    expect(publicHostAliases('Login.MicrosoftOnline.com')).toEqual(publicCloud)
    expect(publicHostAliases('sts.windows.net')).toEqual(publicCloud)
    expect(publicHostAliases('login.chinacloudapi.cn')).toEqual(['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'])
    expect(publicHostAliases('login.contoso.example')).toEqual(['login.contoso.example'])
  })

  it('reads the Host header lower-cased, dropping only the default port', () => {
    const req = (host?: string) => ({ method: 'GET', path: '/', query: {}, body: '', correlationId: 'c', headers: host === undefined ? {} : { host } })
    expect(requestedHost(req('Login.MicrosoftOnline.com:443'))).toBe('login.microsoftonline.com')
    expect(requestedHost(req('127.0.0.1:8443'))).toBe('127.0.0.1:8443')
    expect(requestedHost(req())).toBe('')
  })
})

describe('an IdP standing in for login.microsoftonline.com', () => {
  it('lists the public aliases and serves TLS under each of them (checked against the IdP CA)', async () => {
    expect(idp.publicHosts).toEqual(['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'])
    for (const host of idp.publicHosts) expect((await ask(host, 'GET', `/${idp.tenantId}/v2.0/.well-known/openid-configuration`)).status).toBe(200)
    await expect(ask('login.evil.example', 'GET', '/common/discovery/instance')).rejects.toThrow(/altnames/i)
  })

  it('publishes endpoints under the host asked, with the public issuer, and its own under 127.0.0.1', async () => {
    const t = idp.tenantId
    expect((await ask(ENTRA, 'GET', `/${t}/v2.0/.well-known/openid-configuration`)).json).toMatchObject({
      issuer: `https://login.microsoftonline.com/${t}/v2.0`,
      authorization_endpoint: `https://login.microsoftonline.com/${t}/oauth2/v2.0/authorize`,
      token_endpoint: `https://login.microsoftonline.com/${t}/oauth2/v2.0/token`,
      jwks_uri: `https://login.microsoftonline.com/${t}/discovery/v2.0/keys`,
    })
    expect((await ask('login.windows.net', 'GET', `/${t}/v2.0/.well-known/openid-configuration`)).json).toMatchObject({
      issuer: `https://login.microsoftonline.com/${t}/v2.0`,
      token_endpoint: `https://login.windows.net/${t}/oauth2/v2.0/token`,
    })
    expect((await ask(`${ENTRA}:443`, 'GET', '/common/v2.0/.well-known/openid-configuration')).json).toMatchObject({
      issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
      token_endpoint: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    })
    expect((await ask(idp.host, 'GET', `/${t}/v2.0/.well-known/openid-configuration`)).json).toMatchObject({
      issuer: `${idp.url}/${t}/v2.0`,
      token_endpoint: `${idp.url}/${t}/oauth2/v2.0/token`,
    })
  })

  // The groups as msal-common 16.17.0 ships them (its copy of Entra's answer).
  it("answers instance discovery for a public alias with Entra's alias groups", async () => {
    const authorize = encodeURIComponent('https://login.microsoftonline.com/common/oauth2/authorize')
    const res = await ask(ENTRA, 'GET', `/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`)
    expect(res.status).toBe(200)
    expect(res.json['tenant_discovery_endpoint']).toBe('https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration')
    expect(res.json['metadata']).toEqual([
      { preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'] },
      { preferred_network: 'login.partner.microsoftonline.cn', preferred_cache: 'login.partner.microsoftonline.cn', aliases: ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'] },
      { preferred_network: 'login.microsoftonline.de', preferred_cache: 'login.microsoftonline.de', aliases: ['login.microsoftonline.de'] },
      { preferred_network: 'login.microsoftonline.us', preferred_cache: 'login.microsoftonline.us', aliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'] },
      { preferred_network: 'login-us.microsoftonline.com', preferred_cache: 'login-us.microsoftonline.com', aliases: ['login-us.microsoftonline.com'] },
      { preferred_network: 'login.sovcloud-identity.fr', preferred_cache: 'login.sovcloud-identity.fr', aliases: ['login.sovcloud-identity.fr'] },
      { preferred_network: 'login.sovcloud-identity.de', preferred_cache: 'login.sovcloud-identity.de', aliases: ['login.sovcloud-identity.de'] },
      { preferred_network: 'login.sovcloud-identity.sg', preferred_cache: 'login.sovcloud-identity.sg', aliases: ['login.sovcloud-identity.sg'] },
    ])
    // The local host is still its own cloud; an unknown one is still invalid_instance.
    const local = await ask(idp.host, 'GET', `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${idp.url}/common/oauth2/v2.0/authorize`)}`)
    expect(local.json['metadata']).toEqual([{ preferred_network: idp.host, preferred_cache: idp.host, aliases: [idp.host, `localhost:${idp.port}`] }])
    const unknown = await ask(ENTRA, 'GET', `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent('https://evil.example/t/oauth2/v2.0/authorize')}`)
    expect([unknown.status, unknown.json['error']]).toEqual([400, 'invalid_instance'])
  })

  it('issues tokens with the public issuer under a public alias, and its own under 127.0.0.1', async () => {
    const form = 'grant_type=client_credentials&client_id=daemon&client_secret=a-very-secret-value-123&scope=https%3A%2F%2Fgraph.authfold.test%2F.default'
    const viaAlias = await ask('sts.windows.net', 'POST', `/${idp.tenantId}/oauth2/v2.0/token`, form)
    expect(viaAlias.status).toBe(200)
    expect(decodeJwt(String(viaAlias.json['access_token'])).iss).toBe(`https://login.microsoftonline.com/${idp.tenantId}/v2.0`)
    const local = await ask(idp.host, 'POST', `/${idp.tenantId}/oauth2/v2.0/token`, form)
    expect(decodeJwt(String(local.json['access_token'])).iss).toBe(`${idp.url}/${idp.tenantId}/v2.0`)
    expect(idp.requests.filter((r) => r.method === 'POST').map((r) => r.headers['host'])).toEqual(['sts.windows.net', idp.host])
  })
})
