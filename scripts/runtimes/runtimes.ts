/**
 * The host side of the runtime matrix: installs each runtime from the npm registry (Node 20
 * and 22 from the `node-<os>-<arch>` packages, `bun`, `deno`, `workerd`; Chromium is
 * Debian's), bundles `suite.ts` once from the built packages, starts the local IdP with the
 * apps the suite uses, and runs the suite in one runtime, approving the device flow's user
 * code on the IdP while the suite polls. `runtimes.test.ts` runs every runtime as a test case.
 *
 * How each runtime trusts the IdP's CA (the suite always uses the platform's `fetch`):
 * Node and Bun `NODE_EXTRA_CA_CERTS`, Deno `DENO_CERT`, workerd the `trustedCertificates`
 * of the `internet` network service its `fetch` goes out through, Chromium
 * `--ignore-certificate-errors-spki-list` with the hash of the IdP's key only.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { connect } from 'node:tls'
import { createHash, X509Certificate } from 'node:crypto'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { execFileSync } from 'node:child_process'
import { build as esbuild } from 'esbuild'
import { createPublicClient } from '@authfold/client'
import { nodeHttpClient } from '@authfold/node'
import { DEVICE_CODE_GRANT, selfSignedCertificate, startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { ensureBuilt, packageNames, root } from '../build.js'
import { EVENT_PREFIX, type SuiteConfig, type SuiteEvent } from './suite.js'

/** The runtimes of the matrix, in the README's order. */
export const runtimeNames = ['Node 20', 'Node 22', 'Bun', 'Deno', 'workerd', 'Chromium'] as const
export type RuntimeName = (typeof runtimeNames)[number]

const binaryPackage = `node-${process.platform}-${process.arch}`

/** The npm packages (exact versions) the matrix installs; `alias@npm:` keeps two Node versions apart. */
export const pinned = {
  node20: { spec: `node20@npm:${binaryPackage}@20.20.2`, version: '20.20.2' },
  node22: { spec: `node22@npm:${binaryPackage}@22.23.5`, version: '22.23.5' },
  bun: { spec: 'bun@1.4.5', version: '1.4.5' },
  deno: { spec: 'deno@2.9.6', version: '2.9.6' },
  workerd: { spec: 'workerd@1.20261117.1', version: '1.20261117.1' },
} as const

/** Debian's Chromium (`apt-get install chromium`), driven by playwright-core. */
export const chromiumPath = '/usr/bin/chromium'

const cacheDir = join(root, 'node_modules/.cache/authfold-runtimes')
const bin = (...path: ReadonlyArray<string>): string => join(cacheDir, 'node_modules', ...path)

/** The runtime binaries, installed. */
export interface Installed {
  readonly node20: string
  readonly node22: string
  readonly bun: string
  readonly deno: string
  readonly workerd: string
}

/**
 * Installs the pinned runtimes into node_modules/.cache unless they are there. A runtime
 * that cannot be installed throws (the matrix fails; nothing is skipped).
 */
