/**
 * @module
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError, ClientAuth, ResolvedAuthority } from '@authfold/core'
import { silent, silentHomeOf, silentPolicy, type SilentAccount, type SilentParams, type SshCertificateRequest, type UserAuthResult, type CacheFirstPolicy } from '@authfold/grants'
import { cacheHitNow, runCacheFirst, type ClientContext, type PolicyOf } from '../context.js'
import { orThrow } from '../failure.js'
import { policyMemo, type PolicyMemo } from '../policyMemo.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Options of `acquireTokenSilent` and `acquireTokenSilentWithError`.
 *
 * @category model
 * @since 0.1.0
 */
export interface AcquireTokenSilentOptions extends CallOptions {
  /** Skip the cached access token and redeem the refresh token. */
  readonly forceRefresh?: boolean
  /** A claims challenge from a resource: skips the cached access token, sent as `claims`. */
  readonly claimsChallenge?: string
  /** Sent as `client-request-id` on the refresh requests. Default: a fresh UUID per call. */
  readonly correlationId?: string
  /**
   * An SSH certificate for the user (MSAL Python's `data={"token_type": "ssh-cert", "key_id": ..., "req_cnf": ...}`):
   * only a certificate cached under `keyId` answers; a refresh asks the IdP for one.
   */
  readonly sshCertificate?: SshCertificateRequest
}

const NO_OPTIONS: AcquireTokenSilentOptions = {}

/**
 * Acquires a token without user interaction, telling a refresh failure from an empty
 * cache, as MSAL Python's `acquire_token_silent_with_error`:
 *
 * - resolves the result (`token_source` `cache` or `identity_provider`) when the cache or a
 *   refresh answered;
 * - resolves `undefined` when there is simply nothing to answer with: no access token and no
 *   refresh token for this account (MSAL's `None`), including an account object another
 *   client or cache listed. Sign the user in interactively (or with the device code flow);
 * - rejects with the IdP's `ProtocolError` when every refresh token was refused (its
 *   `classification` as MSAL computes it; `interaction_required` / `invalid_grant` mean the
 *   user must sign in again). The refresh token stays in the cache;
 * - rejects with an `HttpError` when the network failed and no cached token could stand in.
 *
 * `account: null` on a confidential client reads the app's own tokens, as MSAL Python's does.
 *
 * @example
 * ```ts
 * import type { PublicClient } from '@authfold/client'
 *
 * declare const app: PublicClient
 * const [account] = await app.getAccounts()
 * const result = await app.acquireTokenSilentWithError(['User.Read'], account ?? null)
 * if (result === undefined) {
 *   // nothing cached: sign in interactively
 * }
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_silent_with_error`
 */
export const acquireTokenSilentWithError = (ctx: ClientContext & { readonly credential?: ClientAuth }) => silentCall(ctx)

/**
 * The silent call both `acquireTokenSilentWithError` and `acquireTokenSilent` are: a cache
 * hit answered at once (`cacheHitNow`), else the silent grant, whose failure `recover`
 * (when given) may turn into an answer.
 *
 * @category combinators
 * @since 0.1.0
 */
export const silentCall = (ctx: ClientContext & { readonly credential?: ClientAuth }, recover?: (e: AuthError) => E.Either<AuthError, UserAuthResult | undefined>) => {
  const policyOf = silentPolicyOf(ctx)
  return (scopes: ReadonlyArray<string>, account: SilentAccount | null, options: AcquireTokenSilentOptions = NO_OPTIONS): TE.TaskEither<AuthError, UserAuthResult | undefined> =>
    () => {
      const hit = cacheHitNow(ctx, options, policyOf, scopes, account, options)
      // the grant's task chain is built only here: a hit (the common call) never needs it
      return hit !== undefined ? Promise.resolve(E.right(hit)) : runSilent(ctx, scopes, account, options, recover)
    }
}

/**
 * The Promise form of {@link silentCall}: what `toPromise` of its task answers, but a cache
 * hit is answered as `Promise.resolve(result)`, with no task, Either or `then` built for it.
 *
 * @category combinators
 * @since 0.1.0
 */
