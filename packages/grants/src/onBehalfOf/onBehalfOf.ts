/**
 * The on-behalf-of grant (a middle tier exchanges the user token it was called with for a
 * token to a downstream API), cache aware as msal-node and MSAL .NET are.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import {
  ApiId,
  uuidFrom,
  type AuthError,
  type ClientAuth,
  type GrantEnv,
  type RefreshReason,
  type ResolvedAuthority,
  type TokenResponse,
} from '@authfold/core'
import { findRefreshTokens, homeAccountsOfAssertion, type AccessTokenQuery, type CacheState } from '@authfold/cache'
import type { Grant } from '../grant.js'
import { cacheFirst, skipCacheFor } from '../steps/cacheFirst.js'
import { requestToken } from '../steps/requestToken.js'
import type { TokenFields } from '../steps/authenticate.js'
import { foldUserToken, type UserAuthResult } from '../userToken/foldUserToken.js'
import { JWT_BEARER_GRANT_TYPE, oboRefreshRequest, onBehalfOfRequest } from './request.js'
import { checkUserAssertion, userAssertionHash } from './userAssertion.js'
import { userRequestScopes } from '../steps/userRequestScopes.js'

/**
 * Parameters of {@link onBehalfOf}.
 *
 * @category model
 * @since 0.1.0
 */
export interface OnBehalfOfParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  readonly credential: ClientAuth
  /** The access token the middle tier was called with (a JWT). Never logged or cached. */
  readonly userAssertion: string
  /** The downstream API's scopes (`openid profile offline_access` are added, as MSAL adds them). */
  readonly scopes: ReadonlyArray<string>
  /** Reserved scopes to leave out (MSAL's `exclude_scopes`). */
  readonly excludeScopes?: ReadonlyArray<string>
  /** A claims challenge from the downstream API: skips the cached token, sent as `claims`. */
  readonly claimsChallenge?: string
  /** Client capabilities (e.g. `cp1`), sent as `xms_cc` inside `claims`. */
  readonly clientCapabilities?: ReadonlyArray<string>
  /** Skip the cached access token (msal-node's `skipCache`); the refresh token of the assertion is still used. */
  readonly forceRefresh?: boolean
  /** Sent as `client-request-id`. Default: a fresh UUID. */
  readonly correlationId?: string
}

/**
 * Checks the parameters: the user assertion is a JWT (`checkUserAssertion`), the scopes
 * are ones MSAL accepts (decorated here), the claims merge.
 *
 * @category steps
 * @since 0.1.0
 */
export const checkOnBehalfOf = (
  p: OnBehalfOfParams,
): E.Either<AuthError, { readonly scopes: ReadonlyArray<string>; readonly claims: string | undefined }> =>
  pipe(
    checkUserAssertion(p.userAssertion),
    E.chainW(() => userRequestScopes(p)),
  )

/**
 * The cache query of an on-behalf-of token: this client, the authority's realm and
 * aliases, the user the assertion's earlier tokens were filed under (`''` when none: then
 * nothing matches), the asked scopes, and the assertion's hash.
 *
 * @category queries
 * @since 0.1.0
 */
export const oboTokenQuery = (
  p: Pick<OnBehalfOfParams, 'clientId' | 'authority' | 'scopes'>,
  hash: string,
  cache: CacheState,
): AccessTokenQuery => ({
  clientId: p.clientId,
  environments: p.authority.aliases,
  realm: p.authority.realm,
  homeAccountId: homeAccountsOfAssertion({ clientId: p.clientId, userAssertionHash: hash })(cache)[0] ?? '',
  scopes: p.scopes,
  userAssertionHash: hash,
})

/**
 * The refresh token this client holds for the user of an assertion, written by an earlier
 * on-behalf-of answer for the same assertion (`user_assertion_hash` equal): never another
 * user's, never one of another assertion.
 *
 * @category queries
 * @since 0.1.0
 */
export const oboRefreshToken =
  (query: AccessTokenQuery, hash: string) =>
  (cache: CacheState): string | undefined =>
    query.homeAccountId === ''
      ? undefined
      : findRefreshTokens({ homeAccountId: query.homeAccountId, environments: query.environments, clientId: query.clientId })(cache).find(
          (rt) => rt.user_assertion_hash === hash,
        )?.secret

