import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_MAX_RESPONSE_BYTES, abortedError, describeFailure, responseLimit, safeHost, tooLargeError } from './transportErrors.js'

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code })

describe('describeFailure', () => {
  it('keeps the name and message of what was thrown', () => {
    expect(describeFailure(new TypeError('Illegal invocation'))).toBe('TypeError: Illegal invocation')
    expect(describeFailure('a thrown string')).toBe('a thrown string')
    expect(describeFailure({})).toBe('error')
  })

  it("keeps the causes' messages and codes, as undici reports a refused connection", () => {
    const undici = new TypeError('fetch failed', { cause: withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED') })
    expect(describeFailure(undici)).toBe('TypeError: fetch failed; cause: connect ECONNREFUSED 127.0.0.1:1')
    const coded = new TypeError('fetch failed', { cause: withCode('socket hang up', 'ECONNRESET') })
    expect(describeFailure(coded)).toBe('TypeError: fetch failed; cause: ECONNRESET: socket hang up')
    const bare = new TypeError('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } })
    expect(describeFailure(bare)).toBe('TypeError: fetch failed; cause: UND_ERR_SOCKET')
  })

  it('describes an AggregateError cause (several addresses tried) by its first errors', () => {
    const aggregate = Object.assign(
      new AggregateError([withCode('connect ECONNREFUSED ::1:443', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1:443', 'ECONNREFUSED')], ''),
      { code: 'ECONNREFUSED' },
    )
    expect(describeFailure(new TypeError('fetch failed', { cause: aggregate }))).toBe(
      'TypeError: fetch failed; cause: connect ECONNREFUSED ::1:443, connect ECONNREFUSED 127.0.0.1:443',
    )
  })

  it('stops after two causes, drops control characters and keeps at most 300 characters', () => {
    const deep = new Error('a', { cause: new Error('b', { cause: new Error('c', { cause: new Error('d') }) }) })
    expect(describeFailure(deep)).toBe('Error: a; cause: b; cause: c')
    expect(describeFailure(new Error('line\n\u001b[31mred\u0007'))).toBe('Error: line [31mred ')
    const long = describeFailure(new Error('x'.repeat(1000)))
    expect(long).toHaveLength(300)
    expect(long.endsWith('…')).toBe(true)
  })

  it("removes URL queries and fragments, as node-fetch's messages carry the whole URL", () => {
    const nodeFetch = new Error('request to https://idp.example/t/token?code=SECRET-CODE#frag failed, reason: connect ECONNREFUSED')
    expect(describeFailure(nodeFetch)).toBe('Error: request to https://idp.example/t/token failed, reason: connect ECONNREFUSED')
  })

  it('replaces every header value, query value and form value of the request', () => {
    const request = {
      url: 'https://idp.example/t?state=STATE-VALUE',
      headers: { authorization: 'Basic Y2xpZW50OnNlY3JldA==' },
      body: 'client_secret=S3CRET-S3CRET&grant_type=client_credentials',
    }
    const e = new Error('echo S3CRET-S3CRET Basic Y2xpZW50OnNlY3JldA== STATE-VALUE client_credentials')
    expect(describeFailure(e, request)).toBe('Error: echo [redacted] [redacted] [redacted] [redacted]')
  })

  it('never shows a request value, whatever the message around it (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 20 }), fc.string(), fc.string(), (secret, before, after) => {
        const request = { url: 'https://idp.example/t', headers: {}, body: new URLSearchParams({ client_secret: secret }).toString() }
        const out = describeFailure(new Error(`${before}${secret}${after}`), request)
        expect(out.includes(secret)).toBe(false)
      }),
      { numRuns: 500 },
    )
  })

  it('withholds the details when the marker itself would show a request value', () => {
    const request = { url: 'https://idp.example/t', headers: {}, body: 'password=dact' }
    expect(describeFailure(new Error('dact'), request)).toBe('details withheld: they held request data')
  })
})

describe('transport error values', () => {
  it('too_large names the host, the limit and what to do, without the query', () => {
    expect(tooLargeError('https://idp.example/t/token?code=SECRET', 4_194_304)).toEqual({
      _tag: 'HttpError',
      code: 'too_large',
      url: 'https://idp.example/t/token',
      message:
        'The answer from idp.example passed the 4194304-byte limit and was not read. Check the authority URL and any proxy, or raise maxResponseBytes.',
    })
    expect(tooLargeError('https://idp.example/x', 10, 600_000_000).message).toMatch(/^The answer from idp.example declares 600000000 bytes, more than the 10-byte limit/)
  })

  it('aborted says the caller cancelled', () => {
    expect(abortedError('https://idp.example/t?x=1')).toMatchObject({ _tag: 'HttpError', code: 'aborted', url: 'https://idp.example/t' })
    expect(abortedError('https://idp.example/t').message).toMatch(/cancelled by the caller \(its AbortSignal fired\)/)
  })

  it('responseLimit takes a positive integer, else 4 MiB', () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(4_194_304)
    expect(responseLimit(undefined)).toBe(4_194_304)
    expect(responseLimit(1)).toBe(1)
    expect([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY].map(responseLimit)).toEqual(Array(5).fill(4_194_304))
  })

  it('safeHost', () => {
    expect(safeHost('https://login.microsoftonline.com:443/x?y')).toBe('login.microsoftonline.com')
    expect(safeHost('not a url')).toBe('the server')
  })
})
