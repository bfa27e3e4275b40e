/**
 * The command line of `authfold token`, read into a {@link TokenCommand}: pure, with the
 * environment given as a value (the secret is named by `--client-secret-env`, never typed
 * on the command line, where `ps` and shell history would keep it).
 *
 * @module
 */
import { parseArgs } from 'node:util'

/**
 * How the app proves itself: a client secret, a certificate (PEM files), or none (a public
 * client signing a user in with the device code flow).
 *
 * @category model
 * @since 0.1.0
 */
export type CliCredential =
  | { readonly _tag: 'secret'; readonly secret: string }
  | {
      readonly _tag: 'certificate'
      readonly certificateFile: string
      readonly keyFile: string
      readonly passphrase?: string
    }
  | { readonly _tag: 'deviceCode' }

/**
 * What `authfold token ...` asks for.
 *
 * @category model
 * @since 0.1.0
 */
export interface TokenCommand {
  readonly _tag: 'token'
  readonly clientId: string
  readonly authority: string
  readonly credential: CliCredential
  readonly scopes: ReadonlyArray<string>
  readonly showToken: boolean
  /** A PEM file of CA certificates to trust (beside `NODE_EXTRA_CA_CERTS`, which Node reads itself). */
  readonly caFile?: string
  /** `'env'` or a proxy URL (the `proxy` option of `nodeHttpClient`). */
  readonly proxy?: string
  readonly validateAuthority: boolean
  readonly timeoutMs: number
}

/**
 * What the command line asked for: a token, the help text, or a usage error (its message
 * says what to pass).
 *
 * @category model
 * @since 0.1.0
 */
export type Command = TokenCommand | { readonly _tag: 'help' } | { readonly _tag: 'usage'; readonly message: string }

/**
 * The help text of `authfold`.
 *
 * @category utils
 * @since 0.1.0
 */
export const HELP = `Usage: authfold token --client-id ID --authority URL (--client-secret-env VAR | --certificate FILE | --device-code) [options]

Gets a token and prints the result as JSON on stdout (tokens redacted unless --show-token).

Credentials (one):
  --client-secret-env VAR      the client secret, read from environment variable VAR
  --certificate FILE           a PEM certificate; its private key in the same file or in --certificate-key
  --certificate-key FILE       the PEM private key of --certificate
  --certificate-passphrase-env VAR   the passphrase of an encrypted key, from environment variable VAR
  --device-code                sign a user in with the device code flow (public client): follow the
                               instructions printed on stderr

Options:
  --scope SCOPE                a scope, repeatable (default: https://graph.microsoft.com/.default with a
                               secret or certificate, User.Read with --device-code)
  --show-token                 print the access, refresh and ID tokens instead of redacting them
  --ca FILE                    trust the CA certificates in this PEM file (NODE_EXTRA_CA_CERTS works too)
  --proxy env|URL              go through a proxy: 'env' reads HTTPS_PROXY and NO_PROXY
  --skip-authority-validation  do not check the authority against Microsoft's known hosts (own or local IdPs)
  --timeout-ms N               per HTTP request (default 10000)
  -h, --help                   this text
`

const usage = (message: string): Command => ({ _tag: 'usage', message: `${message} Run authfold --help for the options.` })

const DEFAULT_CONFIDENTIAL_SCOPE = 'https://graph.microsoft.com/.default'
const DEFAULT_DEVICE_CODE_SCOPE = 'User.Read'

type Values = {
  readonly [k: string]: string | boolean | ReadonlyArray<string> | undefined
}

const text = (values: Values, name: string): string | undefined => {
  const v = values[name]
  return typeof v === 'string' ? v : undefined
}

