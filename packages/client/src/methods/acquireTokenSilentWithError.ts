/**
 * @module
 */
import type * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError, ClientAuth, ResolvedAuthority } from '@authfold/core'
import { silent, silentPolicy, type SilentAccount, type SilentParams, type SshCertificateRequest, type UserAuthResult } from '@authfold/grants'
import { callCacheFirst, type ClientContext } from '../context.js'
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
 * hit answered at once (`callCacheFirst`), else the silent grant, whose failure `recover`
 * (when given) may turn into an answer.
 *
 * @category combinators
 * @since 0.1.0
 */
export const silentCall =
  (ctx: ClientContext & { readonly credential?: ClientAuth }, recover?: (e: AuthError) => E.Either<AuthError, UserAuthResult | undefined>) =>
  (scopes: ReadonlyArray<string>, account: SilentAccount | null, options: AcquireTokenSilentOptions = NO_OPTIONS): TE.TaskEither<AuthError, UserAuthResult | undefined> =>
    callCacheFirst(
      ctx,
      options,
      (authority) => silentPolicy(silentParams(ctx, authority, scopes, account, options)),
      (authority) => silent(silentParams(ctx, authority, scopes, account, options)),
      recover,
    )

// Every field named, none spread: a cache hit builds this one object (a spread costs a
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
