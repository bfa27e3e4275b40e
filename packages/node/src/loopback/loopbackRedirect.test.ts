import * as net from 'node:net'
import { describe, expect, it } from 'vitest'
import { chromium } from 'playwright-core'
import { loopbackRedirect, type LoopbackRedirectOptions } from './loopbackRedirect.js'

/** Resolves with the redirect URI the listener gave the opener. */
const capture = () => {
  let resolveUri: (u: string) => void = () => undefined
  const uri = new Promise<string>((r) => (resolveUri = r))
  const opts: Pick<LoopbackRedirectOptions, 'authUri' | 'opener'> = {
    authUri: (redirectUri) => `https://idp.example/authorize?redirect_uri=${encodeURIComponent(redirectUri)}`,
    opener: async (url) => resolveUri(new URL(url).searchParams.get('redirect_uri') ?? ''),
  }
  return { uri, opts }
}

/** The listener is closed: nothing accepts a connection on its port any more. */
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
const at = (redirectUri: string, path: string): string => `http://127.0.0.1:${portOf(redirectUri)}${path}`

describe('loopbackRedirect', () => {
  it('takes a free port, gives http://localhost:<port>, returns the query of the redirect, shows the success page and closes', async () => {
    const { uri, opts } = capture()
    const pending = loopbackRedirect({ timeoutMs: 5_000, ...opts })()
    const redirectUri = await uri
    expect(redirectUri).toMatch(/^http:\/\/localhost:\d+$/)
    const favicon = await fetch(at(redirectUri, '/favicon.ico'))
    expect(favicon.status).toBe(404)
    const page = await fetch(at(redirectUri, '/?code=c-1&state=s-1&client_info=ci&session_state=x'))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Authentication completed. You can close this window now.')
    expect(await pending).toEqual({ _tag: 'Right', right: { redirectUri, params: { code: 'c-1', state: 's-1', client_info: 'ci', session_state: 'x' }, responseMode: 'query' } })
    expect(await refused(portOf(redirectUri))).toBe(true)
  })

  it('reads a form_post response', async () => {
    const { uri, opts } = capture()
    const pending = loopbackRedirect({ timeoutMs: 5_000, ...opts })()
    const redirectUri = await uri
    const page = await fetch(at(redirectUri, '/'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'code=c-2&state=s-2' })
    expect(page.status).toBe(200)
    expect(await pending).toMatchObject({ _tag: 'Right', right: { params: { code: 'c-2', state: 's-2' }, responseMode: 'form_post' } })
  })

  it('an error response is returned as parameters and shows the failure page, escaped', async () => {
    const { uri, opts } = capture()
    const pending = loopbackRedirect({ timeoutMs: 5_000, ...opts })()
    const redirectUri = await uri
    const page = await fetch(at(redirectUri, `/?error=access_denied&error_description=${encodeURIComponent('<script>alert(1)</script>')}`))
    const html = await page.text()
    expect(html).toContain('Authentication failed. access_denied: &lt;script&gt;alert(1)&lt;/script&gt;.')
    expect(html).not.toContain('<script>')
    expect(await pending).toMatchObject({ _tag: 'Right', right: { params: { error: 'access_denied' } } })
  })

  it('ignores a response for another state, another host name, and a request that is not a response; then takes the right one', async () => {
    const { uri, opts } = capture()
    const pending = loopbackRedirect({ timeoutMs: 5_000, state: 's-ok', ...opts })()
    const redirectUri = await uri
    expect((await fetch(at(redirectUri, '/?code=evil&state=s-other'))).status).toBe(400)
    expect((await fetch(at(redirectUri, '/'))).status).toBe(400)
    const rebound = await new Promise<number>((resolve, reject) => {
      const s = net.connect(portOf(redirectUri), '127.0.0.1', () => s.write(`GET /?code=evil&state=s-ok HTTP/1.1\r\nHost: attacker.example:${portOf(redirectUri)}\r\nConnection: close\r\n\r\n`))
      let text = ''
      s.on('data', (d) => (text += d.toString()))
      s.on('end', () => resolve(Number(text.split(' ')[1])))
      s.on('error', reject)
    })
    expect(rebound).toBe(400)
    await fetch(`${redirectUri}/?code=good&state=s-ok`) // by name, as the browser does
    expect(await pending).toMatchObject({ _tag: 'Right', right: { params: { code: 'good', state: 's-ok' } } })
  })

  it('listens on the port given', async () => {
    const probe = net.createServer()
    const port = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as net.AddressInfo).port)))
    await new Promise((r) => probe.close(r))
    const { uri, opts } = capture()
    const pending = loopbackRedirect({ port, timeoutMs: 5_000, ...opts })()
    expect(await uri).toBe(`http://localhost:${port}`)
    await fetch(`http://127.0.0.1:${port}/?code=c`)
    expect(await pending).toMatchObject({ _tag: 'Right' })
  })

  it('a port already taken is a ConfigError on port, and the browser is not opened', async () => {
    const busy = net.createServer()
    const port = await new Promise<number>((r) => busy.listen(0, '127.0.0.1', () => r((busy.address() as net.AddressInfo).port)))
    let opened = false
    const r = await loopbackRedirect({ port, timeoutMs: 5_000, authUri: (u) => u, opener: async () => void (opened = true) })()
    await new Promise((res) => busy.close(res))
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'invalid_argument', field: 'port' } })
    if (r._tag === 'Left') expect(r.left.message).toContain('already in use')
    expect(opened).toBe(false)
  })

  it('a browser that never comes back is an HttpError timeout, and the listener is closed', async () => {
    const { uri, opts } = capture()
    const started = Date.now()
    const r = await loopbackRedirect({ timeoutMs: 300, ...opts })()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'timeout' } })
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(await refused(portOf(await uri))).toBe(true)
  })

  it('the signal ends the wait (aborted) and closes the listener; an aborted signal opens nothing', async () => {
    const { uri, opts } = capture()
    const controller = new AbortController()
    const pending = loopbackRedirect({ timeoutMs: 5_000, signal: controller.signal, ...opts })()
    const redirectUri = await uri
    controller.abort()
    expect(await pending).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'aborted' } })
    expect(await refused(portOf(redirectUri))).toBe(true)
    let opened = false
    const r = await loopbackRedirect({ timeoutMs: 5_000, signal: AbortSignal.abort(), authUri: (u) => u, opener: async () => void (opened = true) })()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'aborted' } })
    expect(opened).toBe(false)
  })

  it('an opener that fails is a ConfigError naming the opener, and the listener is closed', async () => {
    let redirectUri = ''
    const r = await loopbackRedirect({
      timeoutMs: 5_000,
      authUri: (u) => ((redirectUri = u), u),
      opener: () => Promise.reject(new Error('no display')),
    })()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'unsupported', field: 'opener' } })
    expect(await refused(portOf(redirectUri))).toBe(true)
  })

  it('in headless Chromium: a query redirect and a form_post form both come back, and the browser shows the pages', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      timeout: 20_000,
    })
    try {
      const page = await (await browser.newContext()).newPage()
      const viaQuery = await loopbackRedirect({
        timeoutMs: 15_000,
        state: 's-q',
        authUri: (redirectUri) => `${redirectUri}/?code=c-q&state=s-q`,
        opener: async (url) => void (await page.goto(url)),
      })()
      expect(viaQuery).toMatchObject({ _tag: 'Right', right: { params: { code: 'c-q', state: 's-q' }, responseMode: 'query' } })
      expect(await page.textContent('body')).toContain('Authentication completed')

      const viaForm = await loopbackRedirect({
        timeoutMs: 15_000,
        authUri: (redirectUri) =>
          `data:text/html,${encodeURIComponent(`<form method="post" action="${redirectUri}/"><input name="code" value="c-f"><input name="state" value="s-f"></form><script>document.forms[0].submit()</script>`)}`,
        opener: async (url) => void (await page.goto(url)),
      })()
      expect(viaForm).toMatchObject({ _tag: 'Right', right: { params: { code: 'c-f', state: 's-f' }, responseMode: 'form_post' } })
      await page.waitForLoadState('load')
      expect(await page.textContent('body')).toContain('Authentication completed')
    } finally {
      await browser.close()
    }
  }, 45_000)
})
