/**
 * `authfold`: runs a {@link Command} on the public API (`createConfidentialClient`,
 * `createPublicClient`, `nodeHttpClient`), with every effect (arguments, environment, file
 * reads, output) passed in, so the bin is one line and tests can run it too.
 *
 * @module
 */
import { createConfidentialClient, createPublicClient, isAuthFailure } from '@authfold/client'
import { certificate, clientSecret, type ClientAuth } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { HELP, parseCommand, type CliCredential, type TokenCommand } from './args.js'
import { redactTokens } from './redact.js'

/**
 * The outside world of the CLI.
 *
 * @category model
 * @since 0.1.0
 */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>
  /** Reads a text file (PEM files); rejects when it cannot. */
  readonly readFile: (path: string) => Promise<string>
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

const credentialOf = async (c: Exclude<CliCredential, { readonly _tag: 'deviceCode' }>, io: CliIo): Promise<ClientAuth> => {
  if (c._tag === 'secret') return clientSecret(c.secret)
  const certificatePem = await io.readFile(c.certificateFile)
  const keyPem = c.keyFile === c.certificateFile ? certificatePem : await io.readFile(c.keyFile)
  return certificate({ privateKey: keyPem, publicCertificate: certificatePem, ...(c.passphrase === undefined ? {} : { passphrase: c.passphrase }) })
}

const acquire = async (cmd: TokenCommand, io: CliIo): Promise<object> => {
  const ca = cmd.caFile === undefined ? undefined : await io.readFile(cmd.caFile)
  const http = nodeHttpClient({ timeoutMs: cmd.timeoutMs, ...(ca === undefined ? {} : { ca }), ...(cmd.proxy === undefined ? {} : { proxy: cmd.proxy }) })
  const common = { clientId: cmd.clientId, authority: cmd.authority, http, validateAuthority: cmd.validateAuthority }
  if (cmd.credential._tag === 'deviceCode') {
    const app = createPublicClient(common)
    const flow = await app.initiateDeviceFlow(cmd.scopes)
    io.stderr(`${flow.message}\n`)
    return app.acquireTokenByDeviceFlow(flow)
  }
  const app = createConfidentialClient({ ...common, credential: await credentialOf(cmd.credential, io) })
  return app.acquireTokenForClient(cmd.scopes)
}

/** A failure as printed on stderr: the typed error's fields (they carry no secret). */
const describeError = (e: unknown): string => {
  if (isAuthFailure(e)) return `authfold: ${e.name}: ${e.message}\n${JSON.stringify(e.authError, null, 2)}\n`
  const code = (e as { readonly code?: unknown }).code
  if (typeof code === 'string' && code.startsWith('E')) return `authfold: ${e instanceof Error ? e.message : code}\n` // a file that cannot be read
  return `authfold: unexpected failure: ${e instanceof Error ? e.message : String(e)}\n`
}

/**
 * Runs `authfold` with these arguments; resolves with the exit code: 0 done, 1 the token
 * could not be had (the typed error on stderr), 2 a usage error.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises'
 * import { main } from '@authfold/cli'
 *
 * process.exitCode = await main(process.argv.slice(2), { env: process.env, readFile: (p) => readFile(p, 'utf8'), stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) })
 * ```
 *
 * @category utils
 * @since 0.1.0
 */
export const main = async (argv: ReadonlyArray<string>, io: CliIo): Promise<number> => {
  const cmd = parseCommand(argv, io.env)
  if (cmd._tag === 'help') {
    io.stdout(HELP)
    return 0
  }
  if (cmd._tag === 'usage') {
    io.stderr(`authfold: ${cmd.message}\n`)
    return 2
  }
  try {
    const result = await acquire(cmd, io)
    io.stdout(`${JSON.stringify(redactTokens(result, cmd.showToken), null, 2)}\n`)
    return 0
  } catch (e: unknown) {
    io.stderr(describeError(e))
    return 1
  }
}
