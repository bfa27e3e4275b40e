/**
 * Integration tests over real HTTPS: the project's local Entra-like identity provider,
 * and a real third-party OpenID Provider (panva's `oidc-provider`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer } from 'node:https'
import type { Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/Either'
import { createCertificateAuthority, issueCertificate, startIdentityProvider } from '@authfold/testing'
import type { IdentityProvider } from '@authfold/testing'
import { nodeHttpClient } from '@authfold/node'
import type { GrantEnv } from '../env/env.js'
import type { HttpClient, HttpRequest } from '../http/http.js'
import { memoryHttpCache } from '../policy/httpCache.js'
import { throttled } from '../policy/throttle.js'
import { parseAuthority } from './parse.js'
import { resolveAuthority } from './resolve.js'
import type { Authority } from './types.js'

const envFor = (http: HttpClient): { env: GrantEnv; sent: Array<HttpRequest> } => {
  const sent: Array<HttpRequest> = []
  return {
    sent,
    env: {
      http: (req) => {
        sent.push(req)
        return http(req)
      },
      now: () => Date.now(),
      random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
      sleep: (ms) => () => new Promise((r) => setTimeout(r, ms)),
      log: () => undefined,
    },
  }
}

const parsed = (url: string, oidc = false): Authority => {
  const r = parseAuthority(url, { oidcAuthority: oidc })
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

describe('resolveAuthority against the local identity provider (HTTPS on 127.0.0.1)', () => {
  let idp: IdentityProvider
  beforeAll(async () => {
    idp = await startIdentityProvider()
  })
  afterAll(async () => {
    await idp.stop()
  })

  it('instanceDiscovery pointed at the IdP: validated, aliases and realm learnt', async () => {
    const { env, sent } = envFor(nodeHttpClient({ ca: idp.ca }))
    const r = await resolveAuthority(parsed(idp.authority(idp.tenantDomain)), { instanceDiscovery: `${idp.url}/common/discovery/instance` })(env)()
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(sent.map((s) => new URL(s.url).pathname)).toEqual(['/common/discovery/instance', `/${idp.tenantDomain}/v2.0/.well-known/openid-configuration`])
    expect(r.right.realm).toBe(idp.tenantId)
    expect(r.right.environment).toBe(idp.host)
    expect(r.right.aliases).toEqual([idp.host, `localhost:${idp.port}`, '127.0.0.1', 'localhost'])
    expect(r.right.metadata.token_endpoint).toBe(idp.tokenEndpoint(idp.tenantId))
  })

  it('validateAuthority: false: no validation and no instance discovery (as MSAL Python); the host is its own only alias', async () => {
    const { env, sent } = envFor(nodeHttpClient({ ca: idp.ca }))
    const r = await resolveAuthority(parsed(idp.authority()), { validateAuthority: false })(env)()
    expect(E.isRight(r) && r.right.aliases).toEqual([idp.host, '127.0.0.1'])
    expect(sent.map((s) => new URL(s.url).pathname)).toEqual([`/${idp.tenantId}/v2.0/.well-known/openid-configuration`])
  })

  it('a tenant that does not exist is a ConfigError before any token request', async () => {
    const { env, sent } = envFor(nodeHttpClient({ ca: idp.ca }))
    const r = await resolveAuthority(parsed(`${idp.url}/no-such-tenant.example`), { knownAuthorities: [idp.host] })(env)()
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'ConfigError', code: 'invalid_authority', field: 'tenant' })))
    expect(sent.every((s) => s.method === 'GET')).toBe(true)
    expect(sent).toHaveLength(1)
  })

  it('an untrusted CA is an HttpError, not a throw', async () => {
    const { env } = envFor(nodeHttpClient({ timeoutMs: 5000 }))
    const r = await resolveAuthority(parsed(idp.authority()), { validateAuthority: false })(env)()
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'HttpError', code: 'network' })))
  })
})

type ProviderCtor = new (issuer: string, configuration: Record<string, unknown>) => {
  readonly callback: () => (req: IncomingMessage, res: ServerResponse) => void
}

describe('resolveAuthority against oidc-provider (a third-party OpenID Provider over HTTPS)', () => {
  let server: Server
  let ca: string
  let issuer: string
  let port: number
  beforeAll(async () => {
    const authority = await createCertificateAuthority({ commonName: 'authfold oidc-provider test CA' })
    const tls = await issueCertificate(authority, { commonName: '127.0.0.1', altNames: ['127.0.0.1', 'localhost'] })
    ca = authority.certificatePem
    server = createServer({ key: tls.privateKeyPem, cert: tls.certificatePem })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
    issuer = `https://127.0.0.1:${port}`
    const moduleName = 'oidc-provider'
    const mod = (await import(moduleName)) as { readonly default: ProviderCtor }
    const provider = new mod.default(issuer, {
      clients: [{ client_id: 'app', client_secret: 'a-long-enough-test-secret', grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }],
      features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
    })
    server.on('request', provider.callback())
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('discovers through oidcAuthority only (no Entra requests)', async () => {
    const { env, sent } = envFor(nodeHttpClient({ ca }))
    const r = await resolveAuthority(parsed(issuer, true))(env)()
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(sent.map((s) => s.url)).toEqual([`${issuer}/.well-known/openid-configuration`])
    expect(r.right.metadata.issuer).toBe(issuer)
    expect(r.right.metadata.token_endpoint).toBe(`${issuer}/token`)
    expect(r.right.metadata.jwks_uri).toBe(`${issuer}/jwks`)
    expect(r.right.environment).toBe(`127.0.0.1:${port}`)
    // MSAL Python files OIDC tokens under the first segment of the token endpoint.
    expect(r.right.realm).toBe('token')
  })

  it('rejects the provider when it is addressed under another name than its issuer', async () => {
    const { env } = envFor(nodeHttpClient({ ca }))
    const r = await resolveAuthority(parsed(`https://localhost:${port}`, true))(env)()
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'ValidationError', code: 'issuer_mismatch' })))
  })

  it('a throttled client with an httpCache reuses the discovery document', async () => {
    const store = memoryHttpCache()
    const wire: Array<HttpRequest> = []
    const base = nodeHttpClient({ ca })
    const counting: HttpClient = (req) => {
      wire.push(req)
      return base(req)
    }
    const { env } = envFor(throttled({ store, now: () => Date.now() })(counting))
    const a = parsed(issuer, true)
    const first = await resolveAuthority(a)(env)()
    const second = await resolveAuthority(a)(env)()
    expect(second).toEqual(first)
    expect(wire).toHaveLength(1)
  })
})
