/**
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError, ResolvedAuthority } from '@authfold/core'
import { clientCredentials, clientCredentialsPolicy, type AuthResult, type ClientCredentialsParams, type SshCertificateRequest } from '@authfold/grants'
import { callCacheFirst, type ConfidentialContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Options of `acquireTokenForClient`.
 *
 * @category model
 * @since 0.1.0
 */
export interface AcquireTokenForClientOptions extends CallOptions {
  /** A claims challenge from a resource: skips the cache and is sent as `claims`. */
  readonly claimsChallenge?: string
  /** A Federated Managed Identity path, sent as `fmi_path`; it keys the cache separately. */
  readonly fmiPath?: string
  /** Sent as `client-request-id`. Default: a fresh UUID per call. */
  readonly correlationId?: string
  /** Refused with a ConfigError, as MSAL refuses it. */
  readonly forceRefresh?: boolean
  /**
   * Ask for an SSH certificate for the public key `reqCnf` (a JWK as a JSON string) with id
   * `keyId`: sent as MSAL Python sends `data={"token_type": "ssh-cert", "key_id", "req_cnf"}`,
   * cached under the key id, never served to a Bearer call. A missing `reqCnf` or `keyId` is
   * a ConfigError, as in MSAL Python.
   */
  readonly sshCertificate?: SshCertificateRequest
}

const NO_OPTIONS: AcquireTokenForClientOptions = {}

/**
 * Acquires a token for the application itself: from the cache when a valid one is there,
 * else with the client credentials grant.
 *
 * @example
 * ```ts
 * import { acquireTokenForClient, type ConfidentialContext } from '@authfold/client'
 *
 * declare const ctx: ConfidentialContext
 * const result = await acquireTokenForClient(ctx)(['https://graph.microsoft.com/.default'])() // an Either
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_for_client`
 */
export const acquireTokenForClient =
  (ctx: ConfidentialContext) =>
  (scopes: ReadonlyArray<string>, options: AcquireTokenForClientOptions = NO_OPTIONS): TE.TaskEither<AuthError, AuthResult> =>
    callCacheFirst(
      ctx,
      options,
      (authority) => clientCredentialsPolicy(grantParams(ctx, authority, scopes, options)),
      (authority) => clientCredentials(grantParams(ctx, authority, scopes, options)),
    )

// Every field named, none spread: a cache hit builds this one object (a spread costs a
// temporary per call). The call's signal and deadline are not the grant's.
const grantParams = (ctx: ConfidentialContext, authority: ResolvedAuthority, scopes: ReadonlyArray<string>, options: AcquireTokenForClientOptions): ClientCredentialsParams => ({
  clientId: ctx.clientId,
  authority,
  credential: ctx.credential,
  scopes,
  clientCapabilities: ctx.clientCapabilities,
  claimsChallenge: options.claimsChallenge,
  fmiPath: options.fmiPath,
  forceRefresh: options.forceRefresh,
  correlationId: options.correlationId,
  sshCertificate: options.sshCertificate,
})
