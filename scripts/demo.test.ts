import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))

// The README's demo command runs `tsx examples/demo/demo.ts`: run it as a user would.
describe('the demo', () => {
  it('gets app tokens three ways (second calls from the cache) and signs a user in with the device code flow', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/demo/demo.ts'], { cwd: root, timeout: 90_000 })
    expect(stdout).toMatch(/6 tokens asked for, 3 token requests sent/)
    expect(stdout).toMatch(/signed in as ada@authfold\.test \(identity_provider\)/)
    expect(stdout).toMatch(/the cache now holds 1 account/)
    expect(stdout).not.toMatch(/demo-secret-not-printed|demo-password-not-printed/)
  }, 120_000)
})
