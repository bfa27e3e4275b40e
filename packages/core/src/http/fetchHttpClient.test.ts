import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import crossFetch from 'cross-fetch'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { fetchHttpClient, leanFetchHttpClient, platformFetch, readCappedBody, type FetchLike } from './fetchHttpClient.js'

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void

const answer = (body: string, status = 200) => ({
  status,
  headers: new Headers({ 'Content-Type': 'application/json' }),
  body: new Response(body).body,
  text: () => Promise.resolve(body),
})

/** A fetch that behaves as the browser's and the Workers' one: it refuses any `this` but the global object or none. */
const strictFetch = vi.fn(function (this: unknown, _url: string, _init: unknown) {
  if (this !== undefined && this !== globalThis) return Promise.reject(new TypeError('Illegal invocation'))
  return Promise.resolve(answer('{"ok":true}'))
}) as unknown as FetchLike

const get = (url: string, signal?: AbortSignal) => ({ method: 'GET' as const, url, headers: {}, ...(signal === undefined ? {} : { signal }) })

describe('fetchHttpClient: calling fetch', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('calls a detached platform fetch as a plain function, as browsers and Workers require', async () => {
    const result = await fetchHttpClient({ fetch: strictFetch })(get('https://login.microsoftonline.com/common/x'))()
    expect(result).toMatchObject({ _tag: 'Right', right: { status: 200, body: '{"ok":true}' } })
  })

  it('uses the platform fetch, called on globalThis, when none is given', async () => {
    vi.stubGlobal('fetch', strictFetch)
    const result = await fetchHttpClient()(get('https://login.microsoftonline.com/common/x'))()
    expect(result).toMatchObject({ _tag: 'Right', right: { status: 200 } })
    expect(await platformFetch('https://login.microsoftonline.com/y', { method: 'GET', headers: {}, signal: new AbortController().signal, redirect: 'manual' })).toMatchObject({ status: 200 })
  })

  it("keeps the thrown error's name and message, and says what to do about Illegal invocation", async () => {
    const throwing: FetchLike = () => Promise.reject(new TypeError('Illegal invocation'))
    const result = await fetchHttpClient({ fetch: throwing })(get('https://login.microsoftonline.com/common/x?code=SECRET'))()
    expect(result).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        code: 'network',
        url: 'https://login.microsoftonline.com/common/x',
        message:
          'Could not reach login.microsoftonline.com (TypeError: Illegal invocation). The fetch function was called on the wrong object: pass `fetch.bind(globalThis)`, or leave the `fetch` option out.',
      },
    })
  })

  it('says what to pass when the runtime has no fetch', async () => {
    vi.stubGlobal('fetch', undefined)
    const result = await fetchHttpClient()(get('https://login.microsoftonline.com/common/x'))()
    expect(result._tag === 'Left' && result.left.message).toBe(
      'Could not reach login.microsoftonline.com (TypeError: this runtime has no global fetch; pass `fetch` (e.g. cross-fetch) or use nodeHttpClient). Check the authority URL, DNS, proxy and network.',
    )
  })

  it("keeps the cause of Node's fetch failure (ECONNREFUSED), never the query or a form value", async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const { port } = closed.address() as AddressInfo
    await new Promise((r) => closed.close(r))
    const result = await fetchHttpClient()({
      method: 'POST',
      url: `http://127.0.0.1:${port}/t/token?code=SECRET-CODE`,
      headers: {},
      body: 'client_secret=SECRET-BODY',
    })()
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'network', url: `http://127.0.0.1:${port}/t/token` } })
    if (result._tag !== 'Left') return
    expect(result.left.message).toMatch(new RegExp(`^Could not reach 127\\.0\\.0\\.1:${port} \\(TypeError: fetch failed; cause: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)\\.`))
    expect(JSON.stringify(result.left)).not.toMatch(/SECRET/)
  })
})

