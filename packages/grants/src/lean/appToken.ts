/**
 * The client credentials grant with nothing but what an app token with a secret or an
 * assertion needs: the same steps as `clientCredentials` (cache first, the request's
 * `grant_type` and `scope`, `authenticate` -> `send` -> `processTokenResponse`, `shapeResult`),
 * over the app-token table of `@authfold/cache` (`findAppToken`, `putAppToken`: the same
 * answers and writes as the full cache's, on the MSAL document itself) instead of the full,
 * indexed `CacheState`, without the options that pull code in (SSH certificates, FMI paths,
 * claims challenges and client capabilities, regional endpoints, telemetry headers, single
 * flight) and without TaskEither's combinators or fp-ts's Option.
 *
 * @module
 */
import type * as E from 'fp-ts/Either'
import type { TaskEither } from 'fp-ts/TaskEither'
import { configError, processTokenResponse, uuidFrom, type AuthError, type ClientAuth, type GrantEnv, type ResolvedAuthority, left, right } from '@authfold/core'
import { findAppToken, optionalSecondsOf, putAppToken, type AccessTokenEntity, type AppTokenCache } from '@authfold/cache'
import type { AuthResult } from '../grant.js'
import { authenticate } from '../steps/authenticate.js'
import { send } from '../steps/send.js'
import { shapeResult } from '../steps/shapeResult.js'
import type { CachedToken } from '../steps/cachedAccessToken.js'
import { cacheResultOf } from '../steps/cacheResult.js'

/**
 * Parameters of {@link appToken}.
 *
 * @category model
 * @since 0.1.0
 */
export interface AppTokenParams {
  readonly clientId: string
  /** Typically `staticEntraAuthority(tenant)` (no discovery); any resolved authority works. */
  readonly authority: ResolvedAuthority
  readonly credential: ClientAuth
  /** Sent as given; typically one `<resource>/.default`. */
  readonly scopes: ReadonlyArray<string>
}

/**
 * What {@link appToken} does: a cache, then its environment, then one thunk answering the
 * result and the cache after it.
 *
 * @category model
 * @since 0.1.0
 */
export type AppTokenGrant = (cache: AppTokenCache) => (env: GrantEnv) => TaskEither<AuthError, readonly [AuthResult, AppTokenCache]>

/** A cached token shaped as grants' `cachedAccessToken` shapes it (`token_source: "cache"`), and whether its `refresh_on` passed. */
const fromCache = (entry: AccessTokenEntity, nowSeconds: number): CachedToken => {
  const refreshOn = optionalSecondsOf(entry.refresh_on) // null (MSAL Java), '' or garbage: none
  return { result: cacheResultOf(entry, Number(entry.expires_on) - nowSeconds, refreshOn), aging: refreshOn !== undefined && refreshOn < nowSeconds }
}

/** At least one scope, and no blank one (what {@link appToken} checks before anything else). */
const validScopes = (scopes: ReadonlyArray<string>): boolean => scopes.length > 0 && scopes.every((s) => typeof s === 'string' && s.trim() !== '')

/** The cached token {@link appToken} would serve at `nowSeconds` (fractional), if any. */
const cachedFor = (p: AppTokenParams, cache: AppTokenCache, nowSeconds: number): CachedToken | undefined => {
  const entry = findAppToken(cache, { clientId: p.clientId, environments: p.authority.aliases, realm: p.authority.realm, scopes: p.scopes }, nowSeconds)
  return entry === undefined ? undefined : fromCache(entry, nowSeconds)
}

/**
 * The answer {@link appToken} gives without a request, if any: the cached app token with
 * more than five minutes left and not past its `refresh_on`, as a `token_source: "cache"`
 * result; `undefined` when `appToken` would send a request or refuse the scopes (none, or a
 * blank one). Pure and synchronous (the lean counterpart of `peekCacheFirst`): a caller can
 * answer cache hits without a thunk. It does not log or count the hit as `appToken` does.
 *
 * @example
 * ```ts
 * import { peekAppToken, type AppTokenCache, type AppTokenParams } from '@authfold/grants/lean'
 *
 * declare const params: AppTokenParams, cache: AppTokenCache
 * const hit = peekAppToken(params)(cache, Date.now() / 1000) // AuthResult | undefined
 * ```
 * @category grants
 * @since 0.1.0
 */
