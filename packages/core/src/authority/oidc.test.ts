/**
 * The OIDC issuer and same-cloud checks, with literal expected values taken from MSAL
 * Python's `Authority.has_valid_issuer` and `_ensure_endpoint_same_cloud_as_authority`
 * (the versions with `_resolve_known_cloud`; MSAL Python 1.21 had no issuer check), each
 * case worked through its ordered steps in the comment beside it.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { parseAuthority } from './parse.js'
import { checkOidcMetadata, hasValidIssuer } from './oidc.js'
import type { Authority, AuthorityMetadata } from './types.js'

const oidc = (url: string): Authority => {
  const r = parseAuthority(url, { oidcAuthority: true })
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const endpoints = (base: string, issuer: string, extra: Partial<AuthorityMetadata> = {}): AuthorityMetadata => ({
  issuer,
  authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
  token_endpoint: `${base}/oauth2/v2.0/token`,
  ...extra,
})

describe('hasValidIssuer: scheme', () => {
  it('http against https on the same host is refused (step 2 needs the same scheme and netloc)', () => {
    expect(hasValidIssuer('http://idp.example/x', 'https://idp.example/x')).toBe(false)
    expect(hasValidIssuer('http://idp.example/other', 'https://idp.example/x')).toBe(false)
  })

  it('the same scheme and host with another path is accepted (step 2)', () => {
    expect(hasValidIssuer('https://idp.example/other', 'https://idp.example/x')).toBe(true)
  })

  it('the same host on another port is refused (step 2 compares the netloc, port included)', () => {
    expect(hasValidIssuer('https://idp.example:8443/x', 'https://idp.example/x')).toBe(false)
    expect(hasValidIssuer('https://idp.example:8443/y', 'https://idp.example:8443/x')).toBe(true)
  })

  it('an http Microsoft-cloud issuer is refused under a custom domain (step 4 needs https)', () => {
    expect(hasValidIssuer('http://login.microsoftonline.com/t/v2.0', 'https://login.contoso.com/t')).toBe(false)
    expect(hasValidIssuer('https://login.microsoftonline.com/t/v2.0', 'https://login.contoso.com/t')).toBe(true)
  })

  it('an http regional Microsoft issuer is refused under its own cloud', () => {
    expect(hasValidIssuer('http://westus2.login.microsoft.com/t/v2.0', 'https://login.microsoftonline.com/t')).toBe(false)
    expect(hasValidIssuer('https://westus2.login.microsoft.com/t/v2.0', 'https://login.microsoftonline.com/t')).toBe(true)
  })
})

describe('hasValidIssuer: hosts in no alias group', () => {
  it('a region-shaped prefix on a host no alias group names is no Microsoft cloud (step 4), nor the authority host (step 5)', () => {
    expect(hasValidIssuer('https://westus2.evil.example/t', 'https://login.contoso.com/t')).toBe(false)
  })

  it('a region-shaped prefix on the authority host itself is accepted (step 5)', () => {
    expect(hasValidIssuer('https://westus2.login.contoso.com/t', 'https://login.contoso.com/t')).toBe(true)
  })

  it('a regional host of another cloud is refused (step 4: US Gov is not Public)', () => {
    expect(hasValidIssuer('https://usgovvirginia.login.microsoftonline.us/t', 'https://login.microsoftonline.com/t')).toBe(false)
    expect(hasValidIssuer('https://login.microsoftonline.de/t', 'https://login.microsoftonline.com/t')).toBe(false)
  })

  it('aliases of one cloud accept each other (step 4)', () => {
    expect(hasValidIssuer('https://sts.windows.net/t/', 'https://login.microsoftonline.com/t')).toBe(true)
    expect(hasValidIssuer('https://login.usgovcloudapi.net/t', 'https://login.microsoftonline.us/t')).toBe(true)
  })

  it('an empty or host-less issuer is refused', () => {
    expect(hasValidIssuer('', 'https://idp.example/x')).toBe(false)
    expect(hasValidIssuer('urn:example:idp', 'https://idp.example/x')).toBe(false)
  })
})

describe('hasValidIssuer: CIAM, region shapes and B2C', () => {
  it('a CIAM issuer must name the authority\'s tenant, with no path or /<tenant>[/v2.0] (step 3)', () => {
    expect(hasValidIssuer('https://contoso.ciamlogin.com/', 'https://login.contoso.com/contoso')).toBe(true)
    expect(hasValidIssuer('https://contoso.ciamlogin.com/Contoso/V2.0/', 'https://login.contoso.com/contoso')).toBe(true)
    expect(hasValidIssuer('https://contoso.ciamlogin.com/other', 'https://login.contoso.com/contoso')).toBe(false)
    expect(hasValidIssuer('https://contoso.ciamlogin.com/contoso/v2.0/extra', 'https://login.contoso.com/contoso')).toBe(false)
  })

  it('a path-less authority gives its tenant from the first host label (step 3)', () => {
    expect(hasValidIssuer('https://contoso.ciamlogin.com/contoso', 'https://contoso.example/')).toBe(true)
    expect(hasValidIssuer('https://contoso.ciamlogin.com/contoso', 'https://fabrikam.example/')).toBe(false)
  })

  it('a CIAM issuer of another tenant is refused, never let through as B2C (steps 3 and 6)', () => {
    expect(hasValidIssuer('https://x.ciamlogin.com/t', 'https://idp.example/')).toBe(false)
  })

  it('a region prefix must be one DNS label over exactly the authority host (step 5)', () => {
    expect(hasValidIssuer('https://-eu.idp.example/', 'https://idp.example/')).toBe(false)
    expect(hasValidIssuer('https://eu.sub.idp.example/', 'https://idp.example/')).toBe(false)
    expect(hasValidIssuer('https://eu.idp.example/', 'https://idp.example/')).toBe(true)
  })

  it('a B2C subdomain of any B2C cloud is accepted, the bare B2C host is not (step 6)', () => {
    expect(hasValidIssuer('https://fabrikam.b2clogin.cn/t', 'https://idp.example/')).toBe(true)
    expect(hasValidIssuer('https://b2clogin.com/t', 'https://idp.example/')).toBe(false)
  })
})

describe('checkOidcMetadata: endpoints stay in the authority\'s cloud', () => {
  it('a Microsoft authority whose token endpoint is on a host no alias group names is refused', () => {
    const a = oidc('https://login.microsoftonline.com/t/v2.0')
    const m = endpoints('https://login.microsoftonline.com/t', 'https://login.microsoftonline.com/t/v2.0', {
      token_endpoint: 'https://evil.example/t/oauth2/v2.0/token',
    })
    expect(checkOidcMetadata(a, m)).toEqual(E.left(expect.objectContaining({ _tag: 'ValidationError', code: 'issuer_mismatch' })))
  })

  it('a Microsoft authority on another port is still held to its cloud', () => {
    const a = oidc('https://login.microsoftonline.com:8443/t/v2.0')
    const m = endpoints('https://login.microsoftonline.com/t', 'https://login.microsoftonline.com:8443/t/v2.0', {
      authorization_endpoint: 'https://evil.example/t/oauth2/v2.0/authorize',
    })
    expect(checkOidcMetadata(a, m)).toEqual(E.left(expect.objectContaining({ _tag: 'ValidationError', code: 'issuer_mismatch' })))
  })

  it('a device authorization endpoint in another cloud is refused', () => {
    const a = oidc('https://login.microsoftonline.com/t/v2.0')
    const m = endpoints('https://login.microsoftonline.com/t', 'https://login.microsoftonline.com/t/v2.0', {
      device_authorization_endpoint: 'https://login.microsoftonline.us/t/oauth2/v2.0/devicecode',
    })
    expect(checkOidcMetadata(a, m)).toEqual(E.left(expect.objectContaining({ _tag: 'ValidationError', code: 'issuer_mismatch' })))
  })

  it('regional endpoints of the same cloud are accepted', () => {
    const a = oidc('https://login.microsoftonline.com/t/v2.0')
    const m = endpoints('https://westus2.login.microsoft.com/t', 'https://login.microsoftonline.com/t/v2.0')
    expect(checkOidcMetadata(a, m)).toEqual(E.right(m))
  })

  it('a custom-domain authority is not constrained (MSAL: a no-op when the authority is no known cloud)', () => {
    const a = oidc('https://login.contoso.com/t')
    const m = endpoints('https://elsewhere.example/t', 'https://login.microsoftonline.com/t/v2.0')
    expect(checkOidcMetadata(a, m)).toEqual(E.right(m))
  })

  it('an http issuer on the authority\'s host is refused with what to do next', () => {
    const a = oidc('https://idp.example/realms/x')
    const r = checkOidcMetadata(a, endpoints('https://idp.example/realms/x', 'http://idp.example/realms/x'))
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'ValidationError', code: 'issuer_mismatch' })))
    expect(E.isLeft(r) && r.left.message).toContain('Use the issuer URL itself as oidcAuthority')
  })
})