describe('leanFetchHttpClient: a network error names the host and the codes of what fetch threw, never its message', () => {
  it("names Node's fetch failure by its codes (TypeError < ECONNREFUSED), never the query or a form value", async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const { port } = closed.address() as AddressInfo
    await new Promise((r) => closed.close(r))
    const result = await leanFetchHttpClient()({ method: 'POST', url: `http://127.0.0.1:${port}/t/token?code=SECRET-CODE`, headers: {}, body: 'client_secret=SECRET-BODY' })()
    expect(result).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'HttpError',
        code: 'network',
        url: `http://127.0.0.1:${port}/t/token`,
        message: `Could not reach 127.0.0.1:${port} (TypeError < ECONNREFUSED). Check the authority URL, DNS, proxy and network.`,
      },
    })
  })

  it('leaves out a thrown message that holds request data, and any name or code that is not a plain identifier', async () => {
    const leaky: FetchLike = () =>
      Promise.reject(Object.assign(new TypeError('Headers.append: "Bearer SECRET-TOKEN" is an invalid header value'), { cause: { code: 'SECRET TOKEN in a code' } }))
    const result = await leanFetchHttpClient({ fetch: leaky })(get('https://login.microsoftonline.com/common/x'))()
    expect(result._tag === 'Left' && result.left.message).toBe('Could not reach login.microsoftonline.com (TypeError). Check the authority URL, DNS, proxy and network.')
    const bare: FetchLike = () => Promise.reject('a string with SECRET')
    const second = await leanFetchHttpClient({ fetch: bare })(get('https://login.microsoftonline.com/common/x'))()
    expect(second._tag === 'Left' && second.left.message).toBe('Could not reach login.microsoftonline.com (no detail). Check the authority URL, DNS, proxy and network.')
  })
})

