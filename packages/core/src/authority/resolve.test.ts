import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import type { GrantEnv } from '../env/env.js'
import type { HttpRequest, HttpResponse } from '../http/http.js'
import { httpError } from '../errors/errors.js'
import { memoryHttpCache } from '../policy/httpCache.js'
import { parseAuthority } from './parse.js'
import { defaultTenantDiscoveryEndpoint, hasValidIssuer, planDiscovery, realmOf, resolveAuthority, resolveEntraAuthority } from './resolve.js'
import type { ResolveAuthorityOptions } from './resolve.js'
import type { Authority } from './types.js'

type Route = (req: HttpRequest) => HttpResponse | 'network-error' | undefined

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

const scripted = (routes: ReadonlyArray<Route>, now = () => 1_700_000_000_000) => {
  const sent: Array<HttpRequest> = []
  const env: GrantEnv = {
    http: (req) => {
      sent.push(req)
      for (const r of routes) {
        const res = r(req)
        if (res === 'network-error') return TE.left(httpError('network', req.url, 'connection refused'))
        if (res !== undefined) return TE.right(res)
      }
      return TE.right({ status: 404, headers: {}, body: 'not found' })
    },
    now,
    random: (n) => new Uint8Array(n),
    sleep: () => () => Promise.resolve(),
    log: () => undefined,
  }
  return { env, sent }
}

