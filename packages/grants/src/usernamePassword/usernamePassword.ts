/**
 * The username and password grant (ROPC, RFC 6749 §4.3) for managed users, as MSAL Python
 * sends it: user realm discovery, then `grant_type=password` with
 * `X-AnchorMailbox: upn:<username>`.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import {
  ApiId,
  RefreshReason,
  configError,
  uuidFrom,
  type AuthError,
  type ClientAuth,
  type ConfigError,
  type ResolvedAuthority,
} from '@authfold/core'
import type { Grant } from '../grant.js'
import { requestToken } from '../steps/requestToken.js'
import { foldUserToken, type UserAuthResult } from '../userToken/foldUserToken.js'
import { usernameAnchorHeaders, usernamePasswordRequest } from './request.js'
import { discoverUserRealm, type UserRealm, type UserRealmMemo } from './userRealm.js'
import { federatedAssertionRequest, type Federation } from './federation.js'
import type { TokenFields } from '../steps/authenticate.js'
import { userRequestScopes } from '../steps/userRequestScopes.js'

/**
 * Parameters of {@link usernamePassword}.
 *
 * @category model
 * @since 0.1.0
 */
export interface UsernamePasswordParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  /** A confidential client's credential; a public client passes none. */
  readonly credential?: ClientAuth | undefined
  /** Typically a UPN such as `jane@contoso.com`. */
  readonly username: string
  /** Sent once, in the form body; never in an error, a log line or the cache. */
  readonly password: string
  /** The scopes asked (`openid profile offline_access` are added, as MSAL adds them). */
  readonly scopes: ReadonlyArray<string>
  /** Reserved scopes to leave out (MSAL's `exclude_scopes`). */
  readonly excludeScopes?: ReadonlyArray<string>
  /** A claims challenge from a resource, sent as `claims`. */
  readonly claimsChallenge?: string
  /** Client capabilities (e.g. `cp1`), sent as `xms_cc` inside `claims`. */
  readonly clientCapabilities?: ReadonlyArray<string>
  /** Sent as `client-request-id` on both requests. Default: a fresh UUID. */
  readonly correlationId?: string
  /** The hosts known to have no user realm endpoint (one per client). */
  readonly userRealmMemo?: UserRealmMemo
  /**
   * Signs federated users in at their domain's identity provider (`wsTrustFederation` from
   * `@authfold/wstrust`). Without it a federated user is a `ConfigError` naming that package.
   */
  readonly federation?: Federation | undefined
}

/**
 * The name of the package that signs federated users in (WS-Trust), for messages.
 *
 * @category constants
 * @since 0.1.0
 */
export const WSTRUST_PACKAGE = '@authfold/wstrust'

/**
 * Checks the parameters: a username and a password (non-empty strings), scopes MSAL would
 * accept (decorated here), and the claims merged with the client capabilities. None of
 * the messages holds the password.
 *
 * @category steps
 * @since 0.1.0
 */
export const checkUsernamePassword = (
  p: UsernamePasswordParams,
): E.Either<ConfigError, { readonly scopes: ReadonlyArray<string>; readonly claims: string | undefined }> =>
  typeof p.username !== 'string' || p.username.trim() === ''
    ? E.left(configError('invalid_argument', 'Pass the username, typically a UPN such as "jane@contoso.com".', 'username'))
    : typeof p.password !== 'string' || p.password === ''
      ? E.left(configError('invalid_argument', 'Pass the password as a non-empty string.', 'password'))
      : userRequestScopes(p)

/**
 * Decides what a user realm allows: a `Federated` realm goes on with `federation` when one
 * is given, and is otherwise a {@link ConfigError} `unsupported` naming {@link WSTRUST_PACKAGE}
 * (the password must go to the domain's own IdP over WS-Trust); an `Unknown` realm is a {@link ConfigError} `invalid_argument` on the
 * username (Entra knows no tenant with that domain); `Managed`, any other type and no
 * realm at all (no user realm endpoint) go on with the password grant, as in MSAL Python.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_by_username_password`
 */
