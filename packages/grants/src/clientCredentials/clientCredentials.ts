/**
 * The client credentials grant (RFC 6749 §4.4), cache first as MSAL Python has been since 1.23.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as O from 'fp-ts/Option'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import {
  configError,
  mergeClaimsChallengeAndCapabilities,
  regionalOrCentral,
  ApiId,
  RefreshReason,
  emptyTelemetryBuffer,
  telemetryContext,
  telemetryHeaders,
  type AuthError,
  type TelemetryBuffer,
  type ClientAuth,
  type GrantEnv,
  type ResolvedAuthority,
} from '@authfold/core'
import { addAppTokenResponse, computeExtCacheKeyAsync, type CacheState } from '@authfold/cache'
import type { AuthResult, Grant } from '../grant.js'
import { cachedAccessToken, refreshReasonFor } from '../steps/cachedAccessToken.js'
import { sendTokenRequest } from '../steps/tokenRequest.js'
import { shapeResult } from '../steps/shapeResult.js'

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
  readonly claimsChallenge?: string
  /** Client capabilities (e.g. `cp1`), sent as `xms_cc` inside `claims`. */
  readonly clientCapabilities?: ReadonlyArray<string>
  /** A Federated Managed Identity path, sent as `fmi_path`; it keys the cache separately. */
  readonly fmiPath?: string
  /** Refused, as MSAL refuses it: this grant is cache first by design. */
  readonly forceRefresh?: boolean
  /** Sent as `client-request-id`; one per public call. Default: a fresh UUID. */
  readonly correlationId?: string
  /** The telemetry of earlier calls, sent as `x-client-last-telemetry` (the facade keeps it). */
  readonly telemetry?: TelemetryBuffer
}

const checkParams = (p: ClientCredentialsParams): E.Either<AuthError, string | undefined> =>
  p.forceRefresh === true
    ? E.left(
        configError(
          'unsupported',
          'acquireTokenForClient does not support forceRefresh (as in MSAL). To get a new token, call removeTokensForClient first, or pass a claims challenge.',
          'forceRefresh',
        ),
      )
    : p.scopes.length === 0 || p.scopes.some((s) => typeof s !== 'string' || s.trim() === '')
      ? E.left(configError('invalid_argument', 'Pass at least one scope, e.g. ["https://graph.microsoft.com/.default"].', 'scopes'))
      : p.fmiPath !== undefined && typeof p.fmiPath !== 'string'
        ? E.left(configError('invalid_argument', 'fmiPath must be a string.', 'fmiPath'))
        : mergeClaimsChallengeAndCapabilities(p.clientCapabilities, p.claimsChallenge)

/**
 * Acquires a token for the application itself. A valid cached app token for the same client,
 * realm, scopes (and FMI path) is returned with `token_source: "cache"` and no request;
 * otherwise one `grant_type=client_credentials` request is sent and its answer folded into
 * the cache. A token past its `refresh_on` is refreshed, and still returned if the refresh
 * fails.
 *
 * @example
 * const [result, next] = await clientCredentials({ clientId, authority, credential, scopes })(cache)(env)()
 * @category grants
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_for_client`
 */
export const clientCredentials =
  (p: ClientCredentialsParams): Grant<AuthResult> =>
  (cache: CacheState) =>
  (env: GrantEnv) => {
    const checked = checkParams(p)
    if (E.isLeft(checked)) return TE.left(checked.left)
    const claims = checked.right
    const nowSeconds = Math.floor(env.now() / 1000)
    return p.fmiPath === undefined
      ? withExtCacheKey(p, claims, nowSeconds, undefined)(cache)(env)
      : pipe(
          TE.fromTask(() => computeExtCacheKeyAsync({ fmi_path: p.fmiPath })),
          TE.chain((extCacheKey) => withExtCacheKey(p, claims, nowSeconds, extCacheKey)(cache)(env)),
        )
  }

/** The grant once the FMI ext cache key (if any) is known. */
const withExtCacheKey =
  (p: ClientCredentialsParams, claims: string | undefined, nowSeconds: number, extCacheKey: string | undefined): Grant<AuthResult> =>
  (cache: CacheState) =>
  (env: GrantEnv) => {
    const query = {
      clientId: p.clientId,
      environments: p.authority.aliases,
      realm: p.authority.realm,
      homeAccountId: '',
      scopes: p.scopes,
      ...(extCacheKey === undefined ? {} : { extCacheKey }),
    }
    const cached = p.claimsChallenge === undefined ? cachedAccessToken(query, nowSeconds)(cache) : O.none
    if (O.isSome(cached) && !cached.value.aging) {
      env.log('info', 'acquireTokenForClient: answered from the cache', false)
      return TE.right<AuthError, [AuthResult, CacheState]>([cached.value.result, cache])
    }
    const telemetry = telemetryContext(ApiId.acquireTokenForClient, env.random, {
      ...(p.correlationId === undefined ? {} : { correlationId: p.correlationId }),
      refreshReason: p.claimsChallenge === undefined ? refreshReasonFor(query, cached)(cache) : RefreshReason.forceRefresh,
    })
    const request = pipe(
      sendTokenRequest({
        tokenEndpoint: regionalOrCentral(p.authority).metadata.token_endpoint,
        clientId: p.clientId,
        credential: p.credential,
        fields: { grant_type: 'client_credentials', scope: p.scopes.join(' '), claims, fmi_path: p.fmiPath },
        correlationId: telemetry.correlationId,
        headers: telemetryHeaders(p.telemetry ?? emptyTelemetryBuffer, telemetry),
      })(env),
      TE.map((response) => {
        const next = addAppTokenResponse({
          clientId: p.clientId,
          environment: p.authority.environment,
          realm: p.authority.realm,
          scopes: p.scopes,
          response,
          nowSeconds,
          grantType: 'client_credentials',
          ...(extCacheKey === undefined ? {} : { extCacheKey }),
        })(cache)
        return [shapeResult(response, nowSeconds, 'identity_provider'), next] as [AuthResult, CacheState]
      }),
    )
    return O.isSome(cached)
      ? pipe(
          request,
          TE.orElse(() => TE.right<AuthError, [AuthResult, CacheState]>([cached.value.result, cache])),
        )
      : request
  }