export const installRuntimes = (): Installed => {
  const installed: Installed = {
    node20: bin('node20/bin/node'),
    node22: bin('node22/bin/node'),
    bun: bin('.bin/bun'),
    deno: bin('.bin/deno'),
    workerd: bin('.bin/workerd'),
  }
  const specs = Object.values(pinned).map((p) => p.spec)
  const stamp = join(cacheDir, 'installed.json')
  const current = existsSync(stamp) && readFileSync(stamp, 'utf8') === JSON.stringify(specs)
  if (current && Object.values(installed).every((b) => existsSync(b))) return installed
  rmSync(cacheDir, { recursive: true, force: true })
  mkdirSync(cacheDir, { recursive: true })
  writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'authfold-runtimes', private: true }))
  try {
    execFileSync('npm', ['install', '--prefix', cacheDir, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', ...specs], { stdio: 'pipe', timeout: 300_000 })
  } catch (e) {
    const detail = (e as { readonly stderr?: Buffer }).stderr?.toString().trim() ?? String(e)
    throw new Error(`Could not install the runtimes (${specs.join(', ')}) from the npm registry: ${detail}\nThe runtime matrix needs the npm registry (or a mirror set in npm config).`)
  }
  const missing = Object.entries(installed).filter(([, b]) => !existsSync(b))
  if (missing.length > 0) throw new Error(`Installed ${specs.join(', ')}, but ${missing.map(([n, b]) => `${n} (${b})`).join(', ')} is missing: the package layout changed.`)
  writeFileSync(stamp, JSON.stringify(specs))
  return installed
}

/**
 * Bundles `suite.ts` once, as an app would: it imports `@authfold/*` by name from a folder
 * whose node_modules links the built packages (their `exports` maps, `dist/`), never the
 * workspace sources. Writes `suite.js` and the adapters into `outDir`.
 */
export const bundleSuite = async (outDir: string): Promise<void> => {
  await ensureBuilt()
  const app = join(outDir, 'app')
  mkdirSync(join(app, 'node_modules/@authfold'), { recursive: true })
  for (const p of packageNames) symlinkSync(join(root, 'packages', p), join(app, 'node_modules/@authfold', p), 'dir')
  copyFileSync(join(root, 'scripts/runtimes/suite.ts'), join(app, 'suite.ts'))
  await esbuild({
    entryPoints: [join(app, 'suite.ts')],
    outfile: join(outDir, 'suite.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['module', 'browser'],
    tsconfigRaw: {},
    logLevel: 'silent',
  })
  for (const f of ['process.mjs', 'worker.mjs', 'index.html']) copyFileSync(join(root, 'scripts/runtimes/adapters', f), join(outDir, f))
}

/** The local IdP with the suite's apps and user, and the config the suite is given. */
export interface Stage {
  readonly idp: IdentityProvider
  readonly config: SuiteConfig
  /** The IdP's CA, as a PEM file. */
  readonly caFile: string
  /** base64 SHA-256 of the IdP's TLS key (SubjectPublicKeyInfo), for Chromium's SPKI list. */
  readonly spki: string
}

const USER = 'runner@authfold.test'
const PASSWORD = 'correct horse battery staple'

const leafSpkiHash = (host: string, port: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host, port, rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw
      socket.end()
      const spki = new X509Certificate(raw).publicKey.export({ type: 'spki', format: 'der' })
      resolve(createHash('sha256').update(spki).digest('base64'))
    })
    socket.on('error', reject)
  })

const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))))
    })
  })

/**
 * Starts an IdP for one runtime's run: a secret app, a certificate app, a public app for the
 * device flow, and a public app whose cache (MSAL's JSON) the host writes here with a
 * password grant, for the suite to load. Device codes poll every second.
 */
export const stage = async (dir: string): Promise<Stage> => {
  const idp = await startIdentityProvider()
  try {
    const cert = await selfSignedCertificate({ commonName: 'authfold-runtimes' })
    idp.registerClient({ clientId: 'rt-secret', secret: 'rt-secret-value' })
    idp.registerClient({ clientId: 'rt-certificate', certificate: { certificatePem: cert.certificatePem } })
    idp.registerClient({ clientId: 'rt-device' })
    idp.registerClient({ clientId: 'rt-cache' })
    idp.registerUser({ username: USER, password: PASSWORD })
    idp.deviceCodes.configure({ lifetimeSeconds: 120, intervalSeconds: 1 })
    const host = createPublicClient({ clientId: 'rt-cache', authority: idp.authority(), validateAuthority: false, http: nodeHttpClient({ ca: idp.ca }) })
    await host.acquireTokenByUsernamePassword(USER, PASSWORD, ['User.Read'])
    const cacheJson = await host.serializeCache()
    const caFile = join(dir, 'ca.pem')
    writeFileSync(caFile, idp.ca)
    const config: SuiteConfig = {
      authority: idp.authority(),
      unreachableAuthority: `https://127.0.0.1:${await closedPort()}/${idp.tenantId}/`,
      secretApp: { clientId: 'rt-secret', secret: 'rt-secret-value', scope: 'api://rt/.default' },
      certificateApp: { clientId: 'rt-certificate', privateKeyPem: cert.privateKeyPem, thumbprint: cert.sha1Thumbprint, scope: 'api://rt/.default' },
      deviceApp: { clientId: 'rt-device', scope: 'User.Read', username: USER },
      cacheApp: { clientId: 'rt-cache', scope: 'User.Read', username: USER, cacheJson },
    }
    return { idp, config, caFile, spki: await leafSpkiHash('127.0.0.1', idp.port) }
  } catch (e) {
    await idp.stop()
    throw e
  }
}

