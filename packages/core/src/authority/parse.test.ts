import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { authorityFor, parseAuthority, parseOidcAuthority } from './parse.js'
import { AzureCloudInstance } from './clouds.js'

const ok = (url: string, options = {}) => {
  const r = parseAuthority(url, options)
  if (E.isLeft(r)) throw new Error(`expected Right for ${url}: ${r.left.message}`)
  return r.right
}
const err = (url: string, options = {}) => {
  const r = parseAuthority(url, options)
  if (E.isRight(r)) throw new Error(`expected Left for ${url}`)
  return r.left
}

describe('parseAuthority', () => {
  it.each([
    ['https://login.microsoftonline.com/common', 'common'],
    ['https://login.microsoftonline.com/organizations/', 'organizations'],
    ['https://login.microsoftonline.com/consumers', 'consumers'],
    ['https://login.microsoftonline.com/contoso.onmicrosoft.com', 'contoso.onmicrosoft.com'],
    ['https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47', '72f988bf-86f1-41af-91ab-2d7cd011db47'],
    ['https://login.microsoftonline.us/contoso.us', 'contoso.us'],
    ['https://login.chinacloudapi.cn/contoso.partner.onmschina.cn', 'contoso.partner.onmschina.cn'],
    ['https://login.partner.microsoftonline.cn/common', 'common'],
    ['https://login.windows.net/common', 'common'],
    ['https://login.usgovcloudapi.net/common', 'common'],
  ])('Entra %s', (url, tenant) => {
    const a = ok(url)
    expect(a.kind).toBe('entra')
    expect(a.tenant).toBe(tenant)
    expect(a.url).toBe(`${url.replace(/\/$/, '')}/`)
  })

  it('lower-cases the host, keeps the port, adds a trailing slash', () => {
    const a = ok('HTTPS://Login.MicrosoftOnline.COM/Contoso.com')
    expect(a).toEqual({ kind: 'entra', url: 'https://login.microsoftonline.com/Contoso.com/', host: 'login.microsoftonline.com', tenant: 'Contoso.com', path: 'Contoso.com' })
    const local = ok('https://127.0.0.1:8443/common')
    expect(local.host).toBe('127.0.0.1:8443')
    expect(local.url).toBe('https://127.0.0.1:8443/common/')
    expect(ok('https://login.microsoftonline.com:443/common').url).toBe('https://login.microsoftonline.com/common/')
  })

  it('B2C forms', () => {
    const a = ok('https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/B2C_1_SignupSignin')
    expect(a).toMatchObject({ kind: 'b2c', tenant: 'fabrikamb2c.onmicrosoft.com', path: 'fabrikamb2c.onmicrosoft.com/B2C_1_SignupSignin' })
    const tfp = ok('https://login.microsoftonline.com/tfp/fabrikamb2c.onmicrosoft.com/b2c_1_susi')
    expect(tfp).toMatchObject({ kind: 'b2c', tenant: 'fabrikamb2c.onmicrosoft.com', url: 'https://login.microsoftonline.com/tfp/fabrikamb2c.onmicrosoft.com/b2c_1_susi/' })
    expect(ok('https://custom.example/contoso.onmicrosoft.com/B2C_1_x').kind).toBe('b2c')
    expect(err('https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com').field).toBe('policy')
    expect(err('https://login.microsoftonline.com/tfp/t').field).toBe('policy')
  })

  it('ADFS', () => {
    expect(ok('https://fs.contoso.com/adfs')).toMatchObject({ kind: 'adfs', tenant: 'adfs', url: 'https://fs.contoso.com/adfs/' })
    expect(ok('https://fs.contoso.com/ADFS/').tenant).toBe('adfs')
  })

  it('CIAM short and full forms', () => {
    expect(ok('https://contoso.ciamlogin.com')).toMatchObject({
      kind: 'ciam',
      tenant: 'contoso.onmicrosoft.com',
      url: 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com/',
    })
    expect(ok('https://contoso.ciamlogin.com/')).toMatchObject({ url: 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com/' })
    expect(ok('https://contoso.ciamlogin.com/00000000-0000-0000-0000-000000000001')).toMatchObject({ kind: 'ciam', tenant: '00000000-0000-0000-0000-000000000001' })
    expect(ok('https://contoso.ciamlogin.com/adfs').kind).toBe('ciam')
  })

  it('generic OIDC with or without a path, and dSTS', () => {
    expect(ok('https://127.0.0.1:9000', { oidcAuthority: true })).toMatchObject({ kind: 'oidc', tenant: '', url: 'https://127.0.0.1:9000/', path: '' })
    expect(E.isRight(parseOidcAuthority('https://accounts.example.com/realms/x'))).toBe(true)
    expect(ok('https://some.dsts.core.windows.net/dstsv2/7a433bfc').kind).toBe('oidc')
  })

  it('keeps a query string apart from the canonical url', () => {
    const a = ok('https://login.microsoftonline.com/common?dc=ESTS-PUB')
    expect(a.url).toBe('https://login.microsoftonline.com/common/')
    expect(a.query).toBe('dc=ESTS-PUB')
  })

  it.each([
    ['http://login.microsoftonline.com/common', 'authority', /https/],
    ['login.microsoftonline.com/common', 'authority', /not a valid URL/],
    ['https://', 'authority', /not a valid URL/],
    ['', 'authority', /empty/],
    ['https://login.microsoftonline.com', 'tenant', /no tenant/],
    ['https://login.microsoftonline.com/', 'tenant', /no tenant/],
    ['https://user:pw@login.microsoftonline.com/common', 'authority', /credentials/],
    ['https://login.microsoftonline.com/common#x', 'authority', /fragment/],
    ['https://login.microsoftonline.com/ common', 'authority', /whitespace/],
    ['ftp://x/y', 'authority', /https/],
  ])('rejects %s', (url, field, message) => {
    const e = err(url)
    expect(e._tag).toBe('ConfigError')
    expect(e.code).toBe('invalid_authority')
    expect(e.field).toBe(field)
    expect(e.message).toMatch(message)
  })

  it('names oidcAuthority as the field for OIDC input', () => {
    expect(err('http://127.0.0.1', { oidcAuthority: true }).field).toBe('oidcAuthority')
  })

  it('never throws and is idempotent on its canonical url (property)', () => {
    const urlish = fc.oneof(
      fc.string(),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.tuple(fc.constantFrom('https://', 'http://', 'HTTPS://', 'https:'), fc.domain(), fc.array(fc.constantFrom('common', 'adfs', 'tfp', 'b2c_1_x', 'x.onmicrosoft.com', '', '..', '%20', 'dstsv2'), { maxLength: 4 })).map(
        ([s, d, p]) => `${s}${d}/${p.join('/')}`,
      ),
      fc.tuple(fc.domain(), fc.integer({ min: 1, max: 65535 })).map(([d, port]) => `https://${d}:${port}/t`),
      fc.domain().map((d) => `https://${d.split('.')[0]}.ciamlogin.com`),
    )
    fc.assert(
      fc.property(urlish, fc.boolean(), (s, oidc) => {
        const r = parseAuthority(s, { oidcAuthority: oidc })
        if (E.isLeft(r)) {
          expect(r.left._tag).toBe('ConfigError')
          return
        }
        const a = r.right
        expect(a.url.startsWith('https://')).toBe(true)
        expect(a.url.endsWith('/')).toBe(true)
        const again = parseAuthority(a.query === undefined ? a.url : `${a.url}?${a.query}`, { oidcAuthority: oidc })
        expect(again).toEqual(E.right(a))
      }),
      { numRuns: 2000 },
    )
  })
})

describe('authorityFor', () => {
  it('builds authorities in every cloud', () => {
    expect(authorityFor(AzureCloudInstance.AzurePublic, 'common')).toMatchObject(E.right({ url: 'https://login.microsoftonline.com/common/' }))
    expect(authorityFor(AzureCloudInstance.AzureUsGovernment, '/contoso.us/')).toMatchObject(E.right({ url: 'https://login.microsoftonline.us/contoso.us/' }))
    expect(authorityFor('https://login.chinacloudapi.cn/', 'organizations')).toMatchObject(E.right({ url: 'https://login.chinacloudapi.cn/organizations/' }))
    expect(authorityFor(AzureCloudInstance.AzurePublic, '')).toMatchObject(E.left({ field: 'tenant' }))
  })
})
