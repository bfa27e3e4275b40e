/**
 * The client credentials grant (RFC 6749 §4.4), cache first as MSAL Python has been since 1.23.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import {
  ApiId,
  configError,
  mergeClaimsChallengeAndCapabilities,
  regionalOrCentral,
  type AuthError,
  type ClientAuth,
  type ResolvedAuthority,
} from '@authfold/core'
import { computeExtCacheKeyAsync } from '@authfold/cache'
import type { AuthResult, Grant } from '../grant.js'
import { cacheFirst, skipCacheFor, type CacheFirstPolicy } from '../steps/cacheFirst.js'
import { requestToken } from '../steps/requestToken.js'
import { shapeResult } from '../steps/shapeResult.js'
import { clientCredentialsRequest } from './request.js'
import { checkSshCertificate, type SshCertificateRequest } from '../sshCert/sshCert.js'
import { appTokenQuery, foldClientCredentials, type AppTokenSlot } from './fold.js'

/**
 * Parameters of {@link clientCredentials}.
 *
 * @category model
 * @since 0.1.0
 */
export interface ClientCredentialsParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  readonly credential: ClientAuth
  /** Sent as given (never decorated); typically one `<resource>/.default`. */
  readonly scopes: ReadonlyArray<string>
  /** A claims challenge from a resource: skips the cache and is sent as `claims`. */
  readonly claimsChallenge?: string | undefined
  /** Client capabilities (e.g. `cp1`), sent as `xms_cc` inside `claims`. */
  readonly clientCapabilities?: ReadonlyArray<string> | undefined
  /** A Federated Managed Identity path, sent as `fmi_path`; it keys the cache separately. */
  readonly fmiPath?: string | undefined
  /** Refused, as MSAL refuses it: this grant is cache first by design. */
  readonly forceRefresh?: boolean | undefined
  /** Sent as `client-request-id`; one per public call. Default: a fresh UUID. */
  readonly correlationId?: string | undefined
  /**
   * Ask for an SSH certificate instead of a Bearer token (MSAL Python's
   * `data={"token_type": "ssh-cert", "key_id": ..., "req_cnf": ...}`): cached under its key
   * id, never answering a Bearer lookup and never replacing a Bearer token.
   */
  readonly sshCertificate?: SshCertificateRequest | undefined
}

const isBlankScope = (s: unknown): boolean => typeof s !== 'string' || s.trim() === ''

/**
 * Checks the parameters (an SSH certificate request as MSAL Python checks it) and merges
 * the claims challenge with the client capabilities.
 *
 * @category steps
 * @since 0.1.0
 */
export const checkClientCredentials = (p: ClientCredentialsParams): E.Either<AuthError, string | undefined> =>
  p.forceRefresh === true
    ? E.left(
        configError(
          'unsupported',
          'acquireTokenForClient does not support forceRefresh (as in MSAL). To get a new token, call removeTokensForClient first, or pass a claims challenge.',
          'forceRefresh',
        ),
      )
    : p.scopes.length === 0 || p.scopes.some(isBlankScope)
      ? E.left(configError('invalid_argument', 'Pass at least one scope, e.g. ["https://graph.microsoft.com/.default"].', 'scopes'))
      : p.fmiPath !== undefined && typeof p.fmiPath !== 'string'
        ? E.left(configError('invalid_argument', 'fmiPath must be a string.', 'fmiPath'))
        : p.sshCertificate === undefined
          ? mergeClaimsChallengeAndCapabilities(p.clientCapabilities, p.claimsChallenge)
          : pipe(
              checkSshCertificate(p.sshCertificate),
              E.chainW(() => mergeClaimsChallengeAndCapabilities(p.clientCapabilities, p.claimsChallenge)),
            )

/**
 * The cache-first policy of a client-credentials call when it can be told without a task:
 * the parameters check out and no FMI path needs hashing. `undefined` otherwise (the
 * grant itself then decides). A facade peeks with it (`peekCacheFirst`) to answer cache
 * hits synchronously.
 *
 * @category steps
 * @since 0.1.0
 */
export const clientCredentialsPolicy = (p: ClientCredentialsParams): CacheFirstPolicy | undefined =>
  p.fmiPath !== undefined || p.claimsChallenge !== undefined || E.isLeft(checkClientCredentials(p))
    ? undefined
    : { query: appTokenQuery({ clientId: p.clientId, authority: p.authority, scopes: p.scopes, sshKeyId: p.sshCertificate?.keyId }) }

/**
 * Acquires a token for the application itself. A valid cached app token for the same client,
 * realm, scopes (and FMI path) is returned with `token_source: "cache"` and no request;
 * otherwise one `grant_type=client_credentials` request is sent and its answer folded into
 * the cache. A token past its `refresh_on` is refreshed, and still returned if the refresh
 * fails.
 *
 * Its steps are exported, to be recombined: {@link checkClientCredentials},
 * {@link appTokenQuery}, `cacheFirst`, {@link clientCredentialsRequest}, `requestToken`
 * (`authenticate` -> `send` -> `processTokenResponse`), {@link foldClientCredentials},
 * `shapeResult`.
 *
 * @example
 * ```ts
 * import { clientCredentials } from '@authfold/grants'
 * import type { CacheState } from '@authfold/cache'
 * import type { ClientAuth, GrantEnv, ResolvedAuthority } from '@authfold/core'
 *
 * declare const clientId: string, authority: ResolvedAuthority, credential: ClientAuth, cache: CacheState, env: GrantEnv
 * const outcome = await clientCredentials({ clientId, authority, credential, scopes: ['https://graph.microsoft.com/.default'] })(cache)(env)()
 * if (outcome._tag === 'Right') {
 *   const [result, nextCache] = outcome.right // keep nextCache for the next call
 * }
 * ```
 * @category grants
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_for_client`
 */
export const clientCredentials =
  (p: ClientCredentialsParams): Grant<AuthResult> =>
  (cache) =>
  (env) => {
    const checked = checkClientCredentials(p)
    if (E.isLeft(checked)) return TE.left(checked.left)
    const claims = checked.right
    const nowSeconds = Math.floor(env.now() / 1000)
    const withSlot = (slot: AppTokenSlot): Grant<AuthResult> =>
      cacheFirst({ query: appTokenQuery(slot), skipCache: skipCacheFor(p) }, (refreshReason) => (current) => (grantEnv) =>
        pipe(
          requestToken(
            {
              tokenEndpoint: regionalOrCentral(p.authority).metadata.token_endpoint,
              clientId: p.clientId,
              fields: clientCredentialsRequest({ scopes: p.scopes, claims, fmiPath: p.fmiPath, sshCertificate: p.sshCertificate }),
            },
            p.credential,
            { apiId: ApiId.acquireTokenForClient, refreshReason, ...(p.correlationId === undefined ? {} : { correlationId: p.correlationId }) },
          ),
          (send) => send(grantEnv),
          TE.map((answer): [AuthResult, typeof current] => [
            shapeResult(answer, nowSeconds, 'identity_provider'),
            foldClientCredentials(slot, nowSeconds)(answer)(current),
          ]),
        ),
      )
    const slot = { clientId: p.clientId, authority: p.authority, scopes: p.scopes, sshKeyId: p.sshCertificate?.keyId }
    return p.fmiPath === undefined
      ? withSlot(slot)(cache)(env)
      : pipe(
          TE.fromTask(() => computeExtCacheKeyAsync({ fmi_path: p.fmiPath })),
          TE.chain((extCacheKey) => withSlot({ ...slot, extCacheKey })(cache)(env)),
        )
  }
