/**
 * The older pair MSAL Python keeps beside the flow API: build the auth URL yourself, then
 * redeem the code yourself (no PKCE, the nonce is yours, the state is yours to check).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { decorateScopes, mergeClaimsChallengeAndCapabilities, type AuthError, type ClientAuth, type ResolvedAuthority } from '@authfold/core'
import type { Grant } from '../grant.js'
import type { UserAuthResult } from '../userToken/foldUserToken.js'
import { authUri } from './flow.js'
import { redeemCode } from './redeemCode.js'

/**
 * Parameters of {@link getAuthorizationRequestUrl}: MSAL Python's keyword arguments, camelCased.
 *
 * @category model
 * @since 0.1.0
 */
export interface AuthorizationRequestUrlParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  readonly scopes: ReadonlyArray<string>
  readonly excludeScopes?: ReadonlyArray<string>
  readonly loginHint?: string
  readonly state?: string
  readonly redirectUri?: string
  /** Default `code`. */
  readonly responseType?: string
  readonly prompt?: string
  /** Sent as given (not hashed); pass the same one to `acquireTokenByAuthorizationCode`. */
  readonly nonce?: string
  readonly domainHint?: string
  readonly claimsChallenge?: string
  readonly clientCapabilities?: ReadonlyArray<string>
}

/**
 * Builds an authorization request URL as MSAL Python's `get_authorization_request_url`
 * does: `client_id`, `response_type`, `redirect_uri`, `scope` (decorated, sorted),
 * `state`, `nonce`, `login_hint`, `prompt`, `domain_hint`, `claims`, in that order. No
 * PKCE and no state of its own: prefer `initiateAuthCodeFlow`.
 *
 * @example
 * ```ts
 * import { getAuthorizationRequestUrl } from '@authfold/grants'
 * import type { ResolvedAuthority } from '@authfold/core'
 *
 * declare const clientId: string, authority: ResolvedAuthority, redirectUri: string
 * const url = getAuthorizationRequestUrl({ clientId, authority, scopes: ['User.Read'], state: 's1', redirectUri }) // Either<AuthError, string>
 * ```
 * @category flows
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.get_authorization_request_url`
 */
export const getAuthorizationRequestUrl = (p: AuthorizationRequestUrlParams): E.Either<AuthError, string> =>
  pipe(
    E.Do,
    E.apSW('scopes', decorateScopes(p.scopes, p.excludeScopes === undefined ? {} : { excludeScopes: p.excludeScopes })),
    E.apSW('claims', mergeClaimsChallengeAndCapabilities(p.clientCapabilities, p.claimsChallenge)),
    E.map(({ scopes, claims }) => {
      const url = authUri(p.authority.metadata.authorization_endpoint, {
        clientId: p.clientId,
        redirectUri: p.redirectUri,
        scopes,
        state: p.state,
        extra: [
          ['nonce', p.nonce],
          ['login_hint', p.loginHint],
          ['prompt', p.prompt],
          ['domain_hint', p.domainHint],
          ['claims', claims],
        ],
      })
      return p.responseType === undefined || p.responseType === 'code' ? url : url.replace('response_type=code', `response_type=${encodeURIComponent(p.responseType)}`)
    }),
  )

/**
 * Parameters of {@link acquireTokenByAuthorizationCode}.
 *
 * @category model
 * @since 0.1.0
 */
export interface AuthorizationCodeParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  readonly credential?: ClientAuth | undefined
  readonly code: string
  readonly scopes: ReadonlyArray<string>
  readonly excludeScopes?: ReadonlyArray<string>
  /** Required when the auth URL carried one: the same value. */
  readonly redirectUri?: string
  /** The nonce sent in the auth URL: the id_token must carry it (compared as given). */
  readonly nonce?: string
  readonly claimsChallenge?: string
  readonly clientCapabilities?: ReadonlyArray<string>
  readonly correlationId?: string
}

/**
 * Redeems an authorization code as MSAL Python's `acquire_token_by_authorization_code`
 * does (decorated scopes, `client_info=1`, `claims`, no verifier, no `X-AnchorMailbox`),
 * and checks the id_token against the nonce given. A mismatch is a `ValidationError`
 * and the cache stays as it was (MSAL Python raises after caching).
 *
 * @category grants
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_by_authorization_code`
 */
export const acquireTokenByAuthorizationCode =
  (p: AuthorizationCodeParams): Grant<UserAuthResult> =>
  (cache) =>
  (env) =>
    pipe(
      E.Do,
      E.apSW('scopes', decorateScopes(p.scopes, p.excludeScopes === undefined ? {} : { excludeScopes: p.excludeScopes })),
      E.apSW('claims', mergeClaimsChallengeAndCapabilities(p.clientCapabilities, p.claimsChallenge)),
      TE.fromEither,
      TE.chain(({ scopes, claims }) =>
        redeemCode({
          clientId: p.clientId,
          authority: p.authority,
          credential: p.credential,
          code: p.code,
          redirectUri: p.redirectUri,
          scopes,
          claims,
          expectedNonce: p.nonce,
          correlationId: p.correlationId,
        })(cache)(env),
      ),
    )
