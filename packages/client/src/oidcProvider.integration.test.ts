/**
 * Client credentials through a generic OpenID Connect authority (`oidcAuthority`) against a
 * real third-party OpenID Provider, panva's `oidc-provider` 9, over HTTPS on 127.0.0.1 with a
 * certificate made at run time. Both credentials MSAL sends are proven: `client_secret_post`
 * and `private_key_jwt` (RFC 7523 assertion signed with a run-time certificate's key).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer } from 'node:https'
import type { Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importSPKI, jwtVerify, type CryptoKey } from 'jose'
import { certificate, clientSecret, type HttpClient, type HttpRequest } from '@authfold/core'
import { serialize } from '@authfold/cache'
import { createCertificateAuthority, issueCertificate, selfSignedCertificate, type GeneratedCertificate } from '@authfold/testing'
import { nodeHttpClient } from '@authfold/node'
import { createConfidentialClient, type ConfidentialClientConfig } from './confidentialClient.js'
import type { AuthFailure } from './failure.js'
import { memoryStore, type CacheStore } from '@authfold/cache'

type ProviderCtor = new (issuer: string, configuration: Record<string, unknown>) => {
  readonly callback: () => (req: IncomingMessage, res: ServerResponse) => void
  readonly on: (event: string, listener: (...args: ReadonlyArray<unknown>) => void) => void
}

const SECRET_CLIENT = 'secret-app'
const SECRET = 'a-long-enough-client-secret-for-oidc-provider'
const CERT_CLIENT = 'cert-app'
const RESOURCE = 'https://api.authfold.test'
const SCOPE = 'api:read'

/** An HttpClient that records every request that reaches the wire. */
const recording = (base: HttpClient): { readonly http: HttpClient; readonly sent: Array<HttpRequest> } => {
  const sent: Array<HttpRequest> = []
  return {
    sent,
    http: (req) => {
      sent.push(req)
      return base(req)
    },
  }
}

const formOf = (req: HttpRequest): URLSearchParams => new URLSearchParams(typeof req.body === 'string' ? req.body : '')

const failureOf = async (p: Promise<unknown>): Promise<AuthFailure> => {
  try {
    await p
  } catch (e) {
    if (e instanceof Error && 'authError' in e) return e as AuthFailure
    throw e
  }
  throw new Error('expected the call to fail')
}

const snapshot = async (store: CacheStore): Promise<string> => {
  const r = await store.load()()
  if (r._tag === 'Left') throw new Error(r.left.message)
  return serialize(r.right)
}

