/**
 * The built `authfold` executable (packages/cli/dist/node/bin.js, as npm would install it),
 * spawned as a child process against the local IdP over real HTTPS: a client secret from
 * the environment, a certificate (one PEM file or two), the device code flow approved by the
 * test, the CA by --ca or NODE_EXTRA_CA_CERTS, tokens redacted unless --show-token, and the
 * typed error of a refused secret.
 */
import { spawn } from 'node:child_process'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProxy } from 'proxy'
import { selfSignedCertificate, startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { ensureBuilt, root } from '../../../scripts/build.js'

const SECRET = 'cli-secret-Mm5!'
const PASSWORD = 'cli-password-Rr8!'
const BIN = join(root, 'packages/cli/dist/node/bin.js')

let idp: IdentityProvider
let dir = ''
let caFile = ''
let combinedPem = ''
let certFile = ''
let keyFile = ''

beforeAll(async () => {
  await ensureBuilt()
  idp = await startIdentityProvider()
  const cert = await selfSignedCertificate({ commonName: 'authfold-cli-test' })
  idp.registerClient({ clientId: 'cli-secret-app', secret: SECRET })
  idp.registerClient({ clientId: 'cli-cert-app', certificate: { certificatePem: cert.certificatePem } })
  idp.registerClient({ clientId: 'cli-public-app' })
  idp.registerUser({ username: 'grace@authfold.test', password: PASSWORD })
  idp.deviceCodes.configure({ intervalSeconds: 1, lifetimeSeconds: 60 })
  dir = mkdtempSync(join(tmpdir(), 'authfold-cli-'))
  caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, idp.ca)
  combinedPem = join(dir, 'app.pem')
  writeFileSync(combinedPem, `${cert.privateKeyPem}\n${cert.certificatePem}`)
  certFile = join(dir, 'cert.pem')
  writeFileSync(certFile, cert.certificatePem)
  keyFile = join(dir, 'key.pem')
  writeFileSync(keyFile, cert.privateKeyPem)
}, 240_000)
afterAll(async () => {
  await idp.stop()
  rmSync(dir, { recursive: true, force: true })
})

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Spawns the CLI with only PATH and `env` in its environment (no proxy variables leak in);
 * `onStderr` sees stderr as it grows. Killed after 30 s.
 */
const cli = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}, onStderr: (text: string) => void = () => undefined): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString()
      onStderr(stderr)
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })

const base = (clientId: string): ReadonlyArray<string> => ['token', '--client-id', clientId, '--authority', idp.authority(), '--skip-authority-validation']

const REDACTED = /^<redacted: \d+ characters; --show-token prints it>$/

