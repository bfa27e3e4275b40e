// An unsupported runtime (no global WebCrypto, as on Node 18) is refused when the client is
// made, with a message that says what to do; scripts/node18.test.ts proves it on a real Node 18.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { clientSecret } from '@authfold/core'
import { confidentialClient, createConfidentialClient } from './confidentialClient.js'
import { publicClient } from './publicClient.js'

const config = { clientId: 'app', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', credential: clientSecret('s') }

describe('a runtime without WebCrypto', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('gets a ConfigError at client creation, not a TypeError at the first call', () => {
    vi.stubGlobal('crypto', undefined)
    const made = confidentialClient(config)
    expect(made).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'unsupported' } })
    expect(publicClient({ clientId: 'app' })).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'unsupported' } })
    expect(() => createConfidentialClient(config)).toThrow(
      /^authfold needs Node 20\.19 or later \(WebCrypto: crypto\.getRandomValues and crypto\.subtle are missing from this runtime; Node 18 and older have no global WebCrypto\)\. Upgrade Node/,
    )
  })

  it('leaves a runtime with WebCrypto alone', () => {
    expect(confidentialClient(config)._tag).toBe('Right')
  })
})