export const checkUserRealm = (realm: UserRealm | undefined, federation?: Federation): E.Either<ConfigError, UserRealm | undefined> => {
  const type = realm?.account_type.toLowerCase()
  return type === 'federated' && federation === undefined
    ? E.left(
        configError(
          'unsupported',
          `This user's domain${realm?.domain_name === undefined ? '' : ` (${realm.domain_name})`} is federated: the password must be checked by the domain's own identity provider over WS-Trust, which this client was not given. Pass "federation: wsTrustFederation" from ${WSTRUST_PACKAGE} in the client's configuration, or sign the user in interactively or with the device code flow.`,
          'username',
        ),
      )
    : type === 'unknown'
      ? E.left(
          configError(
            'invalid_argument',
            "The user realm is unknown: the identity provider knows no tenant for this username's domain. Check the username (a UPN such as jane@contoso.com) and that the authority is the user's cloud.",
            'username',
          ),
        )
      : E.right(realm)
}

/**
 * Signs a managed user in with a username and password: user realm discovery at the
 * authority's host (skipped for ADFS, for OIDC issuers, and for hosts that have no user
 * realm endpoint), then one `grant_type=password` request with `client_info=1` and
 * `X-AnchorMailbox: upn:<username>`, its answer checked and folded with `foldUserToken`
 * (the account keeps the username). Every failure leaves the cache as it was: a federated
 * or unknown realm sends no token request; a wrong password is the IdP's `ProtocolError`
 * (`invalid_grant`).
 *
 * Its steps are exported: {@link checkUsernamePassword}, `discoverUserRealm`,
 * {@link checkUserRealm}, `usernamePasswordRequest`, `usernameAnchorHeaders`,
 * `requestToken`, `foldUserToken`.
 *
 * @example
 * ```ts
 * import { usernamePassword } from '@authfold/grants'
 * import type { CacheState } from '@authfold/cache'
 * import type { GrantEnv, ResolvedAuthority } from '@authfold/core'
 *
 * declare const clientId: string, authority: ResolvedAuthority, username: string, password: string, cache: CacheState, env: GrantEnv
 * const outcome = await usernamePassword({ clientId, authority, username, password, scopes: ['User.Read'] })(cache)(env)()
 * if (outcome._tag === 'Right') {
 *   const [result, nextCache] = outcome.right // result.account.username === username
 * }
 * ```
 * @category grants
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_by_username_password`
 */
export const usernamePassword =
  (p: UsernamePasswordParams): Grant<UserAuthResult> =>
  (cache) =>
  (env) => {
    const checked = checkUsernamePassword(p)
    if (E.isLeft(checked)) return TE.left(checked.left)
    const { scopes, claims } = checked.right
    const correlationId = p.correlationId ?? uuidFrom(env.random)
    const nowSeconds = Math.floor(env.now() / 1000)
    interface Outgoing {
      readonly fields: TokenFields
      readonly headers?: Readonly<Record<string, string>>
      readonly grantType: string
    }
    const managed = (): Outgoing => ({
      fields: usernamePasswordRequest({ username: p.username, password: p.password, scopes, claims }),
      headers: usernameAnchorHeaders(p.username),
      grantType: 'password',
    })
    return pipe(
      discoverUserRealm(p.authority.authority, p.username, correlationId, p.userRealmMemo)(env),
      TE.chainEitherKW((realm) => checkUserRealm(realm, p.federation)),
      TE.chain((realm) =>
        realm?.account_type.toLowerCase() === 'federated' && p.federation !== undefined
          ? pipe(
              p.federation({ realm, username: p.username, password: p.password, correlationId })(env),
              TE.map((a): Outgoing => ({ fields: federatedAssertionRequest(a, scopes, claims), grantType: a.grantType })),
            )
          : TE.right<AuthError, Outgoing>(managed()),
      ),
      TE.chain(({ fields, headers, grantType }) =>
        pipe(
          requestToken(
            { tokenEndpoint: p.authority.metadata.token_endpoint, clientId: p.clientId, fields, ...(headers === undefined ? {} : { headers }) },
            p.credential,
            { apiId: ApiId.acquireTokenByUsernamePassword, refreshReason: RefreshReason.nonSilentCall, correlationId },
          )(env),
          TE.map((answer) => ({ answer, grantType })),
        ),
      ),
      TE.chainEitherK(({ answer, grantType }): E.Either<AuthError, [UserAuthResult, typeof cache]> =>
        pipe(
          foldUserToken({ clientId: p.clientId, authority: p.authority, scopes, grantType, username: p.username }, nowSeconds)(answer)(cache),
          E.map(([result, next]) => [result, next]),
        ),
      ),
    )
  }