export const peekAppToken =
  (p: AppTokenParams) =>
  (cache: AppTokenCache, nowSeconds: number): AuthResult | undefined => {
    if (!validScopes(p.scopes)) return undefined // appToken answers these with a ConfigError
    const cached = cachedFor(p, cache, nowSeconds)
    return cached === undefined || cached.aging ? undefined : cached.result
  }

/**
 * Acquires a token for the application itself, cache first, as `clientCredentials` does: a
 * cached app token for the same client, realm and scopes with more than five minutes left
 * is returned (`token_source: "cache"`, the telemetry recorder counts a hit) with no request;
 * one past its `refresh_on` is refreshed and still returned if the refresh fails (with the
 * cache as it was); otherwise one `grant_type=client_credentials` request is sent (with
 * `client-request-id`) and its answer written into the cache (`putAppToken`: the entries,
 * keys and fields `clientCredentials` folds into the full cache, in MSAL's unified schema).
 * Keep the returned cache for the next call; `appTokenCacheToJson` / `appTokenCacheFromJson`
 * save and load it as MSAL JSON. Use `clientCredentials` (or the facade) for SSH
 * certificates, FMI paths, claims challenges, client capabilities, regions, telemetry and
 * single flight.
 *
 * @example
 * ```ts
 * import { appToken, emptyAppTokenCache, staticEntraAuthority, type GrantEnv } from '@authfold/grants/lean'
 * import { clientSecret } from '@authfold/core'
 *
 * declare const clientId: string, tenantId: string, secret: string, env: GrantEnv
 * const outcome = await appToken({ clientId, authority: staticEntraAuthority(tenantId), credential: clientSecret(secret), scopes: ['https://graph.microsoft.com/.default'] })(emptyAppTokenCache)(env)()
 * ```
 * @category grants
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_for_client`
 */
export const appToken =
  (p: AppTokenParams): AppTokenGrant =>
  (cache) =>
  (env) => {
    if (!validScopes(p.scopes))
      return () => Promise.resolve(left(configError('invalid_argument', 'Pass at least one scope, e.g. ["https://graph.microsoft.com/.default"].', 'scopes')))
    const now = env.now() / 1000 // fractional, as MSAL compares with time.time(): 299.5 s left is expired
    const nowSeconds = Math.floor(now)
    const { clientId, authority, scopes } = p
    const cached = cachedFor(p, cache, now)
    if (cached !== undefined && !cached.aging) {
      env.log('info', 'Answered from the token cache', false)
      env.telemetry?.hit()
      return () => Promise.resolve(right([cached.result, cache] as const))
    }
    const tokenEndpoint = authority.metadata.token_endpoint
    // authenticate -> send -> processTokenResponse -> putAppToken, as `clientCredentials`
    // pipes them with TaskEither, written out as one thunk (the same order of effects).
    const authenticated = authenticate(p.credential)({
      tokenEndpoint,
      clientId,
      // `clientCredentialsRequest({ scopes })` without its claims, FMI and SSH fields.
      fields: { grant_type: 'client_credentials', scope: scopes.join(' ') },
      headers: { 'client-request-id': uuidFrom(env.random), 'return-client-request-id': 'true' },
    })(env)
    return async (): Promise<E.Either<AuthError, readonly [AuthResult, AppTokenCache]>> => {
      const request = await authenticated()
      const response = request._tag === 'Left' ? request : await send(request.right)(env)()
      const answer = response._tag === 'Left' ? response : processTokenResponse(tokenEndpoint)(response.right)
      if (answer._tag === 'Right')
        return right([
          shapeResult(answer.right, nowSeconds, 'identity_provider'),
          putAppToken(cache, { clientId, environment: authority.environment, realm: authority.realm, scopes, response: answer.right, nowSeconds, grantType: 'client_credentials' }),
        ])
      if (cached === undefined) return answer
      env.log('warning', `A proactive refresh failed (${answer.left._tag}); the cached token is still valid and is returned`, false)
      return right([cached.result, cache])
    }
  }