describe('fetchHttpClient: answers, limits and cancellation against a local server', () => {
  let handler: Handler = (_req, res) => res.end()
  let server: http.Server
  let base = ''

  beforeAll(async () => {
    server = http.createServer((req, res) => handler(req, res))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  })

  it('sends method, headers and body, and answers any status with lower-case header names', async () => {
    handler = (req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        res.writeHead(400, { 'Content-Type': 'application/json', 'X-Seen': req.headers['x-custom'] ?? '' })
        res.end(JSON.stringify({ method: req.method, body }))
      })
    }
    const result = await fetchHttpClient()({ method: 'POST', url: `${base}/token`, headers: { 'X-Custom': 'v' }, body: 'a=1&b=é' })()
    expect(result).toMatchObject({ _tag: 'Right', right: { status: 400, headers: { 'content-type': 'application/json', 'x-seen': 'v' } } })
    if (result._tag === 'Right') expect(JSON.parse(result.right.body)).toEqual({ method: 'POST', body: 'a=1&b=é' })
  })

  it('decodes UTF-8 once, across chunk boundaries that split a character', async () => {
    const bytes = Buffer.from('{"name":"Zoë ✓"}', 'utf8')
    const split = bytes.indexOf(0xc3) + 1 // inside "ë"
    handler = (_req, res) => {
      res.writeHead(200)
      res.write(bytes.subarray(0, split))
      setTimeout(() => res.end(bytes.subarray(split)), 20)
    }
    expect(await fetchHttpClient()(get(`${base}/split`))()).toMatchObject({ _tag: 'Right', right: { body: '{"name":"Zoë ✓"}' } })
  })

  it('reads an answer of exactly maxResponseBytes and refuses one byte more, chunked', async () => {
    handler = (req, res) => {
      const n = Number(new URL(req.url ?? '/', base).searchParams.get('n'))
      res.writeHead(200, { 'Transfer-Encoding': 'chunked' })
      res.write('a'.repeat(n - 1))
      res.end('a')
    }
    const client = fetchHttpClient({ maxResponseBytes: 1000 })
    expect(await client(get(`${base}/n?n=1000`))()).toMatchObject({ _tag: 'Right', right: { body: 'a'.repeat(1000) } })
    const over = await client(get(`${base}/n?n=1001`))()
    expect(over).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'too_large', url: `${base}/n` } })
    if (over._tag === 'Left') expect(over.left.message).toMatch(/passed the 1000-byte limit.*raise maxResponseBytes/)
  })

  it('caps and aborts cross-fetch on Node too (node-fetch, whose body is an async iterable)', async () => {
    let closed = false
    handler = (req, res) => {
      if (req.url === '/hang') return
      res.writeHead(200)
      const drip = setInterval(() => res.write('a'.repeat(100)), 2)
      res.on('close', () => {
        closed = true
        clearInterval(drip)
      })
    }
    const client = fetchHttpClient({ fetch: crossFetch as unknown as FetchLike, maxResponseBytes: 1000, timeoutMs: 5_000 })
    expect(await client(get(`${base}/endless`))()).toMatchObject({ _tag: 'Left', left: { code: 'too_large' } })
    await new Promise((r) => setTimeout(r, 50))
    expect(closed).toBe(true)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 30)
    expect(await client(get(`${base}/hang`, controller.signal))()).toMatchObject({ _tag: 'Left', left: { code: 'aborted' } })
    handler = (_req, res) => res.end('{"ok":true}')
    expect(await client(get(`${base}/ok`))()).toMatchObject({ _tag: 'Right', right: { status: 200, body: '{"ok":true}' } })
  })

  it('refuses a declared Content-Length past the limit before reading the body', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(600 * 1024 * 1024) })
      res.write('x') // and never more
    }
    const started = Date.now()
    const result = await fetchHttpClient({ maxResponseBytes: 1000, timeoutMs: 5_000 })(get(`${base}/declared`))()
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(result).toMatchObject({ _tag: 'Left', left: { code: 'too_large' } })
    if (result._tag === 'Left') expect(result.left.message).toMatch(/declares 629145600 bytes, more than the 1000-byte limit/)
  })

  it('answers aborted when the caller aborts while waiting for headers, and quickly', async () => {
    handler = () => undefined // never answers
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const started = Date.now()
    const result = await fetchHttpClient({ timeoutMs: 5_000 })(get(`${base}/hang?x=SECRET`, controller.signal))()
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'aborted', url: `${base}/hang` } })
  })

  it('answers aborted when the caller aborts while the body drips', async () => {
    handler = (_req, res) => {
      res.writeHead(200)
      const drip = setInterval(() => res.write('.'), 10)
      res.on('close', () => clearInterval(drip))
    }
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const result = await fetchHttpClient({ timeoutMs: 5_000 })(get(`${base}/drip`, controller.signal))()
    expect(result).toMatchObject({ _tag: 'Left', left: { code: 'aborted' } })
  })

  it('does not call fetch for a request whose signal already fired', async () => {
    const spy = vi.fn(() => Promise.resolve(answer('{}')))
    const result = await fetchHttpClient({ fetch: spy as unknown as FetchLike })(get(`${base}/x`, AbortSignal.abort()))()
    expect(result).toMatchObject({ _tag: 'Left', left: { code: 'aborted' } })
    expect(spy).not.toHaveBeenCalled()
  })

  it('still times out, and tells timeout from abort, with a signal that never fires', async () => {
    handler = () => undefined
    const result = await fetchHttpClient({ timeoutMs: 100 })(get(`${base}/hang`, new AbortController().signal))()
    expect(result).toMatchObject({ _tag: 'Left', left: { code: 'timeout' } })
    if (result._tag === 'Left') expect(result.left.message).toMatch(/within 100 ms/)
  })

  it('leanFetchHttpClient keeps the same cap, timeout and abort (one transport underneath)', async () => {
    handler = (_req, res) => res.end('x'.repeat(1001))
    expect(await leanFetchHttpClient({ maxResponseBytes: 1000 })(get(`${base}/big`))()).toMatchObject({ _tag: 'Left', left: { code: 'too_large' } })
    handler = () => undefined
    expect(await leanFetchHttpClient({ timeoutMs: 100 })(get(`${base}/hang`))()).toMatchObject({ _tag: 'Left', left: { code: 'timeout' } })
    const spy = vi.fn(() => Promise.resolve(answer('{}')))
    expect(await leanFetchHttpClient({ fetch: spy as unknown as FetchLike })(get(`${base}/x`, AbortSignal.abort()))()).toMatchObject({ _tag: 'Left', left: { code: 'aborted' } })
    expect(spy).not.toHaveBeenCalled()
    handler = (_req, res) => res.end('{"ok":true}')
    expect(await leanFetchHttpClient()(get(`${base}/ok`))()).toMatchObject({ _tag: 'Right', right: { status: 200, body: '{"ok":true}' } })
  })

  it('is bounded by the timeout and the signal even when fetch ignores its signal', async () => {
    const deaf: FetchLike = () => new Promise(() => undefined)
    expect(await fetchHttpClient({ fetch: deaf, timeoutMs: 50 })(get(`${base}/x`))()).toMatchObject({ _tag: 'Left', left: { code: 'timeout' } })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    expect(await fetchHttpClient({ fetch: deaf, timeoutMs: 5_000 })(get(`${base}/x`, controller.signal))()).toMatchObject({
      _tag: 'Left',
      left: { code: 'aborted' },
    })
  })
})

