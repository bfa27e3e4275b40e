// The runtime matrix: the same suite bundle (scripts/runtimes/suite.ts, built once from the
// built packages) runs on Node 20 and 22, Bun, Deno, workerd and headless Chromium, each
// over real HTTPS to its own local IdP with the platform's own fetch. One test per runtime;
// a runtime that cannot be installed or started fails its test. The last test checks that
// the README's table is the one these runs produce (AUTHFOLD_WRITE_README=1 rewrites it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEVICE_CODE_GRANT } from '@authfold/testing'
import { root } from '../build.js'
import { caseNames } from './suite.js'
import { bundleSuite, installRuntimes, readmeTable, runOn, runtimeNames, type Installed, type RuntimeRun } from './runtimes.js'

let dir = ''
let installed: Installed
const runs: RuntimeRun[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'authfold-runtimes-'))
  installed = installRuntimes()
  await bundleSuite(dir)
}, 600_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** What each runtime's fetch says it is in `User-Agent` (workerd's sends none). */
const userAgents: Readonly<Record<(typeof runtimeNames)[number], RegExp | undefined>> = {
  'Node 20': /^node$/,
  'Node 22': /^node$/,
  Bun: /^Bun\//,
  Deno: /^Deno\//,
  workerd: undefined,
  Chromium: /HeadlessChrome\//,
}

/** What the suite sees as `navigator.userAgent` in each runtime. */
const navigatorAgents: Readonly<Record<(typeof runtimeNames)[number], (version: string) => RegExp>> = {
  'Node 20': (v) => new RegExp(`^Node\\.js/${v.split('.')[0]}`),
  'Node 22': (v) => new RegExp(`^Node\\.js/${v.split('.')[0]}`),
  Bun: (v) => new RegExp(`^Bun/${v.replace(/\./g, '\\.')}$`),
  Deno: (v) => new RegExp(`^Deno/${v.replace(/\./g, '\\.')}$`),
  workerd: () => /^Cloudflare-Workers$/,
  // Chromium's reduced user agent names the major version only.
  Chromium: (v) => new RegExp(`HeadlessChrome/${v.split('.')[0]}\\.`),
}

describe('the runtime matrix', () => {
  for (const runtime of runtimeNames)
    it(`${runtime}: the suite passes over HTTPS to the local IdP with the platform's fetch`, async () => {
      const sub = join(dir, runtime.replace(/\W+/g, '-').toLowerCase())
      mkdirSync(sub)
      for (const f of ['suite.js', 'process.mjs', 'worker.mjs', 'index.html']) writeFileSync(join(sub, f), readFileSync(join(dir, f)))
      const run = await runOn(runtime, installed, sub)
      const { idp } = run.stage
      try {
        runs.push(run)
        const cases = run.events.filter((e) => e.type === 'case')
        expect(cases.map((c) => [c.name, c.ok, c.error]), run.log).toEqual(caseNames.map((n) => [n, true, undefined]))
        expect(run.events.at(-1)).toEqual({ type: 'done', passed: caseNames.length, failed: 0 })
        const ua = run.events.find((e) => e.type === 'runtime')
        expect(ua?.type === 'runtime' && ua.userAgent).toMatch(navigatorAgents[runtime](run.version))

        // What the IdP saw: each app's token requests, sent by the runtime's own fetch.
        const token = idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'))
        const of = (clientId: string) => token.filter((r) => r.form['client_id'] === clientId)
        // one token request each from the full client and the lean client; their second calls were cache hits
        expect(of('rt-secret').map((r) => [r.form['grant_type'], r.form['client_secret'], r.status])).toEqual([
          ['client_credentials', '<redacted>', 200],
          ['client_credentials', '<redacted>', 200],
        ])
        expect(of('rt-certificate').map((r) => [r.form['client_assertion_type'], r.form['client_assertion'], r.status])).toEqual([
          ['urn:ietf:params:oauth:client-assertion-type:jwt-bearer', '<redacted>', 200],
        ])
        const polls = of('rt-device').filter((r) => r.form['grant_type'] === DEVICE_CODE_GRANT).map((r) => r.status)
        expect(polls.at(-1)).toBe(200)
        expect(polls.slice(0, -1).length).toBeGreaterThanOrEqual(1)
        expect(polls.slice(0, -1).every((s) => s === 400)).toBe(true)
        // The cache app's only token request is the host's password grant: the suite's hit was silent.
        expect(of('rt-cache').map((r) => r.form['grant_type'])).toEqual(['password'])
        const fromRuntime = token.filter((r) => r.form['client_id'] !== 'rt-cache')
        const expected = userAgents[runtime]
        for (const r of fromRuntime) {
          if (expected === undefined) expect(r.headers['user-agent']).toBeUndefined()
          else expect(r.headers['user-agent']).toMatch(expected)
        }
        console.log(`${runtime} ${run.version}: ${cases.map((c) => `${c.name} ${c.ms} ms`).join(', ')}; run ${run.ms} ms`)
      } finally {
        await idp.stop()
      }
    }, 180_000)

  it('the README table is the one these runs produced', () => {
    expect(runs.map((r) => r.runtime)).toEqual([...runtimeNames])
    const table = readmeTable(runs)
    const readmePath = join(root, 'README.md')
    const readme = readFileSync(readmePath, 'utf8')
    const at = /<!-- runtimes:start -->\n([\s\S]*?)<!-- runtimes:end -->/
    if (process.env['AUTHFOLD_WRITE_README'] === '1') writeFileSync(readmePath, readme.replace(at, `<!-- runtimes:start -->\n${table}\n<!-- runtimes:end -->`))
    // Debian's Chromium moves with the distribution: its row is checked without the version.
    const comparable = (t: string | undefined): string | undefined => t?.replace(/^(\| Chromium \| )[^|]+/m, '$1(Debian) ')
    expect(comparable(at.exec(readFileSync(readmePath, 'utf8'))?.[1])).toBe(comparable(`${table}\n`))
  })
})