describe('authfold token (the built CLI, spawned)', () => {
  it('a client secret from the environment, the CA by --ca: the result as JSON, the token redacted', async () => {
    const r = await cli([...base('cli-secret-app'), '--client-secret-env', 'APP_SECRET', '--ca', caFile, '--scope', 'api://cli/.default'], { APP_SECRET: SECRET })
    expect(r).toMatchObject({ code: 0, stderr: '' })
    const result = JSON.parse(r.stdout) as Record<string, unknown>
    expect(result).toMatchObject({ token_type: 'Bearer', token_source: 'identity_provider', access_token: expect.stringMatching(REDACTED) })
    expect(r.stdout).not.toContain(SECRET)
    expect(r.stdout).not.toMatch(/eyJ[\w-]+\.[\w-]+\./) // no JWT anywhere
    const token = idp.requests.filter((q) => q.path.endsWith('/oauth2/v2.0/token')).at(-1)
    expect(token?.form).toMatchObject({ grant_type: 'client_credentials', client_id: 'cli-secret-app', scope: 'api://cli/.default' })
  })

  it('--show-token prints the token; NODE_EXTRA_CA_CERTS serves instead of --ca', async () => {
    const r = await cli([...base('cli-secret-app'), '--client-secret-env', 'APP_SECRET', '--show-token'], { APP_SECRET: SECRET, NODE_EXTRA_CA_CERTS: caFile })
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout) as { access_token: string }
    expect(result.access_token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/)
  })

  it('a certificate: one PEM file with key and certificate, or two files', async () => {
    for (const files of [['--certificate', combinedPem], ['--certificate', certFile, '--certificate-key', keyFile]]) {
      const r = await cli([...base('cli-cert-app'), ...files, '--ca', caFile])
      expect(r).toMatchObject({ code: 0, stderr: '' })
      expect(JSON.parse(r.stdout)).toMatchObject({ token_source: 'identity_provider', access_token: expect.stringMatching(REDACTED) })
      const form = idp.requests.filter((q) => q.path.endsWith('/oauth2/v2.0/token')).at(-1)?.form
      expect(form).toMatchObject({ client_id: 'cli-cert-app', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' })
      expect(r.stdout).not.toContain(String(form?.['client_assertion']))
    }
  })

  it('--device-code: the instructions on stderr, the test approves the code, the result redacted', async () => {
    let approved = false
    const r = await cli([...base('cli-public-app'), '--device-code', '--ca', caFile, '--scope', 'User.Read'], {}, (stderr) => {
      const code = /enter the code (\S+) to authenticate/.exec(stderr)?.[1]
      if (code !== undefined && !approved) approved = idp.deviceCodes.approve(code, 'grace@authfold.test')
    })
    expect(approved).toBe(true)
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^To sign in, use a web browser to open the page https:\/\/127\.0\.0\.1:\d+\/common\/oauth2\/deviceauth and enter the code \S+ to authenticate\.\n$/)
    const result = JSON.parse(r.stdout) as Record<string, unknown>
    expect(result).toMatchObject({
      token_source: 'identity_provider',
      access_token: expect.stringMatching(REDACTED),
      refresh_token: expect.stringMatching(REDACTED),
      id_token: expect.stringMatching(REDACTED),
      id_token_claims: expect.objectContaining({ preferred_username: 'grace@authfold.test' }),
    })
  })

  it('--proxy env: through HTTPS_PROXY (the proxy logs the CONNECT); without --proxy the variable is not read', async () => {
    const tunnels: string[] = []
    const proxy = createProxy(http.createServer())
    proxy.on('connect', (req: http.IncomingMessage) => void tunnels.push(`CONNECT ${req.url ?? ''}`))
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    const env = { APP_SECRET: SECRET, HTTPS_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` }
    try {
      const args = [...base('cli-secret-app'), '--client-secret-env', 'APP_SECRET', '--ca', caFile]
      expect((await cli([...args, '--proxy', 'env'], env)).code).toBe(0)
      expect(new Set(tunnels)).toEqual(new Set([`CONNECT ${new URL(idp.authority()).host}`]))
      tunnels.length = 0
      expect((await cli(args, env)).code).toBe(0)
      expect(tunnels).toEqual([])
    } finally {
      proxy.closeAllConnections()
      await new Promise((r) => proxy.close(r))
    }
  })

  it('a refused secret: exit 1, the typed error on stderr, no secret anywhere', async () => {
    const wrong = 'not-the-cli-secret-Ww2'
    const r = await cli([...base('cli-secret-app'), '--client-secret-env', 'APP_SECRET', '--ca', caFile], { APP_SECRET: wrong })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^authfold: ProtocolError: /)
    expect(JSON.parse(r.stderr.slice(r.stderr.indexOf('\n') + 1))).toMatchObject({ _tag: 'ProtocolError', error: 'invalid_client' })
    expect(r.stderr).not.toContain(wrong)
  })

  it('an untrusted server (no --ca): exit 1 with the TLS advice', async () => {
    const r = await cli([...base('cli-secret-app'), '--client-secret-env', 'APP_SECRET'], { APP_SECRET: SECRET })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^authfold: HttpError: TLS with 127\.0\.0\.1:\d+ failed/)
  })

  it('usage errors exit 2 and say what to pass; --help exits 0', async () => {
    expect(await cli(['token', '--client-id', 'x', '--authority', idp.authority()])).toMatchObject({
      code: 2,
      stderr: 'authfold: Pass exactly one of --client-secret-env VAR, --certificate FILE and --device-code. Run authfold --help for the options.\n',
    })
    expect(await cli([...base('cli-secret-app'), '--client-secret-env', 'UNSET_VAR'])).toMatchObject({
      code: 2,
      stderr: 'authfold: The environment variable UNSET_VAR (--client-secret-env) is not set: export the client secret in it. Run authfold --help for the options.\n',
    })
    const help = await cli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: authfold token --client-id ID --authority URL/)
  })
})
