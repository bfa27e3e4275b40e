import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo } from 'node:net'
import { withRetry, type HttpRequest } from '@authfold/core'
import { createCertificateAuthority, issueCertificate, type CertificateAuthority, type GeneratedCertificate } from '@authfold/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodeHttpClient } from './nodeHttpClient.js'

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void

const listen = async (server: http.Server): Promise<number> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return (server.address() as AddressInfo).port
}

const close = async (server: http.Server): Promise<void> => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
}

describe('nodeHttpClient', () => {
  let ca: CertificateAuthority
  let cert: GeneratedCertificate
  let handler: Handler = (_req, res) => res.end()
  let tlsServer: https.Server
  let plainServer: http.Server
  let tlsPort = 0
  let plainPort = 0

  beforeAll(async () => {
    ca = await createCertificateAuthority()
    cert = await issueCertificate(ca, { commonName: '127.0.0.1', altNames: ['127.0.0.1'] })
    tlsServer = https.createServer({ key: cert.privateKeyPem, cert: cert.certificatePem }, (req, res) => handler(req, res))
    plainServer = http.createServer((req, res) => handler(req, res))
    tlsPort = await listen(tlsServer)
    plainPort = await listen(plainServer)
  })
  afterAll(async () => {
    await close(tlsServer)
    await close(plainServer)
  })

  it('sends method, headers and body, and answers any status with lower-case header names', async () => {
    handler = (req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        res.writeHead(400, { 'Content-Type': 'application/json', 'X-Echo-Length': req.headers['content-length'] ?? '' })
        res.end(JSON.stringify({ method: req.method, body, ct: req.headers['content-type'] }))
      })
    }
    const client = nodeHttpClient({ ca: ca.certificatePem })
    const result = await client({
      method: 'POST',
      url: `https://127.0.0.1:${tlsPort}/t/oauth2/v2.0/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=é',
    })()
    expect(result._tag).toBe('Right')
    if (result._tag !== 'Right') return
    expect(result.right.status).toBe(400)
    expect(result.right.headers['content-type']).toBe('application/json')
    expect(result.right.headers['x-echo-length']).toBe(String(Buffer.byteLength('a=1&b=é')))
    expect(JSON.parse(result.right.body)).toEqual({ method: 'POST', body: 'a=1&b=é', ct: 'application/x-www-form-urlencoded' })
  })

  it('speaks plain http too, and accepts a list of CAs and an agent', async () => {
    handler = (_req, res) => res.end('plain')
    const plain = await nodeHttpClient()({ method: 'GET', url: `http://127.0.0.1:${plainPort}/x`, headers: {} })()
    expect(plain).toMatchObject({ _tag: 'Right', right: { status: 200, body: 'plain' } })
    const agent = new https.Agent({ keepAlive: false })
    const viaAgent = await nodeHttpClient({ ca: [ca.certificatePem], agent })({ method: 'GET', url: `https://127.0.0.1:${tlsPort}/x`, headers: {} })()
    agent.destroy()
    expect(viaAgent).toMatchObject({ _tag: 'Right', right: { status: 200, body: 'plain' } })
  })

  it('turns an untrusted certificate into a network error that says to pass `ca`, without query or body', async () => {
    handler = (_req, res) => res.end('never')
    const result = await nodeHttpClient()({
      method: 'POST',
      url: `https://127.0.0.1:${tlsPort}/t/token?code=SECRET-CODE`,
      headers: {},
      body: 'client_secret=SECRET-BODY',
    })()
    expect(result._tag).toBe('Left')
    if (result._tag !== 'Left') return
    expect(result.left).toMatchObject({ _tag: 'HttpError', code: 'network', url: `https://127.0.0.1:${tlsPort}/t/token` })
    expect(result.left.message).toMatch(/`ca`/)
    expect(JSON.stringify(result.left)).not.toMatch(/SECRET/)
  })

  it('turns a refused connection into a network error', async () => {
    const closed = http.createServer()
    const port = await listen(closed)
    await close(closed)
    const result = await nodeHttpClient()({ method: 'GET', url: `http://127.0.0.1:${port}/?q=SECRET`, headers: {} })()
    expect(result).toMatchObject({ _tag: 'Left', left: { code: 'network' } })
    if (result._tag === 'Left') {
      expect(result.left.message).toContain('ECONNREFUSED')
      expect(JSON.stringify(result.left)).not.toContain('SECRET')
    }
  })

  it('gives up after timeoutMs with a timeout error', async () => {
    handler = () => undefined // never answers
    const started = Date.now()
    const result = await nodeHttpClient({ ca: ca.certificatePem, timeoutMs: 200 })({ method: 'GET', url: `https://127.0.0.1:${tlsPort}/slow?x=SECRET`, headers: {} })()
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(result).toMatchObject({ _tag: 'Left', left: { code: 'timeout', url: `https://127.0.0.1:${tlsPort}/slow` } })
    if (result._tag === 'Left') expect(result.left.message).toMatch(/200 ms.*timeoutMs/)
  })

  it('reports a connection reset mid-answer as a network error', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('partial')
      setTimeout(() => req.socket.destroy(), 20)
    }
    const result = await nodeHttpClient({ ca: ca.certificatePem })({ method: 'GET', url: `https://127.0.0.1:${tlsPort}/reset`, headers: {} })()
    expect(result).toMatchObject({ _tag: 'Left', left: { code: 'network' } })
  })

  it('reads an answer of exactly maxResponseBytes and closes the connection one byte past it', async () => {
    let closedByClient = false
    let overClosed: () => void = () => undefined
    const closed = new Promise<void>((resolve) => (overClosed = resolve))
    handler = (req, res) => {
      const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n'))
      res.writeHead(200, { 'Transfer-Encoding': 'chunked' })
      res.write('a'.repeat(n - 1))
      setTimeout(() => res.write('a'), 10)
      setTimeout(() => res.end(), 30)
      res.on('close', () => {
        closedByClient = !res.writableFinished
        if (n === 1001) overClosed()
      })
    }
    const client = nodeHttpClient({ maxResponseBytes: 1000 })
    expect(await client({ method: 'GET', url: `http://127.0.0.1:${plainPort}/n?n=1000`, headers: {} })()).toMatchObject({
      _tag: 'Right',
      right: { body: 'a'.repeat(1000) },
    })
    const over = await client({ method: 'GET', url: `http://127.0.0.1:${plainPort}/n?n=1001`, headers: {} })()
    expect(over).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'too_large', url: `http://127.0.0.1:${plainPort}/n` } })
    if (over._tag === 'Left') expect(over.left.message).toMatch(/passed the 1000-byte limit.*raise maxResponseBytes/)
    await Promise.race([closed, new Promise((r) => setTimeout(r, 5_000))])
    expect(closedByClient).toBe(true)
  })

  it('refuses a declared Content-Length past the limit at once, over TLS too', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(600 * 1024 * 1024) })
      res.write('x')
    }
    const started = Date.now()
    const result = await nodeHttpClient({ ca: ca.certificatePem, timeoutMs: 5_000 })({ method: 'GET', url: `https://127.0.0.1:${tlsPort}/big`, headers: {} })()
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(result).toMatchObject({ _tag: 'Left', left: { code: 'too_large' } })
    if (result._tag === 'Left') expect(result.left.message).toMatch(/declares 629145600 bytes, more than the 4194304-byte limit/)
  })

  it('answers aborted when the caller aborts, before the answer or while it drips', async () => {
    handler = (req, res) => {
      if (req.url === '/drip') {
        res.writeHead(200)
        const drip = setInterval(() => res.write('.'), 10)
        res.on('close', () => clearInterval(drip))
      }
    }
    for (const path of ['/hang?x=SECRET', '/drip']) {
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 80)
      const started = Date.now()
      const result = await nodeHttpClient({ timeoutMs: 5_000 })({ method: 'GET', url: `http://127.0.0.1:${plainPort}${path}`, headers: {}, signal: controller.signal })()
      expect(Date.now() - started).toBeLessThan(2_000)
      expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'aborted', url: `http://127.0.0.1:${plainPort}${path.replace(/\?.*/, '')}` } })
      if (result._tag === 'Left') expect(result.left.message).toMatch(/cancelled by the caller/)
    }
  })

  it('sends nothing for a request whose signal already fired', async () => {
    let requests = 0
    handler = (_req, res) => {
      requests++
      res.end()
    }
    const result = await nodeHttpClient()({ method: 'GET', url: `http://127.0.0.1:${plainPort}/x`, headers: {}, signal: AbortSignal.abort() })()
    expect(result).toMatchObject({ _tag: 'Left', left: { code: 'aborted' } })
    expect(requests).toBe(0)
  })

  it('turns a request Node refuses to build (a bad header) into a network error without throwing', async () => {
    const result = await nodeHttpClient()({ method: 'GET', url: `http://127.0.0.1:${plainPort}/x`, headers: { 'x-bad': 'a\r\nb' } })()
    expect(result).toMatchObject({ _tag: 'Left', left: { code: 'network' } })
    if (result._tag === 'Left') expect(result.left.message).toMatch(/could not be built \(TypeError: Invalid character in header content \["x-bad"\]\)/)
  })

  it('under withRetry, a GET whose connection is reset is sent again; a token POST is not unless asked', async () => {
    // MSAL Python 1.21's session against the same fault: the GET got 200 after 2 requests, the POST raised ConnectionError after 1.
    let requests = 0
    handler = (req, res) => {
      requests++
      req.resume()
      req.on('end', () => (requests === 1 ? req.socket.resetAndDestroy() : res.end('{"ok":true}')))
    }
    const once = async (request: HttpRequest, retryPosts = false) => {
      requests = 0
      const result = await withRetry({ retryPosts })(nodeHttpClient({ timeoutMs: 5_000 }))(request)()
      return { result: result._tag === 'Right' ? result.right.status : result.left.code, requests }
    }
    expect(await once({ method: 'GET', url: `http://127.0.0.1:${plainPort}/discovery`, headers: {} })).toEqual({ result: 200, requests: 2 })
    const post: HttpRequest = { method: 'POST', url: `http://127.0.0.1:${plainPort}/token`, headers: {}, body: 'grant_type=client_credentials' }
    expect(await once(post)).toEqual({ result: 'network', requests: 1 })
    expect(await once(post, true)).toEqual({ result: 200, requests: 2 })
  })

  it('rejects bad URLs and non-http protocols without throwing', async () => {
    expect(await nodeHttpClient()({ method: 'GET', url: 'not a url', headers: {} })()).toMatchObject({ _tag: 'Left', left: { code: 'network' } })
    expect(await nodeHttpClient()({ method: 'GET', url: 'ftp://127.0.0.1/x', headers: {} })()).toMatchObject({ _tag: 'Left', left: { code: 'network' } })
  })
})
