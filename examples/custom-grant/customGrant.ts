/**
 * A grant of your own, composed from authfold's exported steps: client credentials with
 *
 * - a stricter cache policy: a cached token is used only with more than `marginSeconds` left
 *   (MSAL's rule is five minutes; an app whose calls run long may want thirty);
 * - claims of the app's own merged into every request's `claims` (beside any client
 *   capabilities);
 * - a log line of its own for every request it sends.
 *
 * Everything else (the form, client authentication, telemetry headers, the answer's checks,
 * the fold into MSAL's cache schema, the result's shape) is the library's, so the cache this
 * grant writes is read by `acquireTokenForClient`, MSAL Python and msal-node alike.
 *
 * It is a `Grant<AuthResult>`: a function of the cache state and the effects, returning the
 * result and the next cache state. Run it on explicit state, or on a client's store with
 * `ctx.run` (see customGrant.test.ts).
 */
import * as E from 'fp-ts/Either'
import * as O from 'fp-ts/Option'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import type { CacheState } from '@authfold/cache'
import { ApiId, RefreshReason, configError, mergeClaimsChallengeAndCapabilities, type AuthError, type ClientAuth, type ResolvedAuthority } from '@authfold/core'
import {
  EXPIRY_MARGIN_SECONDS,
  appTokenQuery,
  cachedAccessToken,
  clientCredentialsRequest,
  foldClientCredentials,
  requestToken,
  shapeResult,
  type AuthResult,
  type Grant,
} from '@authfold/grants'

/** What the custom grant takes. */
export interface StrictClientCredentialsParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  readonly credential: ClientAuth
  readonly scopes: ReadonlyArray<string>
  /** Seconds a cached token must still have to be used: at least MSAL's 300. */
  readonly marginSeconds: number
  /** Claims of the app's own, as a JSON object string (e.g. `{"access_token":{"acrs":{"values":["c1"]}}}`). */
  readonly claims?: string
}

/** The custom grant: cache first under its own margin, else one client-credentials request. */
export const strictClientCredentials =
  (p: StrictClientCredentialsParams): Grant<AuthResult> =>
  (cache: CacheState) =>
  (env) => {
    if (!(p.marginSeconds >= EXPIRY_MARGIN_SECONDS))
      return TE.left(configError('invalid_argument', `marginSeconds must be at least MSAL's ${EXPIRY_MARGIN_SECONDS} seconds.`, 'marginSeconds'))
    const nowSeconds = env.now() / 1000
    const slot = { clientId: p.clientId, authority: p.authority, scopes: p.scopes }
    // the library's lookup, asked as if the clock were ahead by the extra margin
    const extra = p.marginSeconds - EXPIRY_MARGIN_SECONDS
    const cached = cachedAccessToken(appTokenQuery(slot), nowSeconds + extra)(cache)
    if (O.isSome(cached) && !cached.value.aging) {
      const hit = cached.value.result
      return TE.right<AuthError, [AuthResult, CacheState]>([{ ...hit, expires_in: hit.expires_in + Math.floor(extra) }, cache])
    }
    const claims = mergeClaimsChallengeAndCapabilities(undefined, p.claims)
    if (E.isLeft(claims)) return TE.left(claims.left)
    env.log('info', `strictClientCredentials: requesting a token (less than ${p.marginSeconds} s left on the cached one)`, false)
    return pipe(
      requestToken(
        { tokenEndpoint: p.authority.metadata.token_endpoint, clientId: p.clientId, fields: clientCredentialsRequest({ scopes: p.scopes, claims: claims.right }) },
        p.credential,
        { apiId: ApiId.acquireTokenForClient, refreshReason: RefreshReason.atAbsent },
      )(env),
      TE.map((answer): [AuthResult, CacheState] => [
        shapeResult(answer, Math.floor(nowSeconds), 'identity_provider'),
        foldClientCredentials(slot, Math.floor(nowSeconds))(answer)(cache),
      ]),
    )
  }
