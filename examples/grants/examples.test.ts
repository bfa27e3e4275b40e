// Each example runs as the README says (`pnpm example <name>`, i.e. the root `example`
// script: `tsx examples/grants/run.ts <name>`), as a child process against its own local
// identity provider; its output must show what it claims, and never a secret or a token.
import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { examples } from './run.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const script = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts['example'] ?? ''

/** Runs `pnpm example <args>` as pnpm would: the script's `tsx <file>` as `node --import tsx <file>`. */
const runExample = async (...args: ReadonlyArray<string>): Promise<{ readonly code: number; readonly out: string }> => {
  const [tsx, file] = script.split(' ')
  expect(tsx).toBe('tsx')
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file ?? '', ...args], { cwd: root, timeout: 60_000 })
    return { code: 0, out: stdout + stderr }
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string }
    return { code: failed.code ?? -1, out: (failed.stdout ?? '') + (failed.stderr ?? '') }
  }
}

const expected: Readonly<Record<string, ReadonlyArray<RegExp>>> = {
  'client-secret': [/^first call: +Bearer token from identity_provider \(\d+ chars, expires in 3599 s\)$/m, /^second call: Bearer token from cache /m],
  'client-certificate': [/Bearer token from identity_provider/, /sent client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer, client_assertion=<redacted>/],
  'auth-code': [/Bearer token from identity_provider .* for ada@authfold\.test/, /code_challenge_method=S256; the code was redeemed with code_verifier=<redacted>/],
  'device-code': [/enter the code [A-Z0-9]+ to authenticate/, /Bearer token from identity_provider .* for ada@authfold\.test/],
  'username-password': [
    /^managed: +Bearer token from identity_provider .* for ada@authfold\.test$/m,
    /^federated: Bearer token from identity_provider .* for grace@fabrikam\.test$/m,
    /^grant types sent: password, urn:ietf:params:oauth:grant-type:saml1_1-bearer$/m,
  ],
  'refresh-token': [/Bearer token from identity_provider .* for ada@authfold\.test/, /the cache now holds 1 account: ada@authfold\.test/],
  'on-behalf-of': [/^first exchange: +Bearer token from identity_provider .* for ada@authfold\.test$/m, /^second exchange: Bearer token from cache /m],
  'user-fic': [/Bearer token from identity_provider .* for agent-user@authfold\.test/, /^grant_type sent: user_fic$/m],
  silent: [/^silent: +Bearer token from cache /m, /^silent \(forceRefresh\): Bearer token from identity_provider /m, /^grant types sent: password, refresh_token$/m],
  'managed-identity': [/^first call: +Bearer token from identity_provider /m, /^second call: Bearer token from cache /m],
  'ssh-certificate': [/^first call: +ssh-cert token from identity_provider /m, /^second call: ssh-cert token from cache /m, /^certificate type: ssh-rsa-cert-v01@openssh\.com$/m],
}

describe('pnpm example', () => {
  it('has an expectation for every example, and every .ts file of the folder is an example or a helper', () => {
    const files = readdirSync(fileURLToPath(new URL('.', import.meta.url))).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    expect(files.map((f) => f.replace(/\.ts$/, '')).filter((n) => n !== 'run' && n !== 'show').sort()).toEqual(Object.keys(examples).sort())
    expect(Object.keys(expected).sort()).toEqual(Object.keys(examples).sort())
  })

  it('lists the examples without a name, and refuses an unknown one', async () => {
    const list = await runExample()
    expect(list.code).toBe(0)
    for (const name of Object.keys(examples)) expect(list.out).toContain(`  ${name} `)
    const unknown = await runExample('no-such-example')
    expect(unknown.code).toBe(1)
    expect(unknown.out).toContain('No example named no-such-example.')
  }, 60_000)

  it('is listed in the README, each name with its command', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8')
    for (const name of Object.keys(examples)) expect(readme.includes(`pnpm example ${name} `), name).toBe(true)
  })

  it.concurrent.each(Object.keys(examples))('%s runs against the local IdP, exits 0 and prints no secret', async (name) => {
    const { code, out } = await runExample(name)
    expect(out).toMatch(/^ok: /m)
    expect(out).not.toMatch(/FAILED/)
    for (const line of expected[name] ?? []) expect(out).toMatch(line)
    expect(out).not.toMatch(/not-printed|eyJ[\w-]+\.[\w-]+/) // no secret, password or JWT
    expect(code).toBe(0)
  }, 90_000)
})