/** What one runtime's run produced. */
export interface Outcome {
  readonly events: ReadonlyArray<SuiteEvent>
  /** Wall time of the run (process start to exit), ms. */
  readonly ms: number
  /** What the runtime printed besides the events (stderr, stray stdout), for failures. */
  readonly log: string
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Approves the user code once the suite has polled and heard `authorization_pending` (so the polling is real), within 20 s. */
const approveWhenPolled = async (s: Stage, userCode: string): Promise<void> => {
  const deadline = Date.now() + 20_000
  const pending = (): boolean => s.idp.requests.some((r) => r.form['grant_type'] === DEVICE_CODE_GRANT && r.form['client_id'] === 'rt-device' && r.status === 400)
  while (!pending() && Date.now() < deadline) await sleep(100)
  s.idp.deviceCodes.approve(userCode, USER)
}

/**
 * The host's answer to an event: records it; for the user code, starts approving it in the
 * background and answers at once (the suite may wait for `emit` before it polls).
 */
const hostHandler = (s: Stage, events: SuiteEvent[]) => (event: SuiteEvent): Promise<void> => {
  events.push(event)
  if (event.type === 'device_code') void approveWhenPolled(s, event.userCode)
  return Promise.resolve()
}

const RUN_TIMEOUT_MS = 120_000

/** Runs a child, feeding its event lines to `onEvent`; resolves on exit, kills it past the timeout. */
const runChild = (child: ChildProcess, onEvent: (e: SuiteEvent) => Promise<void>): Promise<string> =>
  new Promise((resolve) => {
    let log = ''
    const handled: Array<Promise<void>> = []
    const timer = setTimeout(() => {
      log += `\n[killed after ${RUN_TIMEOUT_MS} ms]`
      child.kill('SIGKILL')
    }, RUN_TIMEOUT_MS)
    if (child.stdout !== null)
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith(EVENT_PREFIX)) handled.push(onEvent(JSON.parse(line.slice(EVENT_PREFIX.length)) as SuiteEvent))
        else log += `${line}\n`
      })
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString()
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      void Promise.all(handled).then(() => resolve(`${log}[exit ${code ?? signal}]`))
    })
  })

const configFile = (dir: string, s: Stage): string => {
  const file = join(dir, 'config.json')
  writeFileSync(file, JSON.stringify(s.config))
  return file
}

/** Node, Bun or Deno: `process.mjs` with the config file; the CA through the runtime's own variable. */
const runProcess = async (command: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv, dir: string, s: Stage): Promise<Outcome> => {
  const events: SuiteEvent[] = []
  const started = Date.now()
  const child = spawn(command, [...args, join(dir, 'process.mjs'), configFile(dir, s)], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? dir, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const log = await runChild(child, hostHandler(s, events))
  return { events, ms: Date.now() - started, log }
}

/** A free loopback port (closed again, for workerd to listen on). */
const freePort = closedPort

/** workerd's config: the two modules, the socket, and the `internet` service trusting the IdP's CA. */
const workerdConfig = (port: number): string => `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .suite),
    (name = "internet", network = (allow = ["public", "private", "local"], tlsOptions = (trustedCertificates = [embed "ca.pem"]))),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const suite :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs"), (name = "suite.js", esModule = embed "suite.js")],
  compatibilityDate = "2026-11-01",
);
`

const waitReady = async (url: string, deadline: number): Promise<void> => {
  for (;;) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return
    if (Date.now() > deadline) throw new Error(`workerd did not answer at ${url} in time`)
    await sleep(100)
  }
}

/** workerd: serves the suite as a worker; the host POSTs the config and reads the streamed events. */
const runWorkerd = async (workerd: string, dir: string, s: Stage): Promise<Outcome> => {
  const events: SuiteEvent[] = []
  const started = Date.now()
  const port = await freePort()
  writeFileSync(join(dir, 'workerd.capnp'), workerdConfig(port))
  const child = spawn(workerd, ['serve', join(dir, 'workerd.capnp')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = runChild(child, () => Promise.resolve())
  try {
    await waitReady(`http://127.0.0.1:${port}/`, Date.now() + 30_000)
    const onEvent = hostHandler(s, events)
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify(s.config), signal: AbortSignal.timeout(RUN_TIMEOUT_MS) })
    if (res.body === null) throw new Error(`workerd answered ${res.status} without a body`)
    let buffered = ''
    const decoder = new TextDecoder()
    const reader = res.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      buffered += decoder.decode(value, { stream: true })
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) if (line !== '') await onEvent(JSON.parse(line) as SuiteEvent)
    }
  } finally {
    child.kill('SIGTERM')
  }
  const log = await exited
  return { events, ms: Date.now() - started, log }
}

