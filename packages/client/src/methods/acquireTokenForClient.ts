/**
 * @module
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError, ResolvedAuthority } from '@authfold/core'
import { clientCredentials, clientCredentialsPolicy, type AuthResult, type CacheFirstPolicy, type ClientCredentialsParams, type SshCertificateRequest } from '@authfold/grants'
import { cacheHitNow, runCacheFirst, type ConfidentialContext, type PolicyOf } from '../context.js'
import { orThrow } from '../failure.js'
import { policyMemo, type PolicyMemo } from '../policyMemo.js'
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
export const acquireTokenForClient = (ctx: ConfidentialContext) => {
  const policyOf = clientPolicyOf(ctx)
  return (scopes: ReadonlyArray<string>, options: AcquireTokenForClientOptions = NO_OPTIONS): TE.TaskEither<AuthError, AuthResult> =>
    () => {
      const hit = cacheHitNow(ctx, options, policyOf, scopes, options, undefined)
      // the grant's task chain is built only here: a hit (the common call) never needs it
      return hit !== undefined ? Promise.resolve(E.right(hit)) : runClientCredentials(ctx, scopes, options)
    }
}

/**
 * The Promise form of {@link acquireTokenForClient} (what the facade uses): the same
 * answers, a cache hit answered as `Promise.resolve(result)`, with no task, Either or `then`
 * built for it.
 *
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_for_client`
 */
export const acquireTokenForClientPromise = (ctx: ConfidentialContext) => {
  const policyOf = clientPolicyOf(ctx)
  return (scopes: ReadonlyArray<string>, options: AcquireTokenForClientOptions = NO_OPTIONS): Promise<AuthResult> => {
    try {
      const hit = cacheHitNow(ctx, options, policyOf, scopes, options, undefined)
      if (hit !== undefined) return Promise.resolve(hit)
      return runClientCredentials(ctx, scopes, options).then(orThrow)
    } catch (e) {
      return Promise.reject(e) // as toPromise: a Promise method never throws synchronously
    }
  }
}

// The grant of a call that was not a hit. Its closure is built here, not in the methods: a
// parameter an inner function captures is kept in a context object allocated at every call
// of the function that declares it, hit or not.
const runClientCredentials = (ctx: ConfidentialContext, scopes: ReadonlyArray<string>, options: AcquireTokenForClientOptions): Promise<E.Either<AuthError, AuthResult>> =>
  runCacheFirst(ctx, options, (authority) => clientCredentials(grantParams(ctx, authority, scopes, options)))

// The client credentials policy of a call; the last one built is kept for calls with the
// same authority and scopes (the options that change it are not memoized).
const clientPolicyOf = (ctx: ConfidentialContext): PolicyOf<ReadonlyArray<string>, AcquireTokenForClientOptions, undefined> => {
  const memo = policyMemo()
  return (authority, scopes, options) => {
    if (options.fmiPath !== undefined || options.claimsChallenge !== undefined || options.forceRefresh === true || options.sshCertificate !== undefined || !Array.isArray(scopes))
      return clientCredentialsPolicy(grantParams(ctx, authority, scopes, options))
    const kept = memo.find(authority, undefined, scopes, ctx.clientCapabilities)
    return kept !== undefined ? kept.policy : keepClientPolicy(memo, ctx, authority, scopes, options)
  }
}

// (a function of its own, so that a memo hit allocates no context for the builder's captures)
const keepClientPolicy = (
  memo: PolicyMemo,
  ctx: ConfidentialContext,
  authority: ResolvedAuthority,
  scopes: ReadonlyArray<string>,
  options: AcquireTokenForClientOptions,
): CacheFirstPolicy | undefined => memo.keep(authority, undefined, scopes, ctx.clientCapabilities, (copy) => clientCredentialsPolicy(grantParams(ctx, authority, copy, options)))

// Every field named, none spread: a call that is not a memoized hit builds this one object (a spread costs a
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
