/**
 * The loopback listener under hostile requests, over raw sockets on 127.0.0.1: an
 * oversized request line, oversized headers and an oversized form_post body (declared or
 * chunked) are refused with a 4xx without reading on (bounded memory), a slow drip neither
 * blocks the real redirect nor outlives the listener, a request to another path is
 * ignored, and a second redirect after the first changes nothing. Each ends with the
 * listener closed and the right result or a typed error.
 */
import * as net from 'node:net'
import { describe, expect, it } from 'vitest'
import { loopbackRedirect, type LoopbackRedirectOptions } from './loopbackRedirect.js'

const capture = () => {
  let resolveUri: (u: string) => void = () => undefined
  const uri = new Promise<string>((r) => (resolveUri = r))
  const opts: Pick<LoopbackRedirectOptions, 'authUri' | 'opener'> = {
    authUri: (redirectUri) => `https://idp.example/authorize?redirect_uri=${encodeURIComponent(redirectUri)}`,
    opener: async (url) => resolveUri(new URL(url).searchParams.get('redirect_uri') ?? ''),
  }
  return { uri, opts }
}

const refused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.on('connect', () => {
      s.destroy()
      resolve(false)
    })
    s.on('error', () => resolve(true))
  })

const portOf = (redirectUri: string): number => Number(new URL(redirectUri).port)

interface RawAnswer {
  /** The status of the answer, 0 when none came. */
  readonly status: number
  /** Bytes the client managed to write before the server stopped it or it finished. */
  readonly written: number
}

/**
 * Writes `head`, then `body` in 64 KiB pieces (up to `bodyBytes`), as fast as the socket
 * takes them, and resolves with the status the server answered once the socket closes.
 */
const raw = (port: number, head: string, bodyBytes = 0, timeoutMs = 5_000): Promise<RawAnswer> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    let text = ''
    let written = 0
    let closed = false
    const timer = setTimeout(() => s.destroy(), timeoutMs)
    s.on('data', (d: Buffer) => void (text += d.toString('latin1')))
    s.on('error', () => undefined)
    s.on('close', () => {
      closed = true
      clearTimeout(timer)
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), written })
    })
    s.on('connect', async () => {
      const piece = Buffer.alloc(64 * 1024, 'a')
      const write = (chunk: Buffer | string): Promise<void> =>
        new Promise((done) => {
          if (closed || s.destroyed) return done()
          written += Buffer.byteLength(chunk)
          if (s.write(chunk)) done()
          else {
            s.once('drain', done)
            s.once('close', done)
          }
        })
      await write(head)
      for (let sent = 0; sent < bodyBytes && !closed; sent += piece.length) await write(piece)
      if (!closed) s.end()
    })
  })

const redirect = (port: number, query: string): Promise<RawAnswer> => raw(port, `GET /?${query} HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`)

/** Runs a listener, hands its port to `attack`, then sends the real redirect; gives the result. */
const underAttack = async (attack: (port: number) => Promise<void>, options: Partial<LoopbackRedirectOptions> = {}) => {
  const { uri, opts } = capture()
  const pending = loopbackRedirect({ timeoutMs: 5_000, state: 's-1', ...opts, ...options })()
  const port = portOf(await uri)
  await attack(port)
  const good = await redirect(port, 'code=the-code&state=s-1')
  const result = await pending
  return { port, result, good }
}

const MiB = 1024 * 1024

