/**
 * The client credentials grant with nothing but what an app token with a secret or an
 * assertion needs: the same steps as `clientCredentials` (`cacheFirst`, the request's
 * `grant_type` and `scope`, `authenticate` -> `send` -> `processTokenResponse`, the fold into
 * the unified cache with `addAppTokenResponse`, `shapeResult`), without the options that pull
 * code in (SSH certificates, FMI paths, claims challenges and client capabilities, regional
 * endpoints, telemetry headers, single flight) and without TaskEither's combinators.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { configError, processTokenResponse, uuidFrom, type AuthError, type ClientAuth, type ResolvedAuthority } from '@authfold/core'
import { addAppTokenResponse, type CacheState } from '@authfold/cache'
import type { AuthResult, Grant } from '../grant.js'
import { cacheFirst } from '../steps/cacheFirst.js'
import { authenticate } from '../steps/authenticate.js'
import { send } from '../steps/send.js'
import { shapeResult } from '../steps/shapeResult.js'

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
 * Acquires a token for the application itself, cache first: a valid cached app token for the
 * same client, realm and scopes is returned (`token_source: "cache"`) with no request; one past
 * its `refresh_on` is refreshed and still returned if the refresh fails; otherwise one
 * `grant_type=client_credentials` request is sent (with `client-request-id`) and its answer
 * folded into the cache, exactly as `clientCredentials` folds it (the same entries, keys
 * and fields in MSAL's unified schema). Use `clientCredentials` (or the facade) for SSH
 * certificates, FMI paths, claims challenges, client capabilities, regions, telemetry and
 * single flight.
 *
 * @example
 * ```ts
 * import { appToken, emptyCache, staticEntraAuthority, type GrantEnv } from '@authfold/grants/lean'
 * import { clientSecret } from '@authfold/core'
 *
 * declare const clientId: string, tenantId: string, secret: string, env: GrantEnv
 * const outcome = await appToken({ clientId, authority: staticEntraAuthority(tenantId), credential: clientSecret(secret), scopes: ['https://graph.microsoft.com/.default'] })(emptyCache)(env)()
 * ```
 * @category grants
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_for_client`
 */
export const appToken =
  (p: AppTokenParams): Grant<AuthResult> =>
  (cache) =>
  (env) => {
    if (p.scopes.length === 0 || p.scopes.some((s) => typeof s !== 'string' || s.trim() === ''))
      return () => Promise.resolve(E.left(configError('invalid_argument', 'Pass at least one scope, e.g. ["https://graph.microsoft.com/.default"].', 'scopes')))
    const nowSeconds = Math.floor(env.now() / 1000)
    const { clientId, authority, scopes } = p
    const tokenEndpoint = authority.metadata.token_endpoint
    // The query and the fold of `appTokenQuery` / `foldClientCredentials` without their FMI
    // and SSH certificate fields (which this grant never sets), so their code stays out.
    const query = { clientId, environments: authority.aliases, realm: authority.realm, homeAccountId: '', scopes }
    // authenticate -> send -> processTokenResponse -> fold, as `clientCredentials` pipes them
    // with TaskEither, written out as one thunk (the same order of effects, no TaskEither code).
    return cacheFirst({ query }, () => (current) => (grantEnv) => {
      const authenticated = authenticate(p.credential)({
        tokenEndpoint,
        clientId,
        // `clientCredentialsRequest({ scopes })` without its claims, FMI and SSH fields.
        fields: { grant_type: 'client_credentials', scope: scopes.join(' ') },
        headers: { 'client-request-id': uuidFrom(grantEnv.random), 'return-client-request-id': 'true' },
      })(grantEnv)
      return async () => {
        const request = await authenticated()
        if (E.isLeft(request)) return request
        const response = await send(request.right)(grantEnv)()
        if (E.isLeft(response)) return response
        const answer = processTokenResponse(tokenEndpoint)(response.right)
        if (E.isLeft(answer)) return answer
        return E.right<AuthError, [AuthResult, CacheState]>([
          shapeResult(answer.right, nowSeconds, 'identity_provider'),
          addAppTokenResponse({
            clientId,
            environment: authority.environment,
            realm: authority.realm,
            scopes,
            response: answer.right,
            nowSeconds,
            grantType: 'client_credentials',
          })(current),
        ])
      }
    }    )(cache)(env)
  }
