import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { ensureBuilt, packageNames, root } from './build.js'

type Exports = Readonly<Record<string, string | Readonly<Record<string, string>>>>

// The packages as a user gets them: rollup's output (no TypeScript, no workspace aliases),
// imported by plain Node from a workspace package that depends on them (examples/demo).
// The packed tarballs, installed by npm into an empty folder, are checked by scripts/tarballs.ts.
describe('built packages', () => {
  beforeAll(() => ensureBuilt(), 180_000)

  it('hold every file their exports map names, for every condition', () => {
    for (const p of packageNames) {
      const pkg = JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8')) as { exports: Exports; main: string; types: string }
      const targets = [pkg.main, pkg.types, ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))]
      expect(targets.filter((t) => !existsSync(join(root, 'packages', p, t))), `@authfold/${p}`).toEqual([])
      const dot = pkg.exports['.']
      // `types` first (TypeScript), `module` before `node` (bundlers get dist/ on every platform)
      expect(typeof dot === 'object' && Object.keys(dot)).toEqual(['types', 'module', 'node', 'default'])
    }
  })

  it('run in plain Node ESM: client credentials against the local IdP', () => {
    const script = `
      import { createConfidentialClient } from '@authfold/client'
      import { clientSecret } from '@authfold/core'
      import { startIdentityProvider } from '@authfold/testing'
      import { nodeHttpClient } from '@authfold/node'
      const idp = await startIdentityProvider(); idp.registerClient({ clientId: 'dist-app', secret: 's' })
      try {
        const app = createConfidentialClient({ clientId: 'dist-app', authority: idp.authority(), credential: clientSecret('s'), http: nodeHttpClient({ ca: idp.ca }), validateAuthority: false })
        const a = await app.acquireTokenForClient(['api://a/.default'])
        const b = await app.acquireTokenForClient(['api://a/.default'])
        console.log(a.token_source + ' ' + b.token_source)
      } finally { await idp.stop() }`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(root, 'examples/demo'), encoding: 'utf8' })
    expect(out.trim()).toBe('identity_provider cache')
  }, 120_000)

  describe('@authfold/grants/lean', () => {
    let idp: IdentityProvider
    let dir = ''
    beforeAll(async () => {
      idp = await startIdentityProvider()
      idp.registerClient({ clientId: 'lean-app', secret: 's' })
      dir = mkdtempSync(join(tmpdir(), 'authfold-ca-'))
      writeFileSync(join(dir, 'ca.pem'), idp.ca)
    })
    afterAll(async () => {
      await idp.stop()
      rmSync(dir, { recursive: true, force: true })
    })

    it('resolves in plain Node and acquires an app token with the platform fetch and no discovery, then answers from its cache saved as MSAL JSON and loaded back', async () => {
      const host = new URL(idp.url).host
      const script = `
        import { appToken, appTokenCacheFromJson, appTokenCacheToJson, emptyAppTokenCache, fetchHttpClient, silentLogger, staticEntraAuthority, systemClock, timerSleep, webCryptoRandom } from '@authfold/grants/lean'
        import { clientSecret } from '@authfold/core'
        const env = { http: fetchHttpClient(), now: systemClock, random: webCryptoRandom, sleep: timerSleep, log: silentLogger }
        const grant = appToken({ clientId: 'lean-app', authority: staticEntraAuthority(${JSON.stringify(idp.tenantId)}, ${JSON.stringify(host)}), credential: clientSecret('s'), scopes: ['api://a/.default'] })
        const a = await grant(emptyAppTokenCache)(env)()
        if (a._tag === 'Left') throw new Error(a.left.message)
        const saved = appTokenCacheFromJson(appTokenCacheToJson(a.right[1]))
        if (saved._tag === 'Left') throw new Error(saved.left.message)
        const b = await grant(saved.right)(env)()
        if (b._tag === 'Left') throw new Error(b.left.message)
        console.log(a.right[0].token_source + ' ' + b.right[0].token_source + ' ' + (a.right[0].access_token === b.right[0].access_token))`
      // Node's fetch (undici) trusts NODE_EXTRA_CA_CERTS
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        cwd: join(root, 'examples/size-apps'),
        env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') },
        timeout: 60_000,
      })
      expect(stdout.trim()).toBe('identity_provider cache true')
      const token = idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'))
      expect(token.map((r) => [r.form['client_id'], r.form['grant_type']])).toEqual([['lean-app', 'client_credentials']])
      // no instance or tenant discovery
      expect(idp.requests.filter((r) => /discovery|openid-configuration/.test(r.path))).toEqual([])
    }, 120_000)
  })

  describe('@authfold/core/cross-fetch', () => {
    let idp: IdentityProvider
    let dir = ''
    beforeAll(async () => {
      idp = await startIdentityProvider()
      idp.registerClient({ clientId: 'cross-fetch-app', secret: 's' })
      dir = mkdtempSync(join(tmpdir(), 'authfold-ca-'))
      writeFileSync(join(dir, 'ca.pem'), idp.ca)
    })
    afterAll(async () => {
      await idp.stop()
      rmSync(dir, { recursive: true, force: true })
    })

    it('resolves in plain Node and carries a client credentials call through cross-fetch (node-fetch)', async () => {
      const script = `
        import { createConfidentialClient } from '@authfold/client'
        import { clientSecret } from '@authfold/core'
        import { crossFetchHttpClient } from '@authfold/core/cross-fetch'
        const app = createConfidentialClient({ clientId: 'cross-fetch-app', authority: ${JSON.stringify(idp.authority())}, credential: clientSecret('s'), http: crossFetchHttpClient(), validateAuthority: false })
        const r = await app.acquireTokenForClient(['api://a/.default'])
        console.log(r.token_source)`
      // node-fetch uses Node's default agent, which trusts NODE_EXTRA_CA_CERTS
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        cwd: join(root, 'examples/demo'),
        env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') },
        timeout: 60_000,
      })
      expect(stdout.trim()).toBe('identity_provider')
      const token = idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'))
      expect(token.map((r) => r.form['client_id'])).toEqual(['cross-fetch-app'])
      expect(token[0]?.headers['user-agent']).toMatch(/^node-fetch/)
    }, 120_000)
  })
})
