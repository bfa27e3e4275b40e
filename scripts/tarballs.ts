/**
 * `pnpm check:packages`: the packages as npm would publish them. Packs every package with
 * `pnpm pack` (workspace versions made real), then, on the tarballs:
 * 1. `publint --strict` (warnings are errors);
 * 2. are-the-types-wrong with its `esm-only` profile: the packages are ESM only, so the
 *    `node10` and `node16 (from CJS)` rows are expected to fail (a `require` of them gets ESM)
 *    and the profile ignores exactly those two resolutions; every other problem fails;
 * 3. an `npm install` of the tarballs into an empty folder (dependencies from the registry),
 *    where plain Node imports every package, `require`s every package (require(esm), Node
 *    20.19+), runs a client-credentials call against the local IdP (twice: the second from the
 *    cache), and TypeScript type-checks an app under `nodenext` and `bundler` resolution;
 * 4. `cross-fetch`, an optional peer of @authfold/core, is not installed by that install;
 *    once the app installs it, `@authfold/core/cross-fetch` carries the same call.
 * oauth4webapi's tools/test-dist.js is the model. Exits non-zero on the first failure.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureBuilt, packageNames, root } from './build.js'

const started = Date.now()
const step = (what: string): void => console.log(`\n[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`)

/** Runs a command; on failure prints its output and exits. */
const sh = (cmd: string, args: ReadonlyArray<string>, options: { cwd?: string; env?: NodeJS.ProcessEnv; quiet?: boolean } = {}): string => {
  const r = spawnSync(cmd, args, { cwd: options.cwd ?? root, env: options.env ?? process.env, encoding: 'utf8', timeout: 300_000 })
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`
  if (r.status !== 0) {
    console.error(out)
    console.error(`FAILED: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal ?? r.error?.message})`)
    process.exit(1)
  }
  if (options.quiet !== true && out.trim() !== '') console.log(out.trim().replace(/^\s*/gm, '  '))
  return r.stdout ?? ''
}

// pnpm as this script was started by (`pnpm check:packages`), else the one on PATH.
const pnpm = (args: ReadonlyArray<string>, cwd: string): string =>
  process.env['npm_execpath']?.includes('pnpm') === true ? sh(process.execPath, [process.env['npm_execpath'], ...args], { cwd, quiet: true }) : sh('pnpm', args, { cwd, quiet: true })
const bin = (name: string): string => join(root, 'node_modules/.bin', name)

const work = mkdtempSync(join(tmpdir(), 'authfold-tarballs-'))
try {
  step('build')
  await ensureBuilt()

  step('pack')
  const packs = join(work, 'packs')
  mkdirSync(packs)
  for (const p of packageNames) pnpm(['pack', '--pack-destination', packs], join(root, 'packages', p))
  const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz')).sort().map((f) => join(packs, f))
  if (tarballs.length !== packageNames.length) throw new Error(`expected ${packageNames.length} tarballs, got ${tarballs.join(', ')}`)
  console.log(tarballs.map((t) => `  ${t.slice(packs.length + 1)}`).join('\n'))

  step('publint --strict')
  for (const t of tarballs) sh(bin('publint'), ['run', '--strict', t])

  step('are-the-types-wrong (profile esm-only: node10 and node16-from-CJS ignored, the packages are ESM only)')
  for (const t of tarballs) sh(bin('attw'), [t, '--profile', 'esm-only', '--format', 'table-flipped', '--no-color', '--no-emoji'])

  step('npm install of the tarballs into an empty folder')
  const app = join(work, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'tarball-app', private: true, type: 'module' }, null, 2))
  sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], { cwd: app })
  if (existsSync(join(app, 'node_modules/cross-fetch'))) throw new Error('cross-fetch was installed although no one asked for it: it must stay an optional peer of @authfold/core')
  console.log('  cross-fetch not installed (optional peer)')

  step('plain Node: import every package, require(esm) every package, client credentials against the local IdP')
  const names = packageNames.map((p) => `@authfold/${p}`)
  writeFileSync(
    join(app, 'imports.mjs'),
    `for (const name of ${JSON.stringify(names)}) {
       const m = await import(name)
       if (Object.keys(m).length === 0) throw new Error(name + ' exports nothing')
       console.log('import ' + name + ': ' + Object.keys(m).length + ' exports')
     }
     const missing = await import('@authfold/core/cross-fetch').then(() => 'imported', (e) => e.code)
     if (missing !== 'ERR_MODULE_NOT_FOUND') throw new Error('@authfold/core/cross-fetch without cross-fetch: ' + missing)
     console.log('import @authfold/core/cross-fetch without cross-fetch installed: ERR_MODULE_NOT_FOUND (install cross-fetch to use it)')`,
  )
  sh(process.execPath, ['imports.mjs'], { cwd: app })
  writeFileSync(
    join(app, 'requires.cjs'),
    `for (const name of ${JSON.stringify(names)}) {
       const m = require(name)
       if (Object.keys(m).length === 0) throw new Error(name + ' exports nothing')
       console.log('require ' + name + ': ' + Object.keys(m).length + ' exports')
     }`,
  )
  sh(process.execPath, ['requires.cjs'], { cwd: app })
  // The IdP runs in this script's child; the calls run in a grandchild that trusts the IdP's
  // CA through NODE_EXTRA_CA_CERTS (what cross-fetch's node-fetch reads), given as argv.
  writeFileSync(
    join(app, 'call.mjs'),
    `import { createConfidentialClient } from '@authfold/client'
     import { createConfidentialClient as createLeanClient } from '@authfold/client/lean'
     import { clientSecret } from '@authfold/core'
     import { nodeHttpClient } from '@authfold/node'
     const [authority, caFile, transport] = process.argv.slice(2)
     const { readFileSync } = await import('node:fs')
     const http = transport === 'cross-fetch'
       ? (await import('@authfold/core/cross-fetch')).crossFetchHttpClient()
       : nodeHttpClient({ ca: readFileSync(caFile, 'utf8') })
     const app = createConfidentialClient({ clientId: 'tarball-app', authority, credential: clientSecret('tarball-secret'), http, validateAuthority: false })
     const a = await app.acquireTokenForClient(['api://tarball/.default'])
     const b = await app.acquireTokenForClient(['api://tarball/.default'])
     console.log(transport + ': ' + a.token_source + ', then ' + b.token_source)
     if (a.token_source !== 'identity_provider' || b.token_source !== 'cache') process.exit(1)
     if (transport === 'node') {
       // the lean client (@authfold/client/lean) with the platform fetch, reading the full client's saved cache
       const lean = createLeanClient({ clientId: 'tarball-app', authority, credential: clientSecret('tarball-secret') })
       await lean.deserializeCache(await app.serializeCache())
       const c = await lean.acquireTokenForClient(['api://tarball/.default'])
       console.log('lean client: ' + c.token_source + (c.access_token === a.access_token ? ' (the token the full client saved)' : ''))
       if (c.token_source !== 'cache' || c.access_token !== a.access_token) process.exit(1)
       await lean.removeTokensForClient()
       const d = await lean.acquireTokenForClient(['api://tarball/.default'])
       console.log('lean client after removeTokensForClient: ' + d.token_source)
       if (d.token_source !== 'identity_provider') process.exit(1)
     }`,
  )
  writeFileSync(
    join(app, 'idp.mjs'),
    `import { startIdentityProvider } from '@authfold/testing'
     import { execFile } from 'node:child_process'
     import { writeFileSync } from 'node:fs'
     import { promisify } from 'node:util'
     const transport = process.argv[2]
     const idp = await startIdentityProvider()
     idp.registerClient({ clientId: 'tarball-app', secret: 'tarball-secret' })
     writeFileSync('ca.pem', idp.ca)
     try {
       const { stdout } = await promisify(execFile)(process.execPath, ['call.mjs', idp.authority(), 'ca.pem', transport], { env: { ...process.env, NODE_EXTRA_CA_CERTS: 'ca.pem' }, timeout: 60000 })
       process.stdout.write(stdout)
       const tokenCalls = idp.requests.filter((r) => r.path.endsWith('/token'))
       const expected = transport === 'node' ? 2 : 1
       if (tokenCalls.length !== expected) throw new Error('expected ' + expected + ' token requests, saw ' + tokenCalls.length)
       if (transport === 'cross-fetch' && !/^node-fetch/.test(tokenCalls[0].headers['user-agent'] ?? '')) throw new Error('the token request did not come through cross-fetch')
     } finally { await idp.stop() }`,
  )
  sh(process.execPath, ['idp.mjs', 'node'], { cwd: app })

  step('the installed authfold command (node_modules/.bin, run as an executable): authfold token against the local IdP')
  writeFileSync(
    join(app, 'cli.mjs'),
    `import { startIdentityProvider } from '@authfold/testing'
     import { execFile } from 'node:child_process'
     import { writeFileSync } from 'node:fs'
     import { promisify } from 'node:util'
     const idp = await startIdentityProvider()
     idp.registerClient({ clientId: 'tarball-cli', secret: 'tarball-cli-secret' })
     writeFileSync('ca.pem', idp.ca)
     try {
       const args = ['token', '--client-id', 'tarball-cli', '--authority', idp.authority(), '--client-secret-env', 'CLI_SECRET', '--ca', 'ca.pem', '--skip-authority-validation']
       const { stdout } = await promisify(execFile)('node_modules/.bin/authfold', args, { env: { PATH: process.env.PATH, CLI_SECRET: 'tarball-cli-secret' }, timeout: 60000 })
       const result = JSON.parse(stdout)
       if (result.token_source !== 'identity_provider' || !/^<redacted: /.test(result.access_token)) throw new Error('unexpected output: ' + stdout)
       console.log('authfold token: ' + result.token_source + ', access_token ' + result.access_token)
     } finally { await idp.stop() }`,
  )
  sh(process.execPath, ['cli.mjs'], { cwd: app })

  step('TypeScript: an app type-checks against the installed packages (nodenext and bundler resolution)')
  writeFileSync(
    join(app, 'app.ts'),
    `import * as E from 'fp-ts/lib/Either.js'
     import { createConfidentialClient } from '@authfold/client'
     import { createConfidentialClient as createLeanClient } from '@authfold/client/lean'
     import { emptyCache, serialize } from '@authfold/cache'
     import { clientSecret, parseAuthority, type AuthError } from '@authfold/core'
     import { crossFetchHttpClient } from '@authfold/core/cross-fetch'
     import { clientCredentials, type AuthResult } from '@authfold/grants'
     import { nodeHttpClient } from '@authfold/node'
     import { startIdentityProvider } from '@authfold/testing'
     const app = createConfidentialClient({ clientId: 'a', credential: clientSecret('s'), http: process.env.X ? crossFetchHttpClient() : nodeHttpClient() })
     export const token: Promise<AuthResult> = app.acquireTokenForClient(['api://a/.default'])
     const lean = createLeanClient({ clientId: 'a', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', credential: clientSecret('s') })
     export const leanToken: Promise<AuthResult> = lean.acquireTokenForClient(['api://a/.default'])
     export const fold = (e: E.Either<AuthError, AuthResult>): string => E.isLeft(e) ? e.left._tag : e.right.token_source
     export const parsed = parseAuthority('https://login.microsoftonline.com/common')
     export const grant = clientCredentials
     export const blob: string = serialize(emptyCache)
     export const idp = startIdentityProvider
     // With skipLibCheck an import our declarations cannot resolve would turn into \`any\`
     // silently: these fail to compile if any of the types below is \`any\`.
     type IsAny<T> = 0 extends 1 & T ? true : false
     export const notAny: [
       IsAny<ReturnType<typeof app.te.acquireTokenForClient>>,
       IsAny<ReturnType<typeof lean.te.acquireTokenForClient>>,
       IsAny<ReturnType<typeof clientCredentials>>,
       IsAny<typeof parsed>,
       IsAny<typeof emptyCache>,
       IsAny<ReturnType<typeof nodeHttpClient>>,
       IsAny<ReturnType<typeof crossFetchHttpClient>>,
       IsAny<Awaited<ReturnType<typeof startIdentityProvider>>>,
     ] = [false, false, false, false, false, false, false, false]
    `,
  )
  const tsc = join(root, 'node_modules/typescript/bin/tsc')
  const common = ['--noEmit', '--strict', '--exactOptionalPropertyTypes', '--target', 'es2022', '--lib', 'es2022,dom', '--types', 'node', '--skipLibCheck', '--typeRoots', join(root, 'node_modules/@types')]
  sh(process.execPath, [tsc, ...common, '--module', 'nodenext', '--moduleResolution', 'nodenext', 'app.ts'], { cwd: app })
  console.log('  nodenext: ok')
  sh(process.execPath, [tsc, ...common, '--module', 'esnext', '--moduleResolution', 'bundler', 'app.ts'], { cwd: app })
  console.log('  bundler: ok')

  step('npm install cross-fetch (the optional peer), then @authfold/core/cross-fetch carries the call')
  sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'cross-fetch@^4.1.0'], { cwd: app })
  sh(process.execPath, ['idp.mjs', 'cross-fetch'], { cwd: app })

  step(`all tarball checks passed (${tarballs.length} packages)`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