const auth = (url: string, oidc = false): Authority => {
  const r = parseAuthority(url, { oidcAuthority: oidc })
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const oidcConfig = (base: string, tenant: string, extra: Record<string, unknown> = {}) => ({
  issuer: `${base}/${tenant}/v2.0`,
  authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
  token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
  device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
  jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
  ...extra,
})

const at = (prefix: string, res: HttpResponse): Route => (req) => (req.url.startsWith(prefix) ? res : undefined)

const run = (a: Authority, options: ResolveAuthorityOptions, env: GrantEnv) => resolveAuthority(a, options)(env)()

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47'

describe('resolveAuthority: Entra', () => {
  it('a known cloud: no instance discovery, aliases from the built-in table, realm from the token endpoint', async () => {
    const { env, sent } = scripted([
      at('https://login.microsoftonline.com/contoso.com/v2.0/.well-known/openid-configuration', json(200, oidcConfig('https://login.microsoftonline.com', TENANT_ID))),
    ])
    const r = await run(auth('https://login.microsoftonline.com/contoso.com'), {}, env)
    expect(sent.map((s) => s.url)).toEqual(['https://login.microsoftonline.com/contoso.com/v2.0/.well-known/openid-configuration'])
    expect(sent[0]?.method).toBe('GET')
    expect(r).toEqual(
      E.right(
        expect.objectContaining({
          environment: 'login.microsoftonline.com', // the authority's host, as MSAL Python writes it (not preferred_cache)
          realm: TENANT_ID,
          aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
          metadata: expect.objectContaining({ token_endpoint: `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token` }),
        }),
      ),
    )
  })

  it('common stays common', async () => {
    const { env } = scripted([at('https://login.microsoftonline.us/common/v2.0/.well-known', json(200, oidcConfig('https://login.microsoftonline.us', 'common')))])
    const r = await run(auth('https://login.microsoftonline.us/common'), {}, env)
    expect(E.isRight(r) && r.right.realm).toBe('common')
    expect(E.isRight(r) && r.right.environment).toBe('login.microsoftonline.us')
    expect(E.isRight(r) && r.right.aliases).toEqual(['login.microsoftonline.us', 'login.usgovcloudapi.net'])
  })

  it('an unknown host is validated through login.microsoftonline.com instance discovery', async () => {
    const { env, sent } = scripted([
      at('https://login.microsoftonline.com/common/discovery/instance', json(200, {
        tenant_discovery_endpoint: 'https://login.contoso.net/contoso.com/v2.0/.well-known/openid-configuration',
        'api-version': '1.1',
        metadata: [{ preferred_network: 'login.contoso.net', preferred_cache: 'cache.contoso.net', aliases: ['login.contoso.net', 'cache.contoso.net'] }],
      })),
      at('https://login.contoso.net/contoso.com/v2.0/.well-known/openid-configuration', json(200, oidcConfig('https://login.contoso.net', TENANT_ID))),
    ])
    const r = await run(auth('https://login.contoso.net/contoso.com'), {}, env)
    const first = new URL(sent[0]?.url ?? '')
    expect(first.origin + first.pathname).toBe('https://login.microsoftonline.com/common/discovery/instance')
    expect(first.searchParams.get('api-version')).toBe('1.1')
    expect(first.searchParams.get('authorization_endpoint')).toBe('https://login.contoso.net/contoso.com/oauth2/v2.0/authorize')
    expect(r).toEqual(E.right(expect.objectContaining({ environment: 'login.contoso.net', aliases: ['login.contoso.net', 'cache.contoso.net'], realm: TENANT_ID })))
  })

  it('invalid_instance is a ConfigError and nothing else is sent', async () => {
    const { env, sent } = scripted([
      at('https://login.microsoftonline.com/common/discovery/instance', json(400, { error: 'invalid_instance', error_description: 'AADSTS50049: Unknown or invalid instance.' })),
    ])
    const r = await run(auth('https://evil.example/contoso.com'), {}, env)
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'ConfigError', code: 'untrusted_authority', field: 'authority' })))
    expect(sent).toHaveLength(1)
  })

  it('instanceDiscovery as a URL uses that endpoint (our local IdP on 127.0.0.1)', async () => {
    const base = 'https://127.0.0.1:8443'
    const { env, sent } = scripted([
      at(`${base}/common/discovery/instance`, json(200, {
        tenant_discovery_endpoint: `${base}/contoso/v2.0/.well-known/openid-configuration`,
        metadata: [{ preferred_network: '127.0.0.1:8443', preferred_cache: 'localhost:8443', aliases: ['127.0.0.1:8443', 'localhost:8443'] }],
      })),
      at(`${base}/contoso/v2.0/.well-known/openid-configuration`, json(200, oidcConfig(base, TENANT_ID))),
    ])
    const r = await run(auth(`${base}/contoso`), { instanceDiscovery: `${base}/common/discovery/instance` }, env)
    expect(sent.map((s) => s.url.split('?')[0])).toEqual([`${base}/common/discovery/instance`, `${base}/contoso/v2.0/.well-known/openid-configuration`])
    expect(r).toEqual(E.right(expect.objectContaining({ environment: '127.0.0.1:8443', aliases: ['127.0.0.1:8443', 'localhost:8443', '127.0.0.1', 'localhost'], realm: TENANT_ID })))
  })

  it.each<[string, ResolveAuthorityOptions]>([
    ['validateAuthority: false', { validateAuthority: false }],
    ['knownAuthorities (host)', { knownAuthorities: ['127.0.0.1:8443'] }],
    ['knownAuthorities (url)', { knownAuthorities: ['https://127.0.0.1:8443/contoso'] }],
  ])('%s: no validation, no instance discovery at all (as MSAL Python), and the host is its only alias', async (_, options) => {
    const base = 'https://127.0.0.1:8443'
    const { env, sent } = scripted([
      at(`${base}/contoso/v2.0/.well-known/openid-configuration`, json(200, oidcConfig(base, TENANT_ID))),
      at(`${base}/common/discovery/instance`, json(200, {
        tenant_discovery_endpoint: `${base}/contoso/v2.0/.well-known/openid-configuration`,
        metadata: [{ preferred_network: '127.0.0.1:8443', preferred_cache: 'login.microsoftonline.com', aliases: ['127.0.0.1:8443', 'login.microsoftonline.com'] }],
      })),
    ])
    const r = await run(auth(`${base}/contoso`), options, env)
    expect(sent.map((s) => s.url.split('?')[0])).toEqual([`${base}/contoso/v2.0/.well-known/openid-configuration`])
    expect(r).toEqual(E.right(expect.objectContaining({ environment: '127.0.0.1:8443', aliases: ['127.0.0.1:8443', '127.0.0.1'], realm: TENANT_ID })))
  })

  it('an instance discovery answer for a non-Microsoft host cannot make a Microsoft host its alias', async () => {
    const base = 'https://127.0.0.1:8443'
    const { env } = scripted([
      at(`${base}/common/discovery/instance`, json(200, {
        tenant_discovery_endpoint: `${base}/contoso/v2.0/.well-known/openid-configuration`,
        metadata: [{ preferred_network: '127.0.0.1:8443', preferred_cache: 'login.microsoftonline.com', aliases: ['127.0.0.1:8443', 'login.microsoftonline.com', 'login.windows.net', 'sts.contoso.example'] }],
      })),
      at(`${base}/contoso/v2.0/.well-known/openid-configuration`, json(200, oidcConfig(base, TENANT_ID))),
    ])
    const r = await run(auth(`${base}/contoso`), { instanceDiscovery: `${base}/common/discovery/instance` }, env)
    expect(r).toEqual(E.right(expect.objectContaining({ environment: '127.0.0.1:8443', aliases: ['127.0.0.1:8443', 'sts.contoso.example', '127.0.0.1'] })))
  })

  it('validateAuthority: false on a host without instance metadata falls back to the host', async () => {
    const { env } = scripted([
      at('https://login.contoso.net/contoso.com/v2.0/.well-known/openid-configuration', json(200, oidcConfig('https://login.contoso.net', 'contoso.com'))),
      (req) => (req.url.startsWith('https://login.contoso.net/common/discovery/instance') ? 'network-error' : undefined),
    ])
    const r = await run(auth('https://login.contoso.net/contoso.com'), { validateAuthority: false }, env)
    expect(r).toEqual(E.right(expect.objectContaining({ environment: 'login.contoso.net', aliases: ['login.contoso.net'] })))
  })

  it('instanceDiscovery: false sends only tenant discovery, even for a known cloud', async () => {
    const { env, sent } = scripted([at('https://login.microsoftonline.com/common/v2.0/', json(200, oidcConfig('https://login.microsoftonline.com', 'common')))])
    const r = await run(auth('https://login.microsoftonline.com/common'), { instanceDiscovery: false }, env)
    expect(sent).toHaveLength(1)
    expect(r).toEqual(E.right(expect.objectContaining({ environment: 'login.microsoftonline.com', aliases: ['login.microsoftonline.com'] })))
  })

  it('a tenant that does not exist is a ConfigError naming the tenant', async () => {
    const { env, sent } = scripted([
      at('https://login.microsoftonline.com/nope.example/v2.0', json(400, { error: 'invalid_tenant', error_description: "AADSTS90002: Tenant 'nope.example' not found." })),
    ])
    const r = await run(auth('https://login.microsoftonline.com/nope.example'), {}, env)
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'ConfigError', code: 'invalid_authority', field: 'tenant' })))
    expect(E.isLeft(r) && r.left.message).toMatch(/AADSTS90002/)
    expect(sent).toHaveLength(1)
  })

  it('a 5xx is an HttpError with Retry-After', async () => {
    const { env } = scripted([at('https://login.microsoftonline.com/common/v2.0', { status: 503, headers: { 'retry-after': '7' }, body: '' })])
    const r = await run(auth('https://login.microsoftonline.com/common'), {}, env)
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'HttpError', code: 'status', status: 503, retryAfter: 7 })))
  })

  it.each([
    ['token_endpoint', { token_endpoint: undefined }, 'nothing (missing)'],
    ['authorization_endpoint', { authorization_endpoint: 'http://login.microsoftonline.com/common/oauth2/v2.0/authorize' }, 'a string'],
    ['issuer', { issuer: undefined }, 'nothing (missing)'],
    ['token_endpoint', { token_endpoint: 42 }, 'a number'],
  ])('a bad discovery document is a DecodeError naming %s', async (field, patch, actual) => {
    const { env } = scripted([at('https://login.microsoftonline.com/common/v2.0', json(200, { ...oidcConfig('https://login.microsoftonline.com', 'common'), ...patch }))])
    const r = await run(auth('https://login.microsoftonline.com/common'), {}, env)
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'DecodeError', path: field, actual })))
  })

  it('a non-JSON discovery answer is a DecodeError', async () => {
    const { env } = scripted([at('https://login.microsoftonline.com/common/v2.0', { status: 200, headers: { 'content-type': 'text/html' }, body: '<html/>' })])
    const r = await run(auth('https://login.microsoftonline.com/common'), {}, env)
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'DecodeError', code: 'not_json' })))
  })

  it('transport errors propagate', async () => {
    const { env } = scripted([() => 'network-error'])
    const r = await run(auth('https://login.microsoftonline.com/common'), {}, env)
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'HttpError', code: 'network' })))
  })

  it('an httpCache reuses discovery GETs for 24 hours', async () => {
    let t = 1_700_000_000_000
    const { env, sent } = scripted([at('https://login.microsoftonline.com/common/v2.0', json(200, oidcConfig('https://login.microsoftonline.com', 'common')))], () => t)
    const httpCache = memoryHttpCache()
    const a = auth('https://login.microsoftonline.com/common')
    const r1 = await run(a, { httpCache }, env)
    t += 23 * 3600 * 1000
    const r2 = await run(a, { httpCache }, env)
    expect(sent).toHaveLength(1)
    expect(r2).toEqual(r1)
    t += 2 * 3600 * 1000
    await run(a, { httpCache }, env)
    expect(sent).toHaveLength(2)
  })

  it('sends client-request-id and accept headers', async () => {
    const { env, sent } = scripted([at('https://login.microsoftonline.com/common/v2.0', json(200, oidcConfig('https://login.microsoftonline.com', 'common')))])
    await run(auth('https://login.microsoftonline.com/common'), { correlationId: 'abc' }, env)
    expect(sent[0]?.headers).toEqual({ accept: 'application/json', 'client-request-id': 'abc' })
  })
})

