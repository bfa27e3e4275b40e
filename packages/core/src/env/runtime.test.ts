import { describe, expect, it } from 'vitest'
import { checkRuntime } from './runtime.js'

describe('checkRuntime', () => {
  it('accepts this runtime (Node 20.19+ has global WebCrypto)', () => {
    expect(checkRuntime(globalThis)).toEqual({ _tag: 'Right', right: undefined })
  })

  it('refuses a runtime without global WebCrypto (Node 18) with a ConfigError that says to upgrade', () => {
    expect(checkRuntime({})).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'ConfigError',
        code: 'unsupported',
        message:
          'authfold needs Node 20.19 or later (WebCrypto: crypto.getRandomValues and crypto.subtle are missing from this runtime; ' +
          'Node 18 and older have no global WebCrypto). Upgrade Node, or use a runtime with WebCrypto (current browsers, Deno, Bun, workers).',
      },
    })
    expect(checkRuntime({ crypto: undefined })._tag).toBe('Left')
  })

  it('names the one part that is missing', () => {
    const noSubtle = checkRuntime({ crypto: { getRandomValues: () => new Uint8Array(0) } })
    expect(noSubtle._tag === 'Left' && noSubtle.left.message).toMatch(/^authfold needs Node 20\.19 or later \(WebCrypto: crypto\.subtle is missing from this runtime;/)
    const noRandom = checkRuntime({ crypto: { subtle: {}, getRandomValues: 'not a function' } })
    expect(noRandom._tag === 'Left' && noRandom.left.message).toMatch(/\(WebCrypto: crypto\.getRandomValues is missing/)
    expect(checkRuntime({ crypto: { subtle: null, getRandomValues: () => undefined } })._tag).toBe('Left')
  })
})
