import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { checkIdentityForSource, pickManagedIdentitySource } from './environment.js'
import { systemAssignedManagedIdentity, userAssignedManagedIdentity, checkManagedIdentity } from './identity.js'

describe('pickManagedIdentitySource (MSAL Python get_managed_identity_source order)', () => {
  const kind = (env: Parameters<typeof pickManagedIdentitySource>[0]): string => E.match((e: { readonly code: string }) => `error:${e.code}`, (s: { readonly kind: string }) => s.kind)(pickManagedIdentitySource(env))
  it('picks each source from its variables, in order', () => {
    expect(kind({ IDENTITY_ENDPOINT: 'https://sf:2377/t', IDENTITY_HEADER: 'h', IDENTITY_SERVER_THUMBPRINT: 't' })).toBe('ServiceFabric')
    expect(kind({ IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token', IDENTITY_HEADER: 'h', IMDS_ENDPOINT: 'x' })).toBe('AppService')
    expect(kind({ MSI_ENDPOINT: 'http://ml/token', MSI_SECRET: 's' })).toBe('MachineLearning')
    expect(kind({ IDENTITY_ENDPOINT: 'http://localhost:40342/metadata/identity/oauth2/token', IMDS_ENDPOINT: 'http://localhost:40342' })).toBe('AzureArc')
    expect(kind({ arcAgentInstalled: true })).toBe('AzureArc')
    expect(kind({ MSI_ENDPOINT: 'http://localhost:50342/oauth2/token' })).toBe('CloudShell')
    expect(kind({})).toBe('Imds')
  })
  it('IMDS at 169.254.169.254 unless AZURE_POD_IDENTITY_AUTHORITY_HOST names another host', () => {
    expect(pickManagedIdentitySource({})).toEqual(E.right({ kind: 'Imds', endpoint: 'http://169.254.169.254/metadata/identity/oauth2/token' }))
    expect(pickManagedIdentitySource({ AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://10.0.0.1:2579/' })).toEqual(E.right({ kind: 'Imds', endpoint: 'http://10.0.0.1:2579/metadata/identity/oauth2/token' }))
  })
  it('an endpoint that is not an http(s) URL is a ConfigError naming the variable', () => {
    for (const v of ['not a url', 'file:///etc/passwd', '']) {
      const r = pickManagedIdentitySource({ IDENTITY_ENDPOINT: v === '' ? 'ftp://x' : v, IDENTITY_HEADER: 'h' })
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', field: 'IDENTITY_ENDPOINT' } })
    }
  })
  it('a user-assigned identity on Arc, Cloud Shell or Service Fabric is refused; on the others it is taken', () => {
    const user = userAssignedManagedIdentity({ clientId: 'c' })
    for (const source of [
      { kind: 'AzureArc', endpoint: 'http://a', keyFolder: '/k' },
      { kind: 'CloudShell', endpoint: 'http://c' },
      { kind: 'ServiceFabric', endpoint: 'http://s', identityHeader: 'h', serverThumbprint: 't' },
    ] as const)
      expect(checkIdentityForSource(source, user)).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'unsupported' } })
    expect(E.isRight(checkIdentityForSource({ kind: 'Imds', endpoint: 'http://i' }, user))).toBe(true)
    expect(E.isRight(checkIdentityForSource({ kind: 'AzureArc', endpoint: 'http://a', keyFolder: '/k' }, systemAssignedManagedIdentity()))).toBe(true)
  })
  it('checkManagedIdentity takes MSAL Python dicts and refuses none or several ids', () => {
    expect(checkManagedIdentity({ ManagedIdentityIdType: 'SystemAssigned', Id: null })).toEqual(E.right({ ManagedIdentityIdType: 'SystemAssigned', Id: null }))
    expect(checkManagedIdentity({ ManagedIdentityIdType: 'ObjectId', Id: 'o' })).toEqual(E.right({ ManagedIdentityIdType: 'ObjectId', Id: 'o' }))
    expect(E.isLeft(checkManagedIdentity(userAssignedManagedIdentity({ clientId: 'a', objectId: 'b' })))).toBe(true)
    expect(E.isLeft(checkManagedIdentity(userAssignedManagedIdentity({})))).toBe(true)
    expect(E.isLeft(checkManagedIdentity({ ManagedIdentityIdType: 'ClientId', Id: '' }))).toBe(true)
  })
})