describe('resolveAuthority: B2C, ADFS, CIAM', () => {
  it('B2C: tenant discovery under the policy, no instance discovery', async () => {
    const base = 'https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/b2c_1_susi'
    const { env, sent } = scripted([
      at(`${base}/v2.0/.well-known/openid-configuration`, json(200, {
        issuer: 'https://fabrikamb2c.b2clogin.com/775527ff-9a37-4307-8b3d-cc311f58d925/v2.0/',
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
      })),
    ])
    const r = await run(auth(base), {}, env)
    expect(sent).toHaveLength(1)
    expect(r).toEqual(E.right(expect.objectContaining({ realm: 'fabrikamb2c.onmicrosoft.com', environment: 'fabrikamb2c.b2clogin.com' })))
  })

  it('ADFS: discovery without v2.0, realm adfs', async () => {
    const { env, sent } = scripted([
      at('https://fs.contoso.com/adfs/.well-known/openid-configuration', json(200, {
        issuer: 'https://fs.contoso.com/adfs',
        authorization_endpoint: 'https://fs.contoso.com/adfs/oauth2/authorize/',
        token_endpoint: 'https://fs.contoso.com/adfs/oauth2/token/',
      })),
    ])
    const r = await run(auth('https://fs.contoso.com/adfs'), {}, env)
    expect(sent).toHaveLength(1)
    expect(r).toEqual(E.right(expect.objectContaining({ realm: 'adfs', environment: 'fs.contoso.com' })))
  })

  it('CIAM short form: discovery under <t>.onmicrosoft.com', async () => {
    const base = 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com'
    const { env, sent } = scripted([
      at(`${base}/v2.0/.well-known/openid-configuration`, json(200, oidcConfig('https://contoso.ciamlogin.com', TENANT_ID, { issuer: `https://${TENANT_ID}.ciamlogin.com/${TENANT_ID}/v2.0` }))),
    ])
    const r = await run(auth('https://contoso.ciamlogin.com'), {}, env)
    expect(sent).toHaveLength(1)
    expect(r).toEqual(E.right(expect.objectContaining({ realm: TENANT_ID })))
  })
})

