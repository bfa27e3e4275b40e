import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

// The packages as a user gets them: rollup's output (no TypeScript, no workspace aliases),
// imported by plain Node from a workspace package that depends on them.
describe('built packages', () => {
  it('build with rollup and tsc, and run in plain Node ESM: client credentials against the local IdP', () => {
    execFileSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'], { stdio: 'pipe' })
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'pipe' })
    execFileSync(process.execPath, ['scripts/copy-types.mjs'], { stdio: 'pipe' })
    for (const pkg of ['core', 'cache', 'grants', 'client', 'node', 'testing']) {
      expect(existsSync(`packages/${pkg}/dist/index.js`)).toBe(true)
      expect(existsSync(`packages/${pkg}/dist/node/index.js`)).toBe(true)
      expect(existsSync(`packages/${pkg}/dist/index.d.ts`)).toBe(true)
    }
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
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: 'examples/demo', encoding: 'utf8' })
    expect(out.trim()).toBe('identity_provider cache')
  }, 120_000)
})
