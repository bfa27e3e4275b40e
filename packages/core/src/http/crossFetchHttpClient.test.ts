// crossFetchHttpClient against a real HTTP server on 127.0.0.1 (cross-fetch is node-fetch on
// Node; the global fetch is replaced by one that fails, so every answer here came through
// cross-fetch). The built entry point `@authfold/core/cross-fetch` is tested from the packed
// tarball by scripts/tarballs.ts.
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { crossFetchHttpClient } from './crossFetchHttpClient.js'

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void

describe('crossFetchHttpClient', () => {
  let handler: Handler = (_req, res) => res.end()
  let server: http.Server
  let base = ''

  beforeAll(async () => {
    server = http.createServer((req, res) => handler(req, res))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    vi.stubGlobal('fetch', () => Promise.reject(new Error('the global fetch was called')))
  })
  afterAll(async () => {
    vi.unstubAllGlobals()
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  })
  afterEach(() => {
    handler = (_req, res) => res.end()
  })

  it('posts a form through node-fetch and answers any status with lower-case header names', async () => {
    handler = (req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        res.writeHead(400, { 'Content-Type': 'application/json', 'X-Seen-Agent': req.headers['user-agent'] ?? '' })
        res.end(JSON.stringify({ method: req.method, url: req.url, body, ct: req.headers['content-type'], custom: req.headers['x-client-sku'] }))
      })
    }
    const result = await crossFetchHttpClient()({
      method: 'POST',
      url: `${base}/tenant/oauth2/v2.0/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', 'x-client-sku': 'authfold.ts' },
      body: 'grant_type=client_credentials&scope=api%3A%2F%2Fa%2F.default',
    })()
    expect(result._tag).toBe('Right')
    if (result._tag !== 'Right') return
    expect(result.right.status).toBe(400)
    expect(result.right.headers['content-type']).toBe('application/json')
    expect(result.right.headers['x-seen-agent']).toMatch(/^node-fetch/)
    expect(JSON.parse(result.right.body)).toEqual({
      method: 'POST',
      url: '/tenant/oauth2/v2.0/token',
      body: 'grant_type=client_credentials&scope=api%3A%2F%2Fa%2F.default',
      ct: 'application/x-www-form-urlencoded;charset=utf-8',
      custom: 'authfold.ts',
    })
  })

  it('does not follow a redirect: the 302 is the answer', async () => {
    handler = (req, res) => {
      if (req.url === '/moved') {
        res.writeHead(302, { Location: '/elsewhere' })
        res.end()
      } else res.end('followed')
    }
    const result = await crossFetchHttpClient()({ method: 'GET', url: `${base}/moved`, headers: {} })()
    // node-fetch 2 makes a manual redirect's Location absolute
    expect(result).toMatchObject({ _tag: 'Right', right: { status: 302, headers: { location: `${base}/elsewhere` } } })
  })

  it('turns a refused connection into a network error naming the cause', async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    const result = await crossFetchHttpClient()({ method: 'GET', url: `http://127.0.0.1:${port}/x`, headers: {} })()
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'network' } })
    if (result._tag === 'Left') expect(result.left.message).toContain('ECONNREFUSED')
  })

  it('gives up after timeoutMs with a timeout error', async () => {
    handler = () => undefined // never answers
    const started = Date.now()
    const result = await crossFetchHttpClient({ timeoutMs: 200 })({ method: 'GET', url: `${base}/slow`, headers: {} })()
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'timeout' } })
    if (result._tag === 'Left') expect(result.left.message).toMatch(/200 ms/)
  })
})