describe('resolveAuthority: generic OIDC', () => {
  it('uses only the issuer discovery and checks the issuer', async () => {
    const { env, sent } = scripted([
      at('https://idp.example/realms/x/.well-known/openid-configuration', json(200, {
        issuer: 'https://idp.example/realms/x',
        authorization_endpoint: 'https://idp.example/realms/x/protocol/openid-connect/auth',
        token_endpoint: 'https://idp.example/realms/x/protocol/openid-connect/token',
      })),
    ])
    const r = await run(auth('https://idp.example/realms/x', true), {}, env)
    expect(sent).toHaveLength(1)
    expect(r).toEqual(E.right(expect.objectContaining({ realm: 'realms', environment: 'idp.example', aliases: ['idp.example'] })))
  })

  it('a foreign issuer is rejected', async () => {
    const { env } = scripted([
      at('https://idp.example/.well-known/openid-configuration', json(200, {
        issuer: 'https://attacker.example/',
        authorization_endpoint: 'https://idp.example/auth',
        token_endpoint: 'https://idp.example/token',
      })),
    ])
    const r = await run(auth('https://idp.example', true), {}, env)
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'ValidationError', code: 'issuer_mismatch' })))
  })

  it('an Entra OIDC authority whose endpoints leave the cloud is rejected', async () => {
    const { env } = scripted([
      at('https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration', json(200, {
        issuer: 'https://login.microsoftonline.com/t/v2.0',
        authorization_endpoint: 'https://login.microsoftonline.com/t/oauth2/v2.0/authorize',
        token_endpoint: 'https://login.microsoftonline.us/t/oauth2/v2.0/token',
      })),
    ])
    const r = await run(auth('https://login.microsoftonline.com/t/v2.0', true), {}, env)
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'ValidationError', code: 'issuer_mismatch' })))
  })
})