/** Chromium: a page at the IdP's origin (served by a route added to the IdP) runs the suite. */
const runChromium = async (dir: string, s: Stage): Promise<Outcome & { readonly version: string }> => {
  const { chromium } = await import('playwright-core')
  const events: SuiteEvent[] = []
  const started = Date.now()
  const files: Readonly<Record<string, readonly [string, string]>> = {
    '/__runtimes/index.html': ['text/html; charset=utf-8', readFileSync(join(dir, 'index.html'), 'utf8')],
    '/__runtimes/suite.js': ['text/javascript; charset=utf-8', readFileSync(join(dir, 'suite.js'), 'utf8')],
  }
  s.idp.addRoute((request) => {
    const file = files[request.path]
    return file === undefined ? undefined : { status: 200, headers: { 'content-type': file[0] }, text: file[1] }
  })
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--ignore-certificate-errors-spki-list=${s.spki}`],
  })
  let log = ''
  try {
    const page = await browser.newPage()
    page.on('console', (m) => {
      log += `[console.${m.type()}] ${m.text()}\n`
    })
    page.on('pageerror', (e) => {
      log += `[pageerror] ${e.message}\n`
    })
    await page.exposeFunction('__emit', hostHandler(s, events))
    await page.goto(`${s.idp.url}/__runtimes/index.html`, { timeout: 30_000 })
    await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 30_000 })
    await page.evaluate(
      (config) =>
        (window as unknown as { runSuite: (c: unknown, emit: (e: unknown) => Promise<void>) => Promise<unknown> }).runSuite(config, (e) =>
          (window as unknown as { __emit: (e: unknown) => Promise<void> }).__emit(e),
        ),
      s.config,
    )
    return { events, ms: Date.now() - started, log, version: browser.version() }
  } finally {
    await browser.close()
  }
}

/** One runtime's run: its version as it reports it, the events, the wall time. */
export interface RuntimeRun extends Outcome {
  readonly runtime: RuntimeName
  readonly version: string
}

const versionOf = (command: string, args: ReadonlyArray<string>): string => execFileSync(command, args, { encoding: 'utf8', timeout: 30_000 }).trim()

/**
 * Runs the bundled suite (in `dir`) on one runtime against a fresh IdP; the IdP is handed
 * back for the test's checks (the caller stops it), or stopped here when the run throws.
 */
export const runOn = async (runtime: RuntimeName, installed: Installed, dir: string): Promise<RuntimeRun & { readonly stage: Stage }> => {
  const s = await stage(dir)
  try {
    return await runStaged(runtime, installed, dir, s)
  } catch (e) {
    await s.idp.stop()
    throw e
  }
}

const runStaged = async (runtime: RuntimeName, installed: Installed, dir: string, s: Stage): Promise<RuntimeRun & { readonly stage: Stage }> => {
  const nodeEnv = { NODE_EXTRA_CA_CERTS: s.caFile }
  switch (runtime) {
    case 'Node 20':
    case 'Node 22': {
      const node = runtime === 'Node 20' ? installed.node20 : installed.node22
      return { runtime, version: versionOf(node, ['--version']).replace(/^v/, ''), stage: s, ...(await runProcess(node, [], nodeEnv, dir, s)) }
    }
    case 'Bun':
      return { runtime, version: versionOf(installed.bun, ['--version']), stage: s, ...(await runProcess(installed.bun, ['run'], nodeEnv, dir, s)) }
    case 'Deno': {
      const version = /^deno (\S+)/.exec(versionOf(installed.deno, ['--version']))?.[1] ?? 'unknown'
      const args = ['run', '--no-prompt', '--no-config', '--allow-net=127.0.0.1', `--allow-read=${dir}`]
      return { runtime, version, stage: s, ...(await runProcess(installed.deno, args, { DENO_CERT: s.caFile, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(dir, 'deno-dir') }, dir, s)) }
    }
    case 'workerd':
      return { runtime, version: pinned.workerd.version, stage: s, ...(await runWorkerd(installed.workerd, dir, s)) }
    case 'Chromium': {
      const { version, ...outcome } = await runChromium(dir, s)
      return { runtime, version, stage: s, ...outcome }
    }
  }
}

/** The README's table: runtime, version, result, from runs. */
export const readmeTable = (runs: ReadonlyArray<Pick<RuntimeRun, 'runtime' | 'version' | 'events'>>): string => {
  const rows = runs.map((r) => {
    const cases = r.events.filter((e) => e.type === 'case')
    const passed = cases.filter((e) => e.ok).length
    return `| ${r.runtime} | ${r.version} | ${passed === cases.length && passed > 0 ? 'pass' : 'FAIL'} (${passed}/${cases.length}) |`
  })
  return ['| runtime | version | suite |', '|---|---|---|', ...rows].join('\n')
}
