import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { leanEntraAuthority } from './entraAuthority.js'

describe('leanEntraAuthority', () => {
  it('reads an Entra tenant URL as the endpoints and cache fields Entra publishes, with its cloud’s aliases', () => {
    const r = leanEntraAuthority('https://login.microsoftonline.com/contoso.onmicrosoft.com/')
    expect(r).toMatchObject({
      _tag: 'Right',
      right: {
        metadata: { token_endpoint: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token' },
        environment: 'login.microsoftonline.com',
        realm: 'contoso.onmicrosoft.com',
      },
    })
    expect(r._tag === 'Right' && r.right.aliases).toEqual(['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'])
    expect(leanEntraAuthority('https://login.microsoftonline.us/72f988bf-86f1-41af-91ab-2d7cd011db47')).toMatchObject({
      right: { metadata: { token_endpoint: 'https://login.microsoftonline.us/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token' }, realm: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
    })
  })

  it('refuses what needs discovery or is no https tenant URL, with a ConfigError naming the full client', () => {
    for (const a of [
      'https://adfs.contoso.com/adfs',
      'https://contoso.b2clogin.com/tfp/contoso.onmicrosoft.com/B2C_1_signin',
      'https://contoso.b2clogin.com/contoso.onmicrosoft.com',
      'https://contoso.ciamlogin.com/contoso.onmicrosoft.com',
      'https://login.microsoftonline.com/contoso/v2.0',
      'http://login.microsoftonline.com/contoso',
      'https://login.microsoftonline.com/',
      'https://login.microsoftonline.com/..',
      'https://login.microsoftonline.com/%2e%2e',
      'https://login.microsoftonline.com/contoso?x=1',
      'login.microsoftonline.com/contoso',
      '',
    ]) {
      const r = leanEntraAuthority(a)
      expect(r._tag, a).toBe('Left')
      expect(r._tag === 'Left' && r.left).toMatchObject({ _tag: 'ConfigError', code: 'invalid_authority', field: 'authority' })
      expect(r._tag === 'Left' && r.left.message).toContain("'@authfold/client'")
    }
  })

  it('never throws, and what it accepts has an https token endpoint on the host and tenant given (fuzzed)', () => {
    const url = fc.oneof(
      fc.string(),
      fc.tuple(fc.domain(), fc.string({ minLength: 1, maxLength: 40 })).map(([h, t]) => `https://${h}/${t}`),
      fc.tuple(fc.constantFrom('login.microsoftonline.com', 'login.windows.net', 'login.chinacloudapi.cn'), fc.uuid()).map(([h, t]) => `https://${h}/${t}/`),
    )
    let accepted = 0
    fc.assert(
      fc.property(url, (u) => {
        const r = leanEntraAuthority(u)
        if (r._tag === 'Left') return
        accepted++
        const endpoint = new URL(r.right.metadata.token_endpoint)
        expect(endpoint.protocol).toBe('https:')
        expect(u.toLowerCase().startsWith(`https://${endpoint.host}/`)).toBe(true)
        expect(endpoint.pathname).toBe(`/${r.right.realm}/oauth2/v2.0/token`)
      }),
      { numRuns: 2000 },
    )
    expect(accepted).toBeGreaterThan(200)
  })
})