/**
 * Acquires a token for a downstream API on behalf of the user whose token the middle tier
 * was called with:
 *
 * 1. the user assertion must be a JWT, else a `ConfigError` and no request;
 * 2. a valid cached access token of the same client, scopes and assertion (its
 *    `user_assertion_hash`) is returned with `token_source: "cache"`;
 * 3. otherwise, when the cache holds the refresh token of that assertion, it is redeemed
 *    (`grant_type=refresh_token`); if the IdP refuses it, and when there is none, the
 *    assertion is exchanged (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`,
 *    `requested_token_use=on_behalf_of`);
 * 4. the answer's id_token is checked and the tokens are folded with the assertion's hash
 *    on the access and refresh tokens.
 *
 * An error answer is a `ProtocolError` and the cache stays as it was.
 *
 * MSAL Python (1.21 and today) always sends the exchange and never reads the cache for it;
 * msal-node reads the cache by `userAssertionHash` but never refreshes; MSAL .NET does both,
 * as here.
 *
 * @example
 * ```ts
 * import { onBehalfOf } from '@authfold/grants'
 * import type { CacheState } from '@authfold/cache'
 * import type { ClientAuth, GrantEnv, ResolvedAuthority } from '@authfold/core'
 *
 * declare const clientId: string, authority: ResolvedAuthority, credential: ClientAuth, cache: CacheState, env: GrantEnv
 * declare const incomingJwt: string // the access token the API was called with
 * const outcome = await onBehalfOf({ clientId, authority, credential, userAssertion: incomingJwt, scopes: ['api://downstream/read'] })(cache)(env)()
 * ```
 * @category grants
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_on_behalf_of`
 */
export const onBehalfOf =
  (p: OnBehalfOfParams): Grant<UserAuthResult> =>
  (cache) =>
  (env) => {
    const checked = checkOnBehalfOf(p)
    if (E.isLeft(checked)) return TE.left(checked.left)
    const { scopes, claims } = checked.right
    const correlationId = p.correlationId ?? uuidFrom(env.random)
    const nowSeconds = Math.floor(env.now() / 1000)
    const slot = { clientId: p.clientId, authority: p.authority, scopes, grantType: JWT_BEARER_GRANT_TYPE }
    const send =
      (fields: TokenFields, refreshReason: RefreshReason, hash: string) =>
      (current: CacheState) =>
      (grantEnv: GrantEnv): TE.TaskEither<AuthError, [UserAuthResult, CacheState]> =>
        pipe(
          requestToken({ tokenEndpoint: p.authority.metadata.token_endpoint, clientId: p.clientId, fields }, p.credential, {
            apiId: ApiId.acquireTokenOnBehalfOf,
            refreshReason,
            correlationId,
          })(grantEnv),
          TE.chainEitherK((answer: TokenResponse) =>
            pipe(
              foldUserToken({ ...slot, userAssertionHash: hash }, nowSeconds)(answer)(current),
              E.map(([result, next]): [UserAuthResult, CacheState] => [result, next]),
            ),
          ),
        )
    return pipe(
      TE.fromTask(() => userAssertionHash(p.userAssertion)),
      TE.chain((hash) => {
        const query = oboTokenQuery(p, hash, cache)
        const grant: Grant<UserAuthResult> = cacheFirst({ query, skipCache: skipCacheFor(p) }, (reason) => (current) => (grantEnv) => {
          const viaAssertion = (): TE.TaskEither<AuthError, [UserAuthResult, CacheState]> =>
            send(onBehalfOfRequest({ assertion: p.userAssertion, scopes, claims }), reason, hash)(current)(grantEnv)
          const rt = oboRefreshToken(query, hash)(current)
          return rt === undefined
            ? viaAssertion()
            : pipe(
                send(oboRefreshRequest({ refreshToken: rt, scopes, claims }), reason, hash)(current)(grantEnv),
                TE.orElse((e) => (e._tag === 'ProtocolError' ? viaAssertion() : TE.left(e))),
              )
        })
        return grant(cache)(env)
      }),
    )
  }
