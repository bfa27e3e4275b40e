/**
 * Picks the managed identity source from the environment the way MSAL Python does. The
 * environment is an input (a plain record): nothing here reads `process.env`;
 * `@authfold/node`'s `managedIdentityEnvironment(process.env)` builds it on Node.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { configError, type ConfigError } from '@authfold/core'
import { isUserAssigned, type ManagedIdentity } from './identity.js'

/**
 * The environment variables (and two facts about the machine) that decide the source.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `get_managed_identity_source`
 */
export interface ManagedIdentityEnvironment {
  readonly IDENTITY_ENDPOINT?: string | undefined
  readonly IDENTITY_HEADER?: string | undefined
  readonly IDENTITY_SERVER_THUMBPRINT?: string | undefined
  readonly IMDS_ENDPOINT?: string | undefined
  readonly MSI_ENDPOINT?: string | undefined
  readonly MSI_SECRET?: string | undefined
  /** Replaces IMDS's `http://169.254.169.254` (AAD Pod Identity). */
  readonly AZURE_POD_IDENTITY_AUTHORITY_HOST?: string | undefined
  /** True when the Azure Arc agent (`himds`) is installed on this machine. */
  readonly arcAgentInstalled?: boolean | undefined
  /**
   * The only folder an Azure Arc key file may be read from (Linux: `/var/opt/azcmagent/tokens`,
   * Windows: `%ProgramData%\AzureConnectedMachineAgent\Tokens`). Without it, Arc is refused.
   */
  readonly arcKeyFolder?: string | undefined
}

/**
 * A managed identity source and what it needs, each with its own wire format.
 *
 * @category model
 * @since 0.1.0
 */
export type ManagedIdentitySource =
  | { readonly kind: 'ServiceFabric'; readonly endpoint: string; readonly identityHeader: string; readonly serverThumbprint: string }
  | { readonly kind: 'AppService'; readonly endpoint: string; readonly identityHeader: string }
  | { readonly kind: 'MachineLearning'; readonly endpoint: string; readonly secret: string }
  | { readonly kind: 'AzureArc'; readonly endpoint: string; readonly keyFolder: string | undefined }
  | { readonly kind: 'CloudShell'; readonly endpoint: string }
  | { readonly kind: 'Imds'; readonly endpoint: string }

/**
 * The Azure Arc endpoint when the agent is installed but no `IDENTITY_ENDPOINT` is set.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `_get_arc_endpoint`
 */
export const ARC_DEFAULT_ENDPOINT = 'http://localhost:40342/metadata/identity/oauth2/token'

/**
 * IMDS's address when `AZURE_POD_IDENTITY_AUTHORITY_HOST` is not set.
 *
 * @category constants
 * @since 0.1.0
 */
export const IMDS_DEFAULT_HOST = 'http://169.254.169.254'

const has = (v: string | undefined): v is string => v !== undefined && v !== ''

const checkUrl = (value: string, variable: string): E.Either<ConfigError, string> => {
  const parsed = URL.canParse(value) ? new URL(value) : undefined
  return parsed !== undefined && (parsed.protocol === 'http:' || parsed.protocol === 'https:')
    ? E.right(value)
    : E.left(
        configError(
          'invalid_argument',
          `${variable} is not an http(s) URL, so no managed identity token can be requested from it. Check the variable (it is set by the Azure host), or unset it.`,
          variable,
        ),
      )
}

/**
 * The source MSAL Python would use, in its order: Service Fabric (`IDENTITY_ENDPOINT` +
 * `IDENTITY_HEADER` + `IDENTITY_SERVER_THUMBPRINT`), App Service (`IDENTITY_ENDPOINT` +
 * `IDENTITY_HEADER`), Azure Machine Learning (`MSI_ENDPOINT` + `MSI_SECRET`), Azure Arc
 * (`IDENTITY_ENDPOINT` + `IMDS_ENDPOINT`, or the agent installed), Cloud Shell
 * (`MSI_ENDPOINT`), else IMDS. An endpoint that is not an http(s) URL is a `ConfigError`.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `get_managed_identity_source`
 */