describe('client credentials through oidcAuthority against oidc-provider (HTTPS on 127.0.0.1)', () => {
  let server: Server
  let ca: string
  let issuer: string
  let clientCert: GeneratedCertificate
  let signingPublicKey: CryptoKey
  const grants: Array<string> = []
  const authFailures: Array<string> = []

  beforeAll(async () => {
    const authority = await createCertificateAuthority({ commonName: 'authfold oidc-provider client test CA' })
    const tls = await issueCertificate(authority, { commonName: '127.0.0.1', altNames: ['127.0.0.1', 'localhost'] })
    ca = authority.certificatePem
    clientCert = await selfSignedCertificate({ commonName: 'authfold cert-app' })
    const clientJwk = await exportJWK(await importSPKI(clientCert.publicKeyPem, 'RS256', { extractable: true }))
    const signing = await generateKeyPair('RS256', { extractable: true })
    signingPublicKey = signing.publicKey
    const signingJwk = { ...(await exportJWK(signing.privateKey)), kid: 'op-signing', alg: 'RS256', use: 'sig' }

    server = createServer({ key: tls.privateKeyPem, cert: tls.certificatePem })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    issuer = `https://127.0.0.1:${port}`
    const moduleName = 'oidc-provider'
    const mod = (await import(moduleName)) as { readonly default: ProviderCtor }
    const common = { grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: SCOPE }
    const provider = new mod.default(issuer, {
      clients: [
        { ...common, client_id: SECRET_CLIENT, client_secret: SECRET, token_endpoint_auth_method: 'client_secret_post' },
        {
          ...common,
          client_id: CERT_CLIENT,
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_signing_alg: 'RS256',
          jwks: { keys: [{ ...clientJwk, alg: 'RS256', use: 'sig' }] },
        },
      ],
      jwks: { keys: [signingJwk] },
      scopes: ['openid', SCOPE],
      features: {
        clientCredentials: { enabled: true },
        devInteractions: { enabled: false },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => RESOURCE,
          getResourceServerInfo: (_ctx: unknown, resourceIndicator: string) => {
            if (resourceIndicator !== RESOURCE) throw new Error(`unknown resource ${resourceIndicator}`)
            return { scope: SCOPE, audience: RESOURCE, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }
          },
        },
      },
    })
    provider.on('grant.success', () => grants.push('client_credentials'))
    provider.on('grant.error', (_ctx, err) => authFailures.push(err instanceof Error ? err.message : String(err)))
    // A second name for the same provider under another path: its discovery document is the
    // provider's own, whose issuer is the origin, not the path the client was configured with.
    const callback = provider.callback()
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.startsWith('/alias/') === true) req.url = req.url.slice('/alias'.length)
      callback(req, res)
    })
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  const clientFor = (config: Pick<ConfidentialClientConfig, 'clientId' | 'credential'> & { readonly cacheStore?: CacheStore; readonly oidcAuthority?: string }) => {
    const wire = recording(nodeHttpClient({ ca }))
    const app = createConfidentialClient({ oidcAuthority: issuer, ...config, http: wire.http })
    const tokenRequests = (): ReadonlyArray<HttpRequest> => wire.sent.filter((r) => r.method === 'POST')
    return { app, sent: wire.sent, tokenRequests }
  }

  it('(a) client_secret_post: a token from the provider, then the same token from the cache without a second request', async () => {
    const { app, sent, tokenRequests } = clientFor({ clientId: SECRET_CLIENT, credential: clientSecret(SECRET) })
    const grantsBefore = grants.length

    const first = await app.acquireTokenForClient([SCOPE])
    expect(first.token_source).toBe('identity_provider')
    expect(first.token_type).toBe('Bearer')
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${issuer}/.well-known/openid-configuration`, `POST ${issuer}/token`])
    const form = formOf(tokenRequests()[0] as HttpRequest)
    expect(form.get('grant_type')).toBe('client_credentials')
    expect(form.get('client_id')).toBe(SECRET_CLIENT)
    expect(form.get('client_secret')).toBe(SECRET)
    expect(form.get('scope')).toBe(SCOPE)

    // The access token is the provider's JWT, for the resource server and the scope asked.
    const { payload } = await jwtVerify(first.access_token, signingPublicKey, { issuer, audience: RESOURCE })
    expect(payload.client_id).toBe(SECRET_CLIENT)
    expect(payload.scope).toBe(SCOPE)

    const second = await app.acquireTokenForClient([SCOPE])
    expect(second.token_source).toBe('cache')
    expect(second.access_token).toBe(first.access_token)
    expect(tokenRequests()).toHaveLength(1)
    expect(grants.length - grantsBefore).toBe(1)
  })

  it('(b) private_key_jwt: oidc-provider accepts our RFC 7523 assertion (aud = token endpoint), then the cache answers', async () => {
    const credential = certificate({ privateKey: clientCert.privateKeyPem, thumbprint: clientCert.sha1Thumbprint })
    const { app, tokenRequests } = clientFor({ clientId: CERT_CLIENT, credential })
    const grantsBefore = grants.length

    const first = await app.acquireTokenForClient([SCOPE])
    expect(first.token_source).toBe('identity_provider')
    const form = formOf(tokenRequests()[0] as HttpRequest)
    expect(form.get('client_secret')).toBeNull()
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    const assertion = form.get('client_assertion') ?? ''
    const claims = decodeJwt(assertion)
    expect(claims.aud).toBe(`${issuer}/token`)
    expect(claims.iss).toBe(CERT_CLIENT)
    expect(claims.sub).toBe(CERT_CLIENT)
    expect(typeof claims.jti).toBe('string')
    expect(typeof claims.exp).toBe('number')
    expect(decodeProtectedHeader(assertion)).toEqual(expect.objectContaining({ alg: 'RS256', x5t: expect.any(String) }))
    const { payload } = await jwtVerify(first.access_token, signingPublicKey, { issuer, audience: RESOURCE })
    expect(payload.client_id).toBe(CERT_CLIENT)
    expect(payload.scope).toBe(SCOPE)

    const second = await app.acquireTokenForClient([SCOPE])
    expect(second.token_source).toBe('cache')
    expect(second.access_token).toBe(first.access_token)
    expect(tokenRequests()).toHaveLength(1)
    expect(grants.length - grantsBefore).toBe(1)
  })

  it('(c) a wrong secret is a ProtocolError invalid_client, and the cache is unchanged', async () => {
    // The store already holds another client's token, so "unchanged" is not trivially "empty".
    const store = memoryStore()
    const seeded = clientFor({ clientId: CERT_CLIENT, credential: certificate({ privateKey: clientCert.privateKeyPem, thumbprint: clientCert.sha1Thumbprint }), cacheStore: store })
    await seeded.app.acquireTokenForClient([SCOPE])
    const before = await snapshot(store)

    const failuresBefore = authFailures.length
    const { app, tokenRequests } = clientFor({ clientId: SECRET_CLIENT, credential: clientSecret('not-the-secret'), cacheStore: store })
    const failure = await failureOf(app.acquireTokenForClient([SCOPE]))
    expect(failure.authError).toEqual(expect.objectContaining({ _tag: 'ProtocolError', error: 'invalid_client', status: 401 }))
    expect(tokenRequests()).toHaveLength(1)
    expect(authFailures.slice(failuresBefore)).toEqual(['invalid_client'])
    expect(await snapshot(store)).toBe(before)
  })

  it('(d) an issuer that does not match the configured oidcAuthority is a ValidationError before any token request', async () => {
    // The same provider addressed under another host name (the TLS certificate covers it):
    // its discovery document names 127.0.0.1 as the issuer, so the client must refuse it.
    const other = issuer.replace('127.0.0.1', 'localhost')
    const { app, sent } = clientFor({ clientId: SECRET_CLIENT, credential: clientSecret(SECRET), oidcAuthority: other })
    const failure = await failureOf(app.acquireTokenForClient([SCOPE]))
    expect(failure.authError).toEqual(expect.objectContaining({ _tag: 'ValidationError', code: 'issuer_mismatch' }))
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${other}/.well-known/openid-configuration`])
  })

  it('(d) same scheme and host under another path is accepted, as MSAL Python has_valid_issuer (Step 2) accepts it', async () => {
    // Pinned on purpose: MSAL Python's rule is "same scheme + netloc (paths may differ)", and
    // authfold keeps parity. The token request goes to the token endpoint the document names.
    const { app, sent } = clientFor({ clientId: SECRET_CLIENT, credential: clientSecret(SECRET), oidcAuthority: `${issuer}/alias` })
    const result = await app.acquireTokenForClient([SCOPE])
    expect(result.token_source).toBe('identity_provider')
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${issuer}/alias/.well-known/openid-configuration`, `POST ${issuer}/token`])
  })
})
