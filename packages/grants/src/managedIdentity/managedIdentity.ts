/**
 * The managed identity grant: cache first, then the source the environment names.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as O from 'fp-ts/Option'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { addAppTokenResponse, sha256, type AccessTokenQuery, type CacheState } from '@authfold/cache'
import { configError, RefreshReason, type AuthError, type ConfigError, type TokenResponse } from '@authfold/core'
import type { AuthResult, Grant } from '../grant.js'
import { cacheFirst } from '../steps/cacheFirst.js'
import { cachedAccessToken } from '../steps/cachedAccessToken.js'
import { shapeResult } from '../steps/shapeResult.js'
import { cacheClientIdOf, checkManagedIdentity, type ManagedIdentity } from './identity.js'
import { checkIdentityForSource, pickManagedIdentitySource, type ManagedIdentityEnvironment, type ManagedIdentitySource } from './environment.js'
import { obtainManagedIdentityToken, takesTokenToRefresh } from './obtain.js'
import type { ArcKeyFiles } from './arc.js'

/**
 * Parameters of {@link managedIdentityGrant}.
 *
 * @category model
 * @since 0.1.0
 */
export interface ManagedIdentityParams {
  readonly managedIdentity: ManagedIdentity
  /** The resource, e.g. `https://management.azure.com` (not a scope). */
  readonly resource: string
  /** The environment that picks the source (see `managedIdentityEnvironment` in `@authfold/node`). */
  readonly environment: ManagedIdentityEnvironment
  /** The key-file effect Azure Arc needs. */
  readonly arcFiles?: ArcKeyFiles | undefined
  /** A claims challenge from a resource: bypasses the cache. */
  readonly claimsChallenge?: string | undefined
  /** Client capabilities (e.g. `cp1`), sent as `xms_cc` where the source takes it. */
  readonly clientCapabilities?: ReadonlyArray<string> | undefined
}

/**
 * The host and realm MSAL Python files managed identity tokens under.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `ManagedIdentityClient` (`__instance`, `_tenant`)
 */
export const MANAGED_IDENTITY_CACHE = { environment: 'localhost', realm: 'managed_identity' } as const

/**
 * The cache query of a managed identity's tokens for a resource.
 *
 * @category queries
 * @since 0.1.0
 */
export const managedIdentityQuery = (mi: ManagedIdentity, resource: string): AccessTokenQuery => ({
  clientId: cacheClientIdOf(mi),
  environments: [MANAGED_IDENTITY_CACHE.environment],
  realm: MANAGED_IDENTITY_CACHE.realm,
  homeAccountId: '',
  scopes: [resource],
})

/**
 * MSAL's rule for long-lived managed identity tokens: without `refresh_in`, a token of two
 * hours or more is due for refresh at half its life.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `ManagedIdentityClient.acquire_token_for_client`
 */
export const withManagedIdentityRefreshIn = (answer: TokenResponse): TokenResponse => {
  const expiresIn = answer.expires_in ?? 3600
  return answer.refresh_in === undefined && expiresIn >= 7200 ? { ...answer, refresh_in: Math.floor(expiresIn / 2) } : answer
}

/**
 * Files a managed identity answer as MSAL Python does: client id = the identity's id (or
 * `SYSTEM_ASSIGNED_MANAGED_IDENTITY`), environment `localhost`, realm `managed_identity`,
 * target the resource. Pure.
 *
 * @category folds
 * @since 0.1.0
 * @see MSAL Python `TokenCache.add` as `ManagedIdentityClient` calls it
 */
export const foldManagedIdentity =
  (mi: ManagedIdentity, resource: string, nowSeconds: number) =>
  (answer: TokenResponse) =>
  (cache: CacheState): CacheState =>
    addAppTokenResponse({
      clientId: cacheClientIdOf(mi),
      environment: MANAGED_IDENTITY_CACHE.environment,
      realm: MANAGED_IDENTITY_CACHE.realm,
      scopes: [resource],
      response: answer,
      nowSeconds,
    })(cache)

/**
 * Checks the parameters and picks the source: a `ConfigError` for a bad identity, an empty
 * resource, an endpoint that is not a URL, or a user-assigned identity on a source that
 * cannot take one.
 *
 * @category steps
 * @since 0.1.0
 */
export const checkManagedIdentityParams = (p: ManagedIdentityParams): E.Either<ConfigError, readonly [ManagedIdentity, ManagedIdentitySource]> =>
  typeof p.resource !== 'string' || p.resource.trim() === ''
    ? E.left(configError('invalid_argument', 'Pass the resource to get a token for, e.g. "https://management.azure.com".', 'resource'))
    : pipe(
        checkManagedIdentity(p.managedIdentity),
        E.chain((mi) =>
          pipe(
            pickManagedIdentitySource(p.environment),
            E.chain((source) => checkIdentityForSource(source, mi)),
            E.map((source) => [mi, source] as const),
          ),
        ),
      )

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/**
 * Acquires a managed identity token. A cached token for the same identity and resource with
 * more than five minutes left (and not past its `refresh_on`) is returned with
 * `token_source: "cache"`; otherwise the source is asked and its answer filed. A claims
 * challenge skips the cache and, on a source that takes it, names the rejected cached token
 * by its SHA-256 (`token_sha256_to_refresh`).
 *
 * @example
 * ```ts
 * import { managedIdentityGrant, systemAssignedManagedIdentity, type ManagedIdentityEnvironment } from '@authfold/grants'
 * import type { CacheState } from '@authfold/cache'
 * import type { GrantEnv } from '@authfold/core'
 *
 * declare const environment: ManagedIdentityEnvironment, cache: CacheState, env: GrantEnv
 * const outcome = await managedIdentityGrant({ managedIdentity: systemAssignedManagedIdentity(), resource: 'https://management.azure.com', environment })(cache)(env)()
 * ```
 * @category grants
 * @since 0.1.0
 * @see MSAL Python `ManagedIdentityClient.acquire_token_for_client`
 */
export const managedIdentityGrant =
  (p: ManagedIdentityParams): Grant<AuthResult> =>
  (cache) =>
  (env) => {
    const checked = checkManagedIdentityParams(p)
    if (E.isLeft(checked)) return TE.left<AuthError, [AuthResult, CacheState]>(checked.left)
    const [mi, source] = checked.right
    const query = managedIdentityQuery(mi, p.resource)
    const nowSeconds = env.now() / 1000
    const rejected = p.claimsChallenge !== undefined && takesTokenToRefresh(source) ? cachedAccessToken(query, nowSeconds)(cache) : O.none
    const extras = {
      arcFiles: p.arcFiles,
      ...(takesTokenToRefresh(source) ? { clientCapabilities: p.clientCapabilities } : {}),
      ...(O.isSome(rejected) ? { tokenSha256ToRefresh: hex(sha256(new TextEncoder().encode(rejected.value.result.access_token))) } : {}),
    }
    return cacheFirst({ query, skipCache: p.claimsChallenge === undefined ? undefined : RefreshReason.forceRefresh }, () => (current) => (grantEnv) =>
      pipe(
        obtainManagedIdentityToken(source, mi, p.resource, extras)(grantEnv),
        TE.map((answer): [AuthResult, CacheState] => {
          const shaped = withManagedIdentityRefreshIn(answer)
          const at = Math.floor(grantEnv.now() / 1000)
          return [shapeResult(shaped, at, 'identity_provider'), foldManagedIdentity(mi, p.resource, at)(shaped)(current)]
        }),
      ),
    )(cache)(env)
  }