export const pickManagedIdentitySource = (env: ManagedIdentityEnvironment): E.Either<ConfigError, ManagedIdentitySource> => {
  if (has(env.IDENTITY_ENDPOINT) && has(env.IDENTITY_HEADER) && has(env.IDENTITY_SERVER_THUMBPRINT)) {
    const { IDENTITY_HEADER: identityHeader, IDENTITY_SERVER_THUMBPRINT: serverThumbprint } = env
    return E.map((endpoint: string): ManagedIdentitySource => ({ kind: 'ServiceFabric', endpoint, identityHeader, serverThumbprint }))(
      checkUrl(env.IDENTITY_ENDPOINT, 'IDENTITY_ENDPOINT'),
    )
  }
  if (has(env.IDENTITY_ENDPOINT) && has(env.IDENTITY_HEADER)) {
    const identityHeader = env.IDENTITY_HEADER
    return E.map((endpoint: string): ManagedIdentitySource => ({ kind: 'AppService', endpoint, identityHeader }))(checkUrl(env.IDENTITY_ENDPOINT, 'IDENTITY_ENDPOINT'))
  }
  if (has(env.MSI_ENDPOINT) && has(env.MSI_SECRET)) {
    const secret = env.MSI_SECRET
    return E.map((endpoint: string): ManagedIdentitySource => ({ kind: 'MachineLearning', endpoint, secret }))(checkUrl(env.MSI_ENDPOINT, 'MSI_ENDPOINT'))
  }
  if ((has(env.IDENTITY_ENDPOINT) && has(env.IMDS_ENDPOINT)) || env.arcAgentInstalled === true) {
    const keyFolder = env.arcKeyFolder
    return E.map((endpoint: string): ManagedIdentitySource => ({ kind: 'AzureArc', endpoint, keyFolder }))(
      has(env.IDENTITY_ENDPOINT) && has(env.IMDS_ENDPOINT) ? checkUrl(env.IDENTITY_ENDPOINT, 'IDENTITY_ENDPOINT') : E.right(ARC_DEFAULT_ENDPOINT),
    )
  }
  if (has(env.MSI_ENDPOINT)) return E.map((endpoint: string): ManagedIdentitySource => ({ kind: 'CloudShell', endpoint }))(checkUrl(env.MSI_ENDPOINT, 'MSI_ENDPOINT'))
  const host = has(env.AZURE_POD_IDENTITY_AUTHORITY_HOST) ? env.AZURE_POD_IDENTITY_AUTHORITY_HOST.trim().replace(/\/+$/, '') : IMDS_DEFAULT_HOST
  return E.map((h: string): ManagedIdentitySource => ({ kind: 'Imds', endpoint: `${h}/metadata/identity/oauth2/token` }))(
    checkUrl(host, 'AZURE_POD_IDENTITY_AUTHORITY_HOST'),
  )
}

/**
 * Refuses a user-assigned identity on a source that cannot take one at run time: Azure
 * Arc and Cloud Shell (system-assigned only) and Service Fabric (its identity is set in
 * the cluster; MSAL Python ignores the parameter, authfold refuses it so no token of
 * another identity is returned).
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_obtain_token` (Arc's `ManagedIdentityError`)
 */
export const checkIdentityForSource = (source: ManagedIdentitySource, mi: ManagedIdentity): E.Either<ConfigError, ManagedIdentitySource> =>
  isUserAssigned(mi) && (source.kind === 'AzureArc' || source.kind === 'CloudShell' || source.kind === 'ServiceFabric')
    ? E.left(
        configError(
          'unsupported',
          source.kind === 'ServiceFabric'
            ? 'Service Fabric sets the managed identity in the cluster, not at run time: use systemAssignedManagedIdentity() and configure the identity on the application.'
            : `${source.kind === 'AzureArc' ? 'Azure Arc' : 'Cloud Shell'} supports only the system-assigned managed identity: use systemAssignedManagedIdentity().`,
          'managedIdentity',
        ),
      )
    : E.right(source)
