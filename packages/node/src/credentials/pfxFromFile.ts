/**
 * @module
 */
import { readFileSync } from 'node:fs'
import * as TE from 'fp-ts/TaskEither'
import { configError, makeClientAuth, type ClientAuth } from '@authfold/core'
import { pfxCertificate, type PfxCertificateOptions } from '@authfold/core/pfx'

const readBytes = (path: string): Uint8Array | undefined => {
  try {
    return new Uint8Array(readFileSync(path))
  } catch {
    return undefined
  }
}

/**
 * A certificate credential from a PKCS#12 (`.pfx`, `.p12`) file on disk: reads the file
 * once, now (as MSAL Python reads `private_key_pfx_path` when the app is built), and hands
 * its bytes to `pfxCertificate` from `@authfold/core/pfx`. Never throws: a file that cannot
 * be read, a wrong passphrase or a file without a private key make `problem` a
 * `ConfigError`, and the facades refuse to build the client with it.
 *
 * @example
 * ```ts
 * import { pfxFromFile } from '@authfold/node'
 *
 * const credential = pfxFromFile('/etc/app/app.pfx', process.env.PFX_PASSPHRASE, { publicCertificate: true })
 * ```
 * @category credentials
 * @since 0.1.0
 * @see MSAL Python `client_credential={"private_key_pfx_path": path, "passphrase": ...}`
 */
export const pfxFromFile = (
  path: string,
  passphrase?: string,
  options: Omit<PfxCertificateOptions, 'pfx' | 'passphrase'> = {},
): ClientAuth => {
  const bytes = readBytes(path)
  if (bytes === undefined) {
    const problem = configError('invalid_credential', `The PKCS#12 (.pfx) file ${path} could not be read. Check the path and that this process may read it.`, 'pfx')
    return makeClientAuth('certificate', () => TE.left(problem), problem)
  }
  return pfxCertificate({ ...options, pfx: bytes, ...(passphrase === undefined ? {} : { passphrase }) })
}
