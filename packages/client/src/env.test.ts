import { afterEach, describe, expect, it } from 'vitest'
import { buildEnv } from './env.js'

const realFetch = globalThis.fetch

afterEach(() => {
  globalThis.fetch = realFetch
})

describe('buildEnv', () => {
  it('calls the platform fetch as a method of globalThis (browsers and Workers refuse a detached fetch)', async () => {
    const seen: unknown[] = []
    // As browsers' and workerd's fetch do: called with any other receiver, it throws.
    globalThis.fetch = function (this: unknown, input: RequestInfo | URL) {
      seen.push(this)
      if (this !== globalThis && this !== undefined) throw new TypeError('Illegal invocation')
      return Promise.resolve(new Response(JSON.stringify({ url: String(input) }), { status: 200, headers: { 'content-type': 'application/json' } }))
    } as typeof fetch
    const env = buildEnv({ disableHttpPolicy: true }, 5)
    const r = await env.http({ method: 'GET', url: 'https://login.example/x', headers: {} })()
    expect(r).toMatchObject({ _tag: 'Right', right: { status: 200, body: '{"url":"https://login.example/x"}' } })
    expect(seen).toHaveLength(1)
  })

  it('adds the library headers from libraryInfo even with the HTTP policy off', async () => {
    const sent: Record<string, string>[] = []
    const env = buildEnv(
      {
        disableHttpPolicy: true,
        libraryInfo: { sku: 'wrapper', version: '2.0', os: 'linux' },
        http: (req) => async () => {
          sent.push({ ...req.headers })
          return { _tag: 'Right', right: { status: 200, headers: {}, body: '' } }
        },
      },
      5,
    )
    await env.http({ method: 'GET', url: 'https://login.example/x', headers: {} })()
    expect(sent[0]).toMatchObject({ 'x-client-sku': 'wrapper', 'x-client-ver': '2.0', 'x-client-os': 'linux', 'x-ms-lib-capability': 'retry-after, h429' })
  })

  it('gives each env its own telemetry recorder', () => {
    const a = buildEnv({}, 5)
    const b = buildEnv({}, 5)
    a.telemetry?.record({ apiId: '730', correlationId: 'c-1', refreshReason: 2 }, { error: 'invalid_client' })
    const ctx = { apiId: '730', correlationId: 'c-2', refreshReason: 2 }
    expect(a.telemetry?.headers(ctx)['x-client-last-telemetry']).toBe('4|0|730,c-1|invalid_client|')
    expect(b.telemetry?.headers(ctx)['x-client-last-telemetry']).toBe('4|0|||')
  })
})