describe('pure helpers', () => {
  it('planDiscovery follows MSAL Python decisions', () => {
    expect(planDiscovery(auth('https://login.microsoftonline.com/common')).validate).toBeUndefined()
    expect(planDiscovery(auth('https://login.contoso.net/t')).validate).toMatch(/^https:\/\/login\.microsoftonline\.com\/common\/discovery\/instance\?api-version=1\.1&authorization_endpoint=/)
    expect(planDiscovery(auth('https://login.contoso.net/t'), { instanceDiscovery: false }).validate).toBeUndefined()
    expect(planDiscovery(auth('https://fs.contoso.com/adfs')).isKnownToDeveloper).toBe(true)
  })
  it('defaultTenantDiscoveryEndpoint keeps the query', () => {
    expect(defaultTenantDiscoveryEndpoint(auth('https://login.microsoftonline.com/common?dc=x'))).toBe(
      'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration?dc=x',
    )
  })
  it('realmOf', () => {
    expect(realmOf('https://login.microsoftonline.com/abc/oauth2/v2.0/token', 'f')).toBe('abc')
    expect(realmOf('https://contoso.ciamlogin.com/oauth2/token', 'f')).toBe('oauth2')
    expect(realmOf('https://contoso.ciamlogin.com/', 'f')).toBe('contoso.onmicrosoft.com')
    expect(realmOf('not a url', 'f')).toBe('f')
  })
  it('hasValidIssuer', () => {
    expect(hasValidIssuer('https://a.example/x/', 'https://a.example/x')).toBe(true)
    expect(hasValidIssuer('https://a.example/other', 'https://a.example/x')).toBe(true)
    expect(hasValidIssuer('https://contoso.ciamlogin.com/contoso/v2.0', 'https://login.contoso.com/contoso')).toBe(true)
    expect(hasValidIssuer('https://other.ciamlogin.com/', 'https://login.contoso.com/contoso')).toBe(false)
    expect(hasValidIssuer('https://login.microsoftonline.com/t/v2.0', 'https://login.contoso.com/t')).toBe(true)
    expect(hasValidIssuer('https://login.microsoftonline.us/t/v2.0', 'https://login.microsoftonline.com/t')).toBe(false)
    expect(hasValidIssuer('https://westus2.login.microsoft.com/t', 'https://login.microsoftonline.com/t')).toBe(true)
    expect(hasValidIssuer('https://eu.idp.example/', 'https://idp.example/')).toBe(true)
    expect(hasValidIssuer('https://x.b2clogin.com/t', 'https://idp.example/')).toBe(true)
    expect(hasValidIssuer('https://evil.example/', 'https://idp.example/')).toBe(false)
  })
})

describe('resolveEntraAuthority (discovery without OIDC issuer checks or regions)', () => {
  it('resolves an Entra authority as resolveAuthority does, and refuses a generic OIDC one', async () => {
    const routes = [at('https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0', json(200, oidcConfig('https://login.microsoftonline.com', TENANT_ID)))]
    const a = auth('https://login.microsoftonline.com/contoso.onmicrosoft.com')
    const entra = await resolveEntraAuthority(a)(scripted(routes).env)()
    expect(entra).toEqual(await resolveAuthority(a)(scripted(routes).env)())
    expect(E.isRight(entra)).toBe(true)
    const oidc = scripted([at('https://issuer.example/', json(200, oidcConfig('https://issuer.example', 't')))])
    const refused = await resolveEntraAuthority(auth('https://issuer.example/t/v2.0', true))(oidc.env)()
    expect(refused).toEqual(E.left(expect.objectContaining({ _tag: 'ConfigError', code: 'unsupported' })))
  })
})
