/**
 * fetchHttpClient in a real browser (issue 8, defect 2): headless Chromium loads a page that
 * runs the bundled transport against this local server and posts what it got back.
 * No browser driver is needed: the page reports by HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const TRANSPORT = fileURLToPath(new URL('./fetchHttpClient.ts', import.meta.url))

const PAGE_SCRIPT = `
import { fetchHttpClient } from ${JSON.stringify(TRANSPORT)}
const origin = location.origin
const token = { method: 'POST', url: origin + '/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_secret=S3CRET-VALUE' }
const run = async () => {
  const out = {}
  out.platformDefault = await fetchHttpClient()(token)()
  out.detachedGiven = await fetchHttpClient({ fetch: globalThis.fetch })(token)()
  const options = { fetch: globalThis.fetch }
  try {
    await options.fetch(origin + '/token') // what authfold did before: the detached fetch called on another object
    out.calledOnOptions = 'no error'
  } catch (e) {
    out.calledOnOptions = e.name + ': ' + e.message
  }
  out.large = await fetchHttpClient({ maxResponseBytes: 1000 })({ method: 'GET', url: origin + '/large', headers: {} })()
  const controller = new AbortController()
  setTimeout(() => controller.abort(), 50)
  out.aborted = await fetchHttpClient()({ method: 'GET', url: origin + '/hang', headers: {}, signal: controller.signal })()
  out.unreachable = await fetchHttpClient()({ method: 'GET', url: 'http://127.0.0.1:' + CLOSED_PORT + '/x?code=S3CRET-CODE', headers: {} })()
  await fetch(origin + '/result', { method: 'POST', body: JSON.stringify(out) })
}
run().catch((e) => fetch(origin + '/result', { method: 'POST', body: JSON.stringify({ crashed: String(e) }) }))
`

const closedPort = async (): Promise<number> => {
  const s = http.createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as AddressInfo
  await new Promise((r) => s.close(r))
  return port
}

describe('fetchHttpClient in headless Chromium', () => {
  let server: http.Server
  let browser: ChildProcess | undefined
  let profile = ''
  let report: Promise<Record<string, unknown>>

  beforeAll(async () => {
    const port = await closedPort()
    const bundle = await build({
      stdin: { contents: PAGE_SCRIPT.replace('CLOSED_PORT', String(port)), resolveDir: process.cwd(), loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    })
    const script = bundle.outputFiles[0]?.text ?? ''
    let deliver: (r: Record<string, unknown>) => void = () => undefined
    report = new Promise((resolve) => (deliver = resolve))
    server = http.createServer((req, res) => {
      const body: Buffer[] = []
      req.on('data', (c: Buffer) => body.push(c))
      req.on('end', () => {
        if (req.url === '/') return void res.end('<!doctype html><script type="module" src="/app.js"></script>')
        if (req.url === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
        if (req.url === '/token') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"x","expires_in":3600}')
        if (req.url === '/large') return void res.writeHead(200, { 'content-type': 'application/json' }).end('a'.repeat(5000))
        if (req.url === '/result') {
          res.end()
          return deliver(JSON.parse(Buffer.concat(body).toString('utf8')) as Record<string, unknown>)
        }
        if (req.url === '/hang') return // never answers
        res.writeHead(404).end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    profile = mkdtempSync(join(tmpdir(), 'authfold-chromium-'))
    browser = spawn(
      'chromium',
      ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`],
      { stdio: 'ignore', detached: true },
    )
  })

  afterAll(async () => {
    if (browser?.pid !== undefined) {
      const exited = new Promise((r) => browser?.once('exit', r))
      try {
        process.kill(-browser.pid, 'SIGTERM') // the process group this test started
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))])
    }
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
    rmSync(profile, { recursive: true, force: true })
  })

  it('calls the platform fetch correctly, caps answers, aborts, and keeps the failure message', async () => {
    const out = await Promise.race([report, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no report from Chromium in 20 s')), 20_000))])
    // The defect itself, as the browser shows it: a detached fetch called as a method throws.
    expect(out.calledOnOptions).toBe("TypeError: Failed to execute 'fetch' on 'Window': Illegal invocation")
    expect(out.platformDefault).toMatchObject({ _tag: 'Right', right: { status: 200, body: '{"access_token":"x","expires_in":3600}' } })
    expect(out.detachedGiven).toMatchObject({ _tag: 'Right', right: { status: 200 } })
    expect(out.large).toMatchObject({ _tag: 'Left', left: { code: 'too_large' } })
    expect(out.aborted).toMatchObject({ _tag: 'Left', left: { code: 'aborted' } })
    expect(out.unreachable).toMatchObject({
      _tag: 'Left',
      left: { code: 'network', message: expect.stringMatching(/^Could not reach 127\.0\.0\.1:\d+ \(TypeError: Failed to fetch\)\./) },
    })
    expect(JSON.stringify(out)).not.toMatch(/S3CRET/)
  }, 30_000)
})
