/**
 * `acquireTokenForClient` of the managed identity client.
 *
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError } from '@authfold/core'
import { managedIdentityGrant, type AuthResult } from '@authfold/grants'
import type { CallOptions } from '../callLimits.js'
import type { ManagedIdentityContext } from '../managedIdentityClient.js'

/**
 * Options of the managed identity `acquireTokenForClient`.
 *
 * @category model
 * @since 0.1.0
 */
export interface ManagedIdentityTokenOptions extends CallOptions {
  /** A claims challenge from the resource: bypasses the cache. */
  readonly claimsChallenge?: string
}

/**
 * Acquires a token for `resource` (e.g. `https://management.azure.com`) as the managed
 * identity: from the cache when a token is still good, else from the source the
 * environment names.
 *
 * @example
 * ```ts
 * import type { ManagedIdentityClient } from '@authfold/client'
 *
 * declare const client: ManagedIdentityClient
 * const result = await client.acquireTokenForClient('https://management.azure.com')
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ManagedIdentityClient.acquire_token_for_client`
 */
export const acquireTokenForManagedIdentity =
  (ctx: ManagedIdentityContext) =>
  (resource: string, options: ManagedIdentityTokenOptions = {}): TE.TaskEither<AuthError, AuthResult> =>
    ctx.call(options, (env, signal) =>
      ctx.run(
        managedIdentityGrant({
          managedIdentity: ctx.managedIdentity,
          resource,
          environment: ctx.environment,
          arcFiles: ctx.arcFiles,
          clientCapabilities: ctx.clientCapabilities,
          claimsChallenge: options.claimsChallenge,
        }),
        env,
        signal,
      ),
    )