describe('readCappedBody', () => {
  const noBody = (text: string) => ({ status: 200, headers: new Headers(), text: () => Promise.resolve(text) })

  it('falls back to text() where there is no body stream, counting UTF-8 bytes', async () => {
    expect(await readCappedBody(noBody('abc'), 3)).toEqual({ _tag: 'Body', text: 'abc' })
    expect(await readCappedBody(noBody('abcd'), 3)).toEqual({ _tag: 'TooLarge' })
    expect(await readCappedBody(noBody('éé'), 3)).toEqual({ _tag: 'TooLarge' }) // 4 bytes
  })

  it('reads an async iterable body (node-fetch) and stops it past the limit', async () => {
    let pulled = 0
    let closed = false
    const endless: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          pulled++
          return Promise.resolve({ done: false, value: new Uint8Array(100) })
        },
        return: () => {
          closed = true
          return Promise.resolve({ done: true, value: undefined })
        },
      }),
    }
    expect(await readCappedBody({ ...noBody(''), body: endless }, 1000)).toEqual({ _tag: 'TooLarge' })
    expect(pulled).toBe(11)
    expect(closed).toBe(true)
    const finite = (async function* () {
      yield new TextEncoder().encode('{"a":')
      yield new TextEncoder().encode('1}')
    })()
    expect(await readCappedBody({ ...noBody(''), body: finite }, 1000)).toEqual({ _tag: 'Body', text: '{"a":1}' })
  })

  it('joins a UTF-8 character split between chunks, from a stream and from an async iterable', async () => {
    const bytes = new TextEncoder().encode('{"name":"Zoë ✓"}')
    const split = bytes.indexOf(0xc3) + 1 // inside "ë" (0xc3 0xab)
    const parts = [bytes.slice(0, split), bytes.slice(split, split + 3), bytes.slice(split + 3)]
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => {
        for (const part of parts) c.enqueue(part)
        c.close()
      },
    })
    const iterable = (async function* () {
      yield* parts
    })()
    expect(await readCappedBody({ ...noBody(''), body: stream }, 100)).toEqual({ _tag: 'Body', text: '{"name":"Zoë ✓"}' })
    expect(await readCappedBody({ ...noBody(''), body: iterable }, 100)).toEqual({ _tag: 'Body', text: '{"name":"Zoë ✓"}' })
  })

  it('cancels a WHATWG stream past the limit', async () => {
    let cancelled = false
    const stream = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new Uint8Array(64)),
      cancel: () => {
        cancelled = true
      },
    })
    expect(await readCappedBody({ ...noBody(''), body: stream }, 100)).toEqual({ _tag: 'TooLarge' })
    expect(cancelled).toBe(true)
  })
})
