/**
 * Reads the process environment for managed identity, on Node: the pipelines themselves
 * read no `process.env`.
 *
 * @module
 */
import { existsSync, promises as fs } from 'node:fs'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { cacheError } from '@authfold/core'
import type { ArcKeyFiles, ManagedIdentityEnvironment } from '@authfold/client'

/**
 * The Azure Arc key folder of a platform, as MSAL Python has it (`undefined` elsewhere:
 * Arc is then refused).
 *
 * @category managed identity
 * @since 0.1.0
 * @see MSAL Python `_supported_arc_platforms_and_their_prefixes`
 */
export const arcKeyFolderOf = (platform: string, vars: Readonly<Record<string, string | undefined>>): string | undefined =>
  platform === 'linux'
    ? '/var/opt/azcmagent/tokens'
    : platform === 'win32' && vars['ProgramData'] !== undefined
      ? `${vars['ProgramData']}\\AzureConnectedMachineAgent\\Tokens`
      : undefined

/**
 * Where the Azure Arc agent's `himds` is installed on a platform.
 *
 * @category managed identity
 * @since 0.1.0
 * @see MSAL Python `_get_arc_endpoint`
 */
export const arcAgentPathOf = (platform: string, vars: Readonly<Record<string, string | undefined>>): string | undefined =>
  platform === 'linux'
    ? '/opt/azcmagent/bin/himds'
    : platform === 'win32' && vars['ProgramFiles'] !== undefined
      ? `${vars['ProgramFiles']}\\AzureConnectedMachineAgent\\himds.exe`
      : undefined

/**
 * The {@link ManagedIdentityEnvironment} of a process: its variables, whether the Arc
 * agent is installed, and the Arc key folder of the platform.
 *
 * @example
 * ```ts
 * import { createManagedIdentityClient, type ManagedIdentity } from '@authfold/client'
 * import { arcKeyFiles, managedIdentityEnvironment } from '@authfold/node'
 *
 * declare const managedIdentity: ManagedIdentity
 * const client = createManagedIdentityClient({ managedIdentity, environment: managedIdentityEnvironment(process.env), arcFiles: arcKeyFiles() })
 * ```
 * @category managed identity
 * @since 0.1.0
 */
export const managedIdentityEnvironment = (
  vars: Readonly<Record<string, string | undefined>>,
  machine: { readonly platform?: string; readonly exists?: (path: string) => boolean } = {},
): ManagedIdentityEnvironment => {
  const platform = machine.platform ?? process.platform
  const exists = machine.exists ?? existsSync
  const agent = arcAgentPathOf(platform, vars)
  return {
    IDENTITY_ENDPOINT: vars['IDENTITY_ENDPOINT'],
    IDENTITY_HEADER: vars['IDENTITY_HEADER'],
    IDENTITY_SERVER_THUMBPRINT: vars['IDENTITY_SERVER_THUMBPRINT'],
    IMDS_ENDPOINT: vars['IMDS_ENDPOINT'],
    MSI_ENDPOINT: vars['MSI_ENDPOINT'],
    MSI_SECRET: vars['MSI_SECRET'],
    AZURE_POD_IDENTITY_AUTHORITY_HOST: vars['AZURE_POD_IDENTITY_AUTHORITY_HOST'],
    arcAgentInstalled: agent !== undefined && exists(agent),
    arcKeyFolder: arcKeyFolderOf(platform, vars),
  }
}

/**
 * The Azure Arc key-file effect on `node:fs` (size by `stat`, then the text). The grant
 * checks the path and the size before reading.
 *
 * @category managed identity
 * @since 0.1.0
 */
export const arcKeyFiles = (): ArcKeyFiles => ({
  size: (path) =>
    pipe(
      TE.tryCatch(
        () => fs.stat(path),
        () => cacheError('io', 'The Azure Arc key file could not be found; check that the Arc agent (himds) is running.'),
      ),
      TE.map((s) => s.size),
    ),
  read: (path) =>
    TE.tryCatch(
      () => fs.readFile(path, 'utf8'),
      () => cacheError('io', 'The Azure Arc key file could not be read; run as a user in the himds group (Linux) or as an administrator (Windows).'),
    ),
})

