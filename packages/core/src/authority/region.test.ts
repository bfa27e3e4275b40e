import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import type { GrantEnv } from '../env/env.js'
import type { HttpRequest, HttpResponse } from '../http/http.js'
import { httpError } from '../errors/errors.js'
import { checkAzureRegion, detectRegion, IMDS_REGION_ENDPOINT, isRegionName, regionalHost } from './region.js'
import { parseAuthority } from './parse.js'
import { regionalOrCentral, resolveAuthority } from './resolve.js'

const envWith = (handler: (req: HttpRequest) => TE.TaskEither<ReturnType<typeof httpError>, HttpResponse>) => {
  const sent: Array<HttpRequest> = []
  const env: GrantEnv = {
    http: (req) => {
      sent.push(req)
      return handler(req)
    },
    now: () => 0,
    random: (n) => new Uint8Array(n),
    sleep: (ms) => () => new Promise((r) => setTimeout(r, Math.min(ms, 20))),
    log: () => undefined,
  }
  return { env, sent }
}

const cfg = (host: string, tenant: string): HttpResponse => ({
  status: 200,
  headers: {},
  body: JSON.stringify({
    issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
    authorization_endpoint: `https://${host}/${tenant}/oauth2/v2.0/authorize`,
    token_endpoint: `https://${host}/${tenant}/oauth2/v2.0/token`,
  }),
})

describe('region', () => {
  it('regionalHost follows MSAL for every cloud', () => {
    expect(regionalHost('westus2', 'login.microsoftonline.com')).toBe('westus2.login.microsoft.com')
    expect(regionalHost('westus2', 'login.windows.net')).toBe('westus2.login.microsoft.com')
    expect(regionalHost('usgovvirginia', 'login.microsoftonline.us')).toBe('usgovvirginia.login.microsoftonline.us')
    expect(regionalHost('chinanorth', 'login.chinacloudapi.cn')).toBe('chinanorth.login.chinacloudapi.cn')
  })

  it('detectRegion prefers the regionName input, normalized', async () => {
    const { env, sent } = envWith(() => TE.left(httpError('network', 'x', 'no')))
    expect(await detectRegion({ regionName: ' West US 2 ' })(env)()).toEqual(E.right('westus2'))
    expect(sent).toHaveLength(0)
  })

  it('detectRegion asks IMDS with Metadata: true', async () => {
    const { env, sent } = envWith(() => TE.right({ status: 200, headers: {}, body: 'eastus\n' }))
    expect(await detectRegion()(env)()).toEqual(E.right('eastus'))
    expect(sent[0]).toMatchObject({ method: 'GET', url: IMDS_REGION_ENDPOINT, headers: { Metadata: 'true' } })
  })

  it('detectRegion gives up on errors and timeouts', async () => {
    const failing = envWith(() => TE.left(httpError('network', 'x', 'no route')))
    expect(await detectRegion({ imdsEndpoint: 'http://127.0.0.1:1/x' })(failing.env)()).toEqual(E.right(undefined))
    const hanging = envWith(() => () => new Promise(() => undefined))
    expect(await detectRegion({ imdsTimeoutMs: 5 })(hanging.env)()).toEqual(E.right(undefined))
    const garbage = envWith(() => TE.right({ status: 200, headers: {}, body: '<html>' }))
    expect(await detectRegion()(garbage.env)()).toEqual(E.right(undefined))
  })

  it('resolveAuthority with azureRegion adds regional endpoints, keeps cache fields central', async () => {
    const tenant = '11111111-2222-3333-4444-555555555555'
    const { env, sent } = envWith((req) =>
      req.url.startsWith('https://login.microsoftonline.com/contoso.com/')
        ? TE.right(cfg('login.microsoftonline.com', tenant))
        : req.url.startsWith(`https://westus2.login.microsoft.com/${tenant}/v2.0/.well-known/openid-configuration`)
          ? TE.right(cfg('westus2.login.microsoft.com', tenant))
          : TE.right({ status: 404, headers: {}, body: '' }),
    )
    const a = parseAuthority('https://login.microsoftonline.com/contoso.com')
    if (E.isLeft(a)) throw new Error()
    const r = await resolveAuthority(a.right, { azureRegion: true, regionDetection: { regionName: 'westus2' } })(env)()
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(sent).toHaveLength(2)
    expect(r.right.environment).toBe('login.microsoftonline.com')
    expect(r.right.realm).toBe(tenant)
    expect(r.right.regional?.region).toBe('westus2')
    expect(regionalOrCentral(r.right).metadata.token_endpoint).toBe(`https://westus2.login.microsoft.com/${tenant}/oauth2/v2.0/token`)
    expect(regionalOrCentral(r.right).environment).toBe('login.microsoftonline.com')
  })

  it('falls back to global when detection fails; never regionalizes B2C', async () => {
    const { env } = envWith((req) =>
      req.url.includes('169.254.169.254') ? TE.left(httpError('network', req.url, 'unreachable')) : TE.right(cfg('login.microsoftonline.com', 'common')),
    )
    const a = parseAuthority('https://login.microsoftonline.com/common')
    if (E.isLeft(a)) throw new Error()
    const r = await resolveAuthority(a.right, { azureRegion: true })(env)()
    expect(E.isRight(r) && r.right.regional).toBeUndefined()
  })
})

describe('region names: one rule for azureRegion, regionName and IMDS', () => {
  it('accepts DNS-label region names and refuses anything that could name another host', () => {
    expect(['westus2', 'eastus', 'usgovvirginia', 'a', 'x-1'].every(isRegionName)).toBe(true)
    expect(['evil.example/x', 'evil.example', 'west us', '', '-westus', 'westus-', 'a'.repeat(64), 'WESTUS', 'west_us', 'x:443', 'x@y'].some(isRegionName)).toBe(false)
  })

  it('an azureRegion that is not a region name is a ConfigError, and no request is sent', async () => {
    const { env, sent } = envWith(() => TE.right(cfg('login.microsoftonline.com', 'common')))
    const a = parseAuthority('https://login.microsoftonline.com/contoso.com')
    if (E.isLeft(a)) throw new Error()
    const r = await resolveAuthority(a.right, { azureRegion: 'evil.example/x' })(env)()
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'ConfigError', field: 'azureRegion' })))
    expect(sent.some((s) => s.url.includes('evil.example'))).toBe(false)
    expect(checkAzureRegion('West US 2')).toEqual(E.right('West US 2'))
  })

  it('a regionName that is not a region name is ignored (IMDS is asked instead), never used as a host', async () => {
    const { env, sent } = envWith((req) => (req.url.includes('169.254.169.254') ? TE.right({ status: 200, headers: {}, body: 'eastus' }) : TE.right(cfg('eastus.login.microsoft.com', 'common'))))
    expect(await detectRegion({ regionName: 'evil.example/x' })(env)()).toEqual(E.right('eastus'))
    expect(sent.map((s) => new URL(s.url).host)).toEqual(['169.254.169.254'])
  })
})

