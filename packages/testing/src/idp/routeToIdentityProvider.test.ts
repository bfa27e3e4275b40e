import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeJwt } from 'jose'
import { createConfidentialClient } from '@authfold/client'
import { clientSecret } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { identityProviderRoute, routeToIdentityProvider } from './routeToIdentityProvider.js'
import { startIdentityProvider, type IdentityProvider } from './server.js'

let idp: IdentityProvider
beforeAll(async () => {
  idp = await startIdentityProvider({ publicHost: 'login.microsoftonline.com' })
  idp.registerClient({ clientId: 'routed-app', secret: 'routed-secret-1' })
})
afterAll(async () => idp.stop())

const app = (authority: string) =>
  createConfidentialClient({
    clientId: 'routed-app',
    authority,
    credential: clientSecret('routed-secret-1'),
    http: routeToIdentityProvider(idp)(nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 })),
  })

describe('routeToIdentityProvider over real HTTPS', () => {
  it('takes an app with its real Entra authority (authority validation on) to the local IdP', async () => {
    idp.clearRequests()
    const result = await app(`https://login.microsoftonline.com/${idp.tenantId}`).acquireTokenForClient(['api://routed/.default'])
    expect(result.token_source).toBe('identity_provider')
    // Entra's v2 issuer for the public cloud, whatever alias was asked.
    expect(decodeJwt(result.access_token).iss).toBe(`https://login.microsoftonline.com/${idp.tenantId}/v2.0`)
    expect(new Set(idp.requests.map((r) => r.headers['host']))).toEqual(new Set(['login.microsoftonline.com']))
    expect(idp.requests.map((r) => `${r.method} ${r.path}`)).toContain(`POST /${idp.tenantId}/oauth2/v2.0/token`)
  })

  it('routes an alias of the same cloud too (login.windows.net)', async () => {
    idp.clearRequests()
    const result = await app(`https://login.windows.net/${idp.tenantId}`).acquireTokenForClient(['api://routed/.default'])
    expect(result.token_source).toBe('identity_provider')
    expect(idp.requests.some((r) => r.headers['host'] === 'login.windows.net')).toBe(true)
  })

  it('refuses any other host without sending anything', async () => {
    idp.clearRequests()
    const http = routeToIdentityProvider(idp)(nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 }))
    const answer = await http({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/me', headers: {} })()
    expect(answer._tag).toBe('Left')
    if (answer._tag === 'Left') {
      expect(answer.left).toMatchObject({ _tag: 'HttpError', code: 'network', url: 'https://graph.microsoft.com/v1.0/me' })
      expect(answer.left.message).toContain('graph.microsoft.com is not a host of the local identity provider')
    }
    expect(idp.requests).toEqual([])
  })

  it("passes the IdP's own URL as it is", async () => {
    const http = routeToIdentityProvider(idp)(nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 }))
    const answer = await http({ method: 'GET', url: `${idp.url}/${idp.tenantId}/v2.0/.well-known/openid-configuration`, headers: {} })()
    expect(answer._tag === 'Right' && answer.right.status).toBe(200)
  })
})

describe('identityProviderRoute', () => {
  const route = identityProviderRoute({ url: 'https://127.0.0.1:4443', host: '127.0.0.1:4443', publicHosts: ['login.microsoftonline.com', 'login.windows.net'] })

  it('sends a public host on port 443 to the IdP with its Host, keeping path and query', () => {
    expect(route('https://LOGIN.microsoftonline.com/common/discovery/instance?api-version=1.1')).toEqual({
      url: 'https://127.0.0.1:4443/common/discovery/instance?api-version=1.1',
      host: 'login.microsoftonline.com',
    })
  })

  it('leaves loopback URLs as they are', () => {
    expect(route('https://127.0.0.1:4443/x')).toEqual({ url: 'https://127.0.0.1:4443/x' })
    expect(route('http://localhost:8400/callback')).toEqual({ url: 'http://localhost:8400/callback' })
    expect(route('http://127.0.0.1:9999/imds')).toEqual({ url: 'http://127.0.0.1:9999/imds' })
  })

  it('refuses other hosts, a public host on another port or over http, and a string that is no URL', () => {
    expect(route('https://graph.microsoft.com/v1.0/me')).toBeUndefined()
    expect(route('https://login.microsoftonline.com:8443/common')).toBeUndefined()
    expect(route('http://login.microsoftonline.com/common')).toBeUndefined()
    expect(route('not a url')).toBeUndefined()
  })
})
