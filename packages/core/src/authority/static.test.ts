import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { staticEntraAuthority } from './static.js'
import { KNOWN_CLOUD_ALIAS_GROUPS, knownAliasGroup } from './clouds.js'

describe('staticEntraAuthority', () => {
  it('builds the public cloud endpoints MSAL Python uses for a tenant, with the cloud aliases for cache reads', () => {
    const a = staticEntraAuthority('72f988bf-86f1-41af-91ab-2d7cd011db47')
    // MSAL Python 1.21: Authority("https://login.microsoftonline.com/<tenant>").token_endpoint
    expect(a.metadata.token_endpoint).toBe('https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token')
    expect(a.metadata.authorization_endpoint).toBe('https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize')
    expect(a.authority).toEqual({
      kind: 'entra',
      url: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/',
      host: 'login.microsoftonline.com',
      tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      path: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    })
    expect(a.environment).toBe('login.microsoftonline.com')
    expect(a.realm).toBe('72f988bf-86f1-41af-91ab-2d7cd011db47')
    expect(a.aliases).toEqual(['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'])
  })

  it('takes another cloud or a host of its own (lower-cased), whose only alias is itself', () => {
    expect(staticEntraAuthority('t', 'login.microsoftonline.us').aliases).toEqual(['login.microsoftonline.us', 'login.usgovcloudapi.net'])
    const own = staticEntraAuthority('t', 'Login.Example:8443')
    expect(own.metadata.token_endpoint).toBe('https://login.example:8443/t/oauth2/v2.0/token')
    expect(own.aliases).toEqual(['login.example:8443'])
  })

  it('gives every host the aliases of its group in KNOWN_CLOUD_ALIAS_GROUPS (its own small list agrees with the table)', () => {
    const expected = (h: string): ReadonlyArray<string> => {
      const group = knownAliasGroup(h)
      return group === undefined ? [h] : [h, ...group.aliases.filter((a) => a !== h)]
    }
    const known = KNOWN_CLOUD_ALIAS_GROUPS.flatMap((g) => g.aliases)
    const host = fc.oneof(fc.constantFrom(...known), fc.domain(), fc.constantFrom(...known).map((h) => h.toUpperCase()))
    fc.assert(
      fc.property(host, (h) => {
        expect(staticEntraAuthority('t', h).aliases).toEqual(expected(h.toLowerCase()))
      }),
      { numRuns: 500 },
    )
    for (const h of known) expect(staticEntraAuthority('t', h).aliases).toEqual(expected(h))
  })
})
