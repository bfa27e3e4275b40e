/**
 * The second leg of the authorization code flow: the redirect checked against the flow,
 * the code redeemed with the PKCE verifier, the id_token checked, the tokens cached.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { configError, decorateScopes, mergeClaimsChallengeAndCapabilities, type AuthError, type ClientAuth, type ResolvedAuthority } from '@authfold/core'
import type { Grant } from '../grant.js'
import type { UserAuthResult } from '../userToken/foldUserToken.js'
import { anchorMailboxHeader, codeFromAuthResponse, type AuthResponse } from './authResponse.js'
import type { AuthCodeFlow } from './flow.js'
import { nonceHash } from './nonceHash.js'
import { redeemCode } from './redeemCode.js'

/**
 * Parameters of {@link acquireTokenByAuthCodeFlow}.
 *
 * @category model
 * @since 0.1.0
 */
export interface AuthCodeFlowParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  /** A confidential client's credential; a public client has none. */
  readonly credential?: ClientAuth | undefined
  /** The flow `initiateAuthCodeFlow` gave (from the session: read as untrusted JSON). */
  readonly flow: AuthCodeFlow
  /** The redirect's parameters (query, or form body with `form_post`). */
  readonly authResponse: AuthResponse
  /** A subset of the flow's scopes to redeem for (one resource); default the flow's. */
  readonly scopes?: ReadonlyArray<string>
  readonly excludeScopes?: ReadonlyArray<string>
  readonly clientCapabilities?: ReadonlyArray<string>
  readonly correlationId?: string
}

const isStringArray = (u: unknown): u is ReadonlyArray<string> => Array.isArray(u) && u.every((s) => typeof s === 'string')

/**
 * Checks what came back from the session: a flow object with a verifier, a nonce and
 * scopes (a `ConfigError` otherwise, since it is the app's to keep).
 *
 * @category steps
 * @since 0.1.0
 */
export const checkFlow = (flow: unknown): E.Either<AuthError, AuthCodeFlow> => {
  const f = (typeof flow === 'object' && flow !== null ? flow : {}) as Partial<Record<keyof AuthCodeFlow, unknown>>
  return typeof f.code_verifier === 'string' &&
    typeof f.nonce === 'string' &&
    isStringArray(f.scope) &&
    (f.redirect_uri === null || f.redirect_uri === undefined || typeof f.redirect_uri === 'string') &&
    (f.claims_challenge === null || f.claims_challenge === undefined || typeof f.claims_challenge === 'string') &&
    (f.max_age === undefined || f.max_age === null || typeof f.max_age === 'number')
    ? E.right(flow as AuthCodeFlow)
    : E.left(configError('invalid_argument', 'The flow is not one initiateAuthCodeFlow made (its code_verifier, nonce or scope is missing). Keep the whole flow object in the session.', 'flow'))
}

/**
 * The scopes to redeem for: the flow's, or a subset of them given (decorated the same way).
 *
 * @category steps
 * @since 0.1.0
 */
export const redeemScopes = (p: AuthCodeFlowParams): E.Either<AuthError, ReadonlyArray<string>> => {
  if (p.scopes === undefined || p.scopes.length === 0) return E.right(p.flow.scope)
  return pipe(
    decorateScopes(p.scopes, p.excludeScopes === undefined ? {} : { excludeScopes: p.excludeScopes }),
    E.chain((decorated) =>
      decorated.every((s) => p.flow.scope.includes(s))
        ? E.right(decorated)
        : E.left(configError('invalid_argument', `scopes must be a subset of the flow's scopes (${p.flow.scope.join(' ')}).`, 'scopes')),
    ),
  )
}

/**
 * Completes an authorization code flow as MSAL Python 1.21 does, and more safely: the
 * redirect's state is checked before any request (`ValidationError` `state_mismatch`), an
 * `error` in the redirect is a `ProtocolError`, a redirect with no code a
 * `ValidationError` `code_missing`; then the code is redeemed with the PKCE verifier,
 * `client_info=1`, the flow's redirect URI and scopes, the claims (the flow's challenge
 * merged with the capabilities), and `X-AnchorMailbox: Oid:<uid>@<utid>` when the
 * redirect carried `client_info`. The id_token must carry the SHA-256 hex of the flow's
 * nonce and an `auth_time` within the flow's `max_age`; when it does not, the answer is a
 * `ValidationError` and the cache is exactly as it was (MSAL Python caches the tokens
 * before it checks the nonce).
 *
 * @example
 * ```ts
 * import { acquireTokenByAuthCodeFlow, type AuthCodeFlow, type AuthResponse } from '@authfold/grants'
 * import type { CacheState } from '@authfold/cache'
 * import type { ClientAuth, GrantEnv, ResolvedAuthority } from '@authfold/core'
 *
 * declare const clientId: string, authority: ResolvedAuthority, credential: ClientAuth, cache: CacheState, env: GrantEnv
 * declare const session: { flow: AuthCodeFlow }, query: AuthResponse // the flow kept at the start, the redirect's query
 * const outcome = await acquireTokenByAuthCodeFlow({ clientId, authority, credential, flow: session.flow, authResponse: query })(cache)(env)()
 * ```
 * @category grants
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_by_auth_code_flow`
 */
export const acquireTokenByAuthCodeFlow =
  (p: AuthCodeFlowParams): Grant<UserAuthResult> =>
  (cache) =>
  (env) =>
    pipe(
      E.Do,
      E.apSW('flow', checkFlow(p.flow)),
      E.bindW('code', ({ flow }) => codeFromAuthResponse(flow.state, p.authResponse)),
      E.bindW('scopes', ({ flow }) => redeemScopes({ ...p, flow })),
      E.bindW('claims', ({ flow }) => mergeClaimsChallengeAndCapabilities(p.clientCapabilities, flow.claims_challenge ?? undefined)),
      TE.fromEither,
      TE.bindW('expectedNonce', ({ flow }) => TE.fromTask(() => nonceHash(flow.nonce))),
      TE.chain(({ flow, code, scopes, claims, expectedNonce }) =>
        redeemCode({
          clientId: p.clientId,
          authority: p.authority,
          credential: p.credential,
          code,
          redirectUri: flow.redirect_uri ?? undefined,
          scopes,
          codeVerifier: flow.code_verifier,
          claims,
          headers: anchorMailboxHeader(p.authResponse),
          expectedNonce,
          maxAge: typeof flow.max_age === 'number' ? flow.max_age : undefined,
          correlationId: p.correlationId,
        })(cache)(env),
      ),
    )