export const silentPromise = (ctx: ClientContext & { readonly credential?: ClientAuth }, recover?: (e: AuthError) => E.Either<AuthError, UserAuthResult | undefined>) => {
  const policyOf = silentPolicyOf(ctx)
  return (scopes: ReadonlyArray<string>, account: SilentAccount | null, options: AcquireTokenSilentOptions = NO_OPTIONS): Promise<UserAuthResult | undefined> => {
    try {
      const hit = cacheHitNow(ctx, options, policyOf, scopes, account, options)
      if (hit !== undefined) return Promise.resolve(hit)
      return runSilent(ctx, scopes, account, options, recover).then(orThrow)
    } catch (e) {
      return Promise.reject(e) // as toPromise: a Promise method never throws synchronously
    }
  }
}

/**
 * The Promise form of {@link acquireTokenSilentWithError} (what the facades use): the same
 * answers, a cache hit answered with nothing built but its result.
 *
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_silent_with_error`
 */
export const acquireTokenSilentWithErrorPromise = (ctx: ClientContext & { readonly credential?: ClientAuth }) => silentPromise(ctx)

// The grant of a call that was not a hit. Its closures are built here, not in the methods:
// a parameter an inner function captures is kept in a context object allocated at every call
// of the function that declares it, hit or not.
const runSilent = (
  ctx: ClientContext & { readonly credential?: ClientAuth },
  scopes: ReadonlyArray<string>,
  account: SilentAccount | null,
  options: AcquireTokenSilentOptions,
  recover: ((e: AuthError) => E.Either<AuthError, UserAuthResult | undefined>) | undefined,
): Promise<E.Either<AuthError, UserAuthResult | undefined>> => runCacheFirst(ctx, options, (authority) => silent(silentParams(ctx, authority, scopes, account, options)), recover)

// The silent policy of a call; the last one built is kept for calls with the same
// authority, account home id and scopes (the options that change it are not memoized).
const silentPolicyOf = (ctx: ClientContext & { readonly credential?: ClientAuth }): PolicyOf<ReadonlyArray<string>, SilentAccount | null, AcquireTokenSilentOptions> => {
  const memo = policyMemo()
  return (authority, scopes, account, options) => {
    const home = options.forceRefresh === true || options.claimsChallenge !== undefined || options.sshCertificate !== undefined || !Array.isArray(scopes) ? null : silentHomeOf(account)
    if (home === null) return silentPolicy(silentParams(ctx, authority, scopes, account, options))
    const kept = memo.find(authority, home, scopes, ctx.excludeScopes)
    return kept !== undefined ? kept.policy : keepSilentPolicy(memo, ctx, authority, home, scopes, account, options)
  }
}

// (a function of its own, so that a memo hit allocates no context for the builder's captures)
const keepSilentPolicy = (
  memo: PolicyMemo,
  ctx: ClientContext & { readonly credential?: ClientAuth },
  authority: ResolvedAuthority,
  home: string | undefined,
  scopes: ReadonlyArray<string>,
  account: SilentAccount | null,
  options: AcquireTokenSilentOptions,
): CacheFirstPolicy | undefined => memo.keep(authority, home, scopes, ctx.excludeScopes, (copy) => silentPolicy(silentParams(ctx, authority, copy, account, options)))

// Every field named, none spread: a call that is not a memoized hit builds this one object (a spread costs a
// temporary per call). The call's signal and deadline are not the grant's.
const silentParams = (
  ctx: ClientContext & { readonly credential?: ClientAuth },
  authority: ResolvedAuthority,
  scopes: ReadonlyArray<string>,
  account: SilentAccount | null,
  options: AcquireTokenSilentOptions,
): SilentParams => ({
  clientId: ctx.clientId,
  authority,
  credential: ctx.credential,
  scopes,
  account,
  clientCapabilities: ctx.clientCapabilities,
  excludeScopes: ctx.excludeScopes,
  forceRefresh: options.forceRefresh,
  claimsChallenge: options.claimsChallenge,
  correlationId: options.correlationId,
  sshCertificate: options.sshCertificate,
})
