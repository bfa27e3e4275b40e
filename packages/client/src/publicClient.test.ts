import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientSecret } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createPublicClient, publicClient, type PublicClientConfig } from './publicClient.js'
import type { AuthFailure } from './failure.js'

let idp: IdentityProvider
beforeAll(async () => {
  idp = await startIdentityProvider()
})
afterAll(async () => idp.stop())

describe('createPublicClient', () => {
  it('refuses a credential with a ConfigError that says to use a confidential client', () => {
    const config = { clientId: 'desktop-app', credential: clientSecret('s3cret') } as PublicClientConfig
    const r = publicClient(config)
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'invalid_credential', field: 'credential' } })
    expect(() => createPublicClient(config)).toThrow(/createConfidentialClient/)
    const thrown = (() => {
      try {
        createPublicClient(config)
        return undefined
      } catch (e: unknown) {
        return e as AuthFailure
      }
    })()
    expect(JSON.stringify(thrown?.authError)).not.toContain('s3cret')
  })

  it('refuses an empty client id', () => {
    expect(publicClient({ clientId: ' ' })).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', field: 'clientId' } })
  })

  it('resolves its authority over real HTTPS and moves its cache as MSAL JSON', async () => {
    const app = createPublicClient({ clientId: 'desktop-app', authority: idp.authority(), validateAuthority: false, http: nodeHttpClient({ ca: idp.ca }) })
    expect((await app.resolveAuthority()).realm).toBe(idp.tenantId)
    expect(JSON.parse(await app.serializeCache())).toEqual({ AccessToken: {}, Account: {}, AppMetadata: {}, IdToken: {}, RefreshToken: {} })
    expect(await app.te.deserializeCache('not json')()).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError' } })
  })
})