const credentialOf = (values: Values, env: Readonly<Record<string, string | undefined>>): CliCredential | string => {
  const secretVar = text(values, 'client-secret-env')
  const certificateFile = text(values, 'certificate')
  const deviceCode = values['device-code'] === true
  const chosen = [secretVar !== undefined, certificateFile !== undefined, deviceCode].filter(Boolean).length
  if (chosen !== 1) return 'Pass exactly one of --client-secret-env VAR, --certificate FILE and --device-code.'
  if (secretVar !== undefined) {
    const secret = env[secretVar]
    return secret === undefined || secret === '' ? `The environment variable ${secretVar} (--client-secret-env) is not set: export the client secret in it.` : { _tag: 'secret', secret }
  }
  if (certificateFile !== undefined) {
    const passphraseVar = text(values, 'certificate-passphrase-env')
    const passphrase = passphraseVar === undefined ? undefined : env[passphraseVar]
    if (passphraseVar !== undefined && passphrase === undefined) return `The environment variable ${passphraseVar} (--certificate-passphrase-env) is not set.`
    return { _tag: 'certificate', certificateFile, keyFile: text(values, 'certificate-key') ?? certificateFile, ...(passphrase === undefined ? {} : { passphrase }) }
  }
  return { _tag: 'deviceCode' }
}

/**
 * Reads `authfold`'s arguments (without `node` and the script). Never throws: unknown
 * options, a missing value or a missing environment variable are a `usage` command.
 *
 * @example
 * ```ts
 * import { parseCommand } from '@authfold/cli'
 *
 * const command = parseCommand(['token', '--client-id', 'app', '--authority', 'https://login.microsoftonline.com/contoso.onmicrosoft.com/', '--client-secret-env', 'S'], { S: 'x' })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const parseCommand = (argv: ReadonlyArray<string>, env: Readonly<Record<string, string | undefined>>): Command => {
  let parsed: { readonly values: Values; readonly positionals: ReadonlyArray<string> }
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'client-id': { type: 'string' },
        authority: { type: 'string' },
        'client-secret-env': { type: 'string' },
        certificate: { type: 'string' },
        'certificate-key': { type: 'string' },
        'certificate-passphrase-env': { type: 'string' },
        'device-code': { type: 'boolean' },
        scope: { type: 'string', multiple: true },
        'show-token': { type: 'boolean' },
        ca: { type: 'string' },
        proxy: { type: 'string' },
        'skip-authority-validation': { type: 'boolean' },
        'timeout-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (e: unknown) {
    return usage(e instanceof Error ? e.message.split('\n')[0] ?? 'Bad arguments.' : 'Bad arguments.')
  }
  const { values, positionals } = parsed
  if (values['help'] === true || positionals.length === 0) return { _tag: 'help' }
  if (positionals[0] !== 'token' || positionals.length > 1) return usage(`Unknown command "${positionals.join(' ')}": the command is token.`)
  const clientId = text(values, 'client-id')
  const authority = text(values, 'authority')
  if (clientId === undefined || clientId === '') return usage('Pass --client-id, the application (client) id.')
  if (authority === undefined || authority === '') return usage('Pass --authority, e.g. https://login.microsoftonline.com/<tenant>/.')
  const credential = credentialOf(values, env)
  if (typeof credential === 'string') return usage(credential)
  const timeout = text(values, 'timeout-ms')
  const timeoutMs = timeout === undefined ? 10_000 : Number(timeout)
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return usage('--timeout-ms takes a positive whole number of milliseconds.')
  const scopes = values['scope']
  const caFile = text(values, 'ca')
  const proxy = text(values, 'proxy')
  return {
    _tag: 'token',
    clientId,
    authority,
    credential,
    scopes: Array.isArray(scopes) && scopes.length > 0 ? scopes : [credential._tag === 'deviceCode' ? DEFAULT_DEVICE_CODE_SCOPE : DEFAULT_CONFIDENTIAL_SCOPE],
    showToken: values['show-token'] === true,
    ...(caFile === undefined ? {} : { caFile }),
    ...(proxy === undefined ? {} : { proxy }),
    validateAuthority: values['skip-authority-validation'] !== true,
    timeoutMs,
  }
}
