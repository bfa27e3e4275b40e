// The built packages on a real Node 18 (below `engines`, no global WebCrypto): every package
// imports, and making a client fails with a clear ConfigError instead of the uncaught
// `TypeError: Cannot read properties of undefined (reading 'getRandomValues')` the first
// token call used to throw. Node 18 comes from the npm registry (the `node-<os>-<arch>`
// packages ship the binary); it is installed once into node_modules/.cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureBuilt, packageNames, root } from './build.js'

const NODE18 = '18.20.8'
const binaryPackage = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`
const cacheDir = join(root, 'node_modules/.cache/authfold-node18')
const node18 = join(cacheDir, 'node_modules', binaryPackage, 'bin', process.platform === 'win32' ? 'node.exe' : 'node')

/** Installs Node 18 from the npm registry unless it is already there; fails with advice. */
const installNode18 = (): string => {
  if (existsSync(node18)) return node18
  mkdirSync(cacheDir, { recursive: true })
  try {
    execFileSync('npm', ['install', '--prefix', cacheDir, '--no-audit', '--no-fund', '--loglevel=error', `${binaryPackage}@${NODE18}`], {
      stdio: 'pipe',
      timeout: 180_000,
    })
  } catch (e) {
    const detail = (e as { stderr?: Buffer }).stderr?.toString().trim() ?? String(e)
    throw new Error(
      `Could not install Node ${NODE18} (npm package ${binaryPackage}@${NODE18}) to test the unsupported-runtime error: ${detail}\n` +
        `This test needs the npm registry (or a proxy/mirror set in npm config). Install it by hand with\n` +
        `  npm install --prefix ${cacheDir} ${binaryPackage}@${NODE18}\n` +
        'and run the test again.',
    )
  }
  if (!existsSync(node18)) throw new Error(`${binaryPackage}@${NODE18} installed, but ${node18} is missing: the package layout changed; point this test at its binary.`)
  return node18
}

// A file, not `node -e`: in -e mode Node 18 exposes its `crypto` module as a global, which
// hides the missing WebCrypto global that a real app file sees.
const probe = `
const out = { version: process.version, imports: {} }
for (const name of ${JSON.stringify([...packageNames.map((p) => `@authfold/${p}`), '@authfold/core/cross-fetch'])}) {
  try { out.imports[name] = Object.keys(await import(name)).length > 0 ? 'ok' : 'empty' }
  catch (e) { out.imports[name] = e.constructor.name + ': ' + e.message }
}
const { createConfidentialClient, confidentialClient } = await import('@authfold/client')
const { clientSecret } = await import('@authfold/core')
const config = { clientId: 'app', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', credential: clientSecret('s') }
try { createConfidentialClient(config); out.created = true }
catch (e) { out.thrown = { isError: e instanceof Error, name: e.name, message: e.message, authError: e.authError } }
out.either = confidentialClient(config)._tag
console.log(JSON.stringify(out))
`

interface ProbeResult {
  readonly version: string
  readonly imports: Readonly<Record<string, string>>
  readonly created?: true
  readonly thrown?: { readonly isError: boolean; readonly name: string; readonly message: string; readonly authError: unknown }
  readonly either: string
}

describe('on Node 18 (below engines)', () => {
  let dir = ''
  const run = (node: string): ProbeResult =>
    JSON.parse(execFileSync(node, [join(dir, 'probe.mjs')], { cwd: dir, encoding: 'utf8', timeout: 60_000 })) as ProbeResult

  beforeAll(async () => {
    await ensureBuilt()
    // An app folder whose node_modules links the built packages (exports map, dist/node).
    dir = mkdtempSync(join(tmpdir(), 'authfold-node18-'))
    mkdirSync(join(dir, 'node_modules/@authfold'), { recursive: true })
    for (const p of packageNames) symlinkSync(join(root, 'packages', p), join(dir, 'node_modules/@authfold', p), 'dir')
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'node18-app', private: true, type: 'module' }))
    writeFileSync(join(dir, 'probe.mjs'), probe)
  }, 240_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('imports every package, and refuses to make a client with an error that says to upgrade', () => {
    const r = run(installNode18())
    expect(r.version).toBe(`v${NODE18}`)
    expect(r.imports).toEqual(Object.fromEntries([...packageNames.map((p) => [`@authfold/${p}`, 'ok']), ['@authfold/core/cross-fetch', 'ok']]))
    expect(r.created).toBeUndefined()
    expect(r.thrown).toEqual({
      isError: true,
      name: 'ConfigError',
      message:
        'authfold needs Node 20.19 or later (WebCrypto: crypto.getRandomValues and crypto.subtle are missing from this runtime; ' +
        'Node 18 and older have no global WebCrypto). Upgrade Node, or use a runtime with WebCrypto (current browsers, Deno, Bun, workers).',
      authError: expect.objectContaining({ _tag: 'ConfigError', code: 'unsupported' }),
    })
    expect(r.either).toBe('Left')
  }, 240_000)

  it('and the same probe on this Node makes the client', () => {
    const r = run(process.execPath)
    expect(r.created).toBe(true)
    expect(r.either).toBe('Right')
  }, 60_000)
})