describe('loopbackRedirect under hostile requests', () => {
  it('a 1 MiB request line: refused (431) without taking the listener down; the real redirect is then taken and the listener closed', async () => {
    const { port, result, good } = await underAttack(async (p) => {
      const answer = await raw(p, `GET /?code=${'A'.repeat(MiB)}&state=s-1 HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`)
      expect([400, 414, 431]).toContain(answer.status)
    })
    expect(good.status).toBe(200)
    expect(result).toMatchObject({ _tag: 'Right', right: { params: { code: 'the-code', state: 's-1' }, responseMode: 'query' } })
    expect(await refused(port)).toBe(true)
  })

  it('1 MiB of headers (one huge header, then 10,000 small ones): refused (431), the listener goes on', async () => {
    const { port, result } = await underAttack(async (p) => {
      const huge = await raw(p, `GET /?code=c&state=s-1 HTTP/1.1\r\nHost: localhost:${p}\r\nX-Big: ${'b'.repeat(MiB)}\r\n\r\n`)
      expect([400, 431]).toContain(huge.status)
      const many = await raw(p, `GET /?code=c&state=s-1 HTTP/1.1\r\nHost: localhost:${p}\r\n${Array.from({ length: 10_000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`)
      expect([400, 431]).toContain(many.status)
    })
    expect(result).toMatchObject({ _tag: 'Right', right: { params: { code: 'the-code' } } })
    expect(await refused(port)).toBe(true)
  })

  it('a form_post body declaring 1 GiB: 413 at once, nothing read; one sending 64 MiB chunked: 413 and the connection closed well before the end', async () => {
    const { port, result } = await underAttack(async (p) => {
      const declared = await raw(
        p,
        `POST / HTTP/1.1\r\nHost: localhost:${p}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${1024 * MiB}\r\n\r\ncode=c&state=s-1&pad=`,
        64 * MiB,
      )
      expect(declared.status).toBe(413)
      expect(declared.written).toBeLessThan(32 * MiB) // the listener closed the connection, it did not drain the body
      const chunked = await raw(
        p,
        `POST / HTTP/1.1\r\nHost: localhost:${p}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n${(64 * MiB).toString(16)}\r\ncode=c&state=s-1&pad=`,
        64 * MiB,
      )
      expect(chunked.status).toBe(413)
      expect(chunked.written).toBeLessThan(32 * MiB)
    })
    expect(result).toMatchObject({ _tag: 'Right', right: { params: { code: 'the-code' } } })
    expect(await refused(port)).toBe(true)
  })

  it('a form_post body just under the limit is read; just over it is 413', async () => {
    const { uri, opts } = capture()
    const pending = loopbackRedirect({ timeoutMs: 5_000, state: 's-1', maxBodyBytes: 1024, ...opts })()
    const port = portOf(await uri)
    const post = (body: string) =>
      raw(port, `POST / HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`)
    const over = `code=c&state=s-1&pad=${'p'.repeat(1024)}`
    expect((await post(over)).status).toBe(413)
    const under = `code=c&state=s-1&pad=${'p'.repeat(1024 - 21)}`
    expect(under.length).toBe(1024)
    expect((await post(under)).status).toBe(200)
    expect(await pending).toMatchObject({ _tag: 'Right', right: { params: { code: 'c' }, responseMode: 'form_post' } })
    expect(await refused(port)).toBe(true)
  })

  it('a slow drip (one byte of a request every 20 ms) does not hold up the real redirect, and is cut when the listener closes', async () => {
    let dripClosed: Promise<void> = Promise.resolve()
    const { port, result } = await underAttack(async (p) => {
      const s = net.connect(p, '127.0.0.1')
      s.on('error', () => undefined)
      const text = `POST / HTTP/1.1\r\nHost: localhost:${p}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\ncode=evil&state=s-1`
      let at = 0
      const timer = setInterval(() => (at < text.length && !s.destroyed ? s.write(text[at++] ?? '') : undefined), 20)
      dripClosed = new Promise((resolve) => s.on('close', () => (clearInterval(timer), resolve())))
      await new Promise((r) => setTimeout(r, 200))
    })
    expect(result).toMatchObject({ _tag: 'Right', right: { params: { code: 'the-code' } } })
    await dripClosed // the listener closed the dripping connection too
    expect(await refused(port)).toBe(true)
  })

  it('a slow drip and no redirect: a typed timeout when timeoutMs is up, the drip cut, the listener closed', async () => {
    const { uri, opts } = capture()
    const started = Date.now()
    const pending = loopbackRedirect({ timeoutMs: 400, state: 's-1', ...opts })()
    const port = portOf(await uri)
    const s = net.connect(port, '127.0.0.1')
    s.on('error', () => undefined)
    const timer = setInterval(() => (!s.destroyed ? s.write('G') : undefined), 20)
    const dripClosed = new Promise<void>((resolve) => s.on('close', () => (clearInterval(timer), resolve())))
    const result = await pending
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'timeout' } })
    expect(result._tag === 'Left' && result.left.message).toMatch(/within 400 ms.*Try again/)
    expect(Date.now() - started).toBeLessThan(3_000)
    await dripClosed
    expect(await refused(port)).toBe(true)
  })

  it('a redirect to another path (GET or POST /callback) is 404 and ignored; the one on / is taken', async () => {
    const { uri, opts } = capture()
    const pending = loopbackRedirect({ timeoutMs: 5_000, state: 's-1', ...opts })()
    const p = portOf(await uri)
    expect((await raw(p, `GET /callback?code=evil&state=s-1 HTTP/1.1\r\nHost: localhost:${p}\r\nConnection: close\r\n\r\n`)).status).toBe(404)
    expect((await raw(p, `POST /callback HTTP/1.1\r\nHost: localhost:${p}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 21\r\nConnection: close\r\n\r\ncode=evil&state=s-1&x`)).status).toBe(404)
    expect((await redirect(p, 'code=good&state=s-1')).status).toBe(200)
    expect(await pending).toMatchObject({ _tag: 'Right', right: { params: { code: 'good' } } })
    expect(await refused(p)).toBe(true)
  })

  it('a second redirect after the first is not taken: the result is the first, the listener already closed', async () => {
    const { uri, opts } = capture()
    const pending = loopbackRedirect({ timeoutMs: 5_000, state: 's-1', ...opts })()
    const p = portOf(await uri)
    expect((await redirect(p, 'code=first&state=s-1')).status).toBe(200)
    const second = await redirect(p, 'code=second&state=s-1')
    expect(second.status).not.toBe(200) // refused (0) or 503
    expect(await pending).toMatchObject({ _tag: 'Right', right: { params: { code: 'first' } } })
    expect(await refused(p)).toBe(true)
  })

  it('two redirects at once: exactly one is taken, the other does not change the result', async () => {
    const { uri, opts } = capture()
    const pending = loopbackRedirect({ timeoutMs: 5_000, state: 's-1', ...opts })()
    const p = portOf(await uri)
    const answers = await Promise.all([redirect(p, 'code=one&state=s-1'), redirect(p, 'code=two&state=s-1')])
    const result = await pending
    expect(result._tag).toBe('Right')
    const code = result._tag === 'Right' ? result.right.params['code'] : undefined
    expect(['one', 'two']).toContain(code)
    expect(await pending).toEqual(result)
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1)
    expect(await refused(p)).toBe(true)
  })
})
