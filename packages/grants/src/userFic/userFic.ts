/**
 * The user federated identity credential grant (`grant_type=user_fic`): an agent identity
 * exchanges a federated identity credential for a token of one user, named by UPN or
 * object id.
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
import { USER_FIC_GRANT_TYPE, userFicRequest, type UserFicSubject } from './request.js'
import { userRequestScopes } from '../steps/userRequestScopes.js'

/**
 * Parameters of {@link userFic}.
 *
 * @category model
 * @since 0.1.0
 */
export interface UserFicParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  readonly credential: ClientAuth
  /** The federated identity credential (the agent identity's exchange token). Never logged or cached. */
  readonly assertion: string
  /** The user's UPN, sent as `username`. Exactly one of `username` and `userObjectId`. */
  readonly username?: string
  /** The user's object id, sent as `user_id`. Exactly one of `username` and `userObjectId`. */
  readonly userObjectId?: string
  /** The scopes asked (`openid profile offline_access` are added, as MSAL adds them). */
  readonly scopes: ReadonlyArray<string>
  /** Reserved scopes to leave out (MSAL's `exclude_scopes`). */
  readonly excludeScopes?: ReadonlyArray<string>
  /** A claims challenge from a resource, sent as `claims`. */
  readonly claimsChallenge?: string
  /** Client capabilities (e.g. `cp1`), sent as `xms_cc` inside `claims`. */
  readonly clientCapabilities?: ReadonlyArray<string>
  /** Sent as `client-request-id`. Default: a fresh UUID. */
  readonly correlationId?: string
}

const given = (v: unknown): boolean => v !== undefined && v !== null

/**
 * Names the user of a user FIC request: exactly one of `username` and `userObjectId`, a
 * non-empty string. Neither or both is a `ConfigError` on `username` (nothing is sent), as
 * MSAL refuses them.
 *
 * @example
 * ```ts
 * import { userFicSubject } from '@authfold/grants'
 *
 * userFicSubject({ username: 'agent@contoso.com' }) // Right({ username: 'agent@contoso.com' })
 * userFicSubject({}) // Left(ConfigError invalid_argument)
 * ```
 * @category steps
 * @since 0.1.0
 */
export const userFicSubject = (p: Pick<UserFicParams, 'username' | 'userObjectId'>): E.Either<ConfigError, UserFicSubject> => {
  const hasName = given(p.username)
  const hasId = given(p.userObjectId)
  if (hasName && hasId)
    return E.left(
      configError('invalid_argument', 'Pass either username or userObjectId to name the user, not both: the identity provider takes one.', 'username'),
    )
  if (hasName)
    return typeof p.username === 'string' && p.username.trim() !== ''
      ? E.right({ username: p.username })
      : E.left(configError('invalid_argument', "Pass the user's UPN as username, a non-empty string such as \"agent@contoso.com\".", 'username'))
  if (hasId)
    return typeof p.userObjectId === 'string' && p.userObjectId.trim() !== ''
      ? E.right({ userObjectId: p.userObjectId })
      : E.left(configError('invalid_argument', "Pass the user's object id as userObjectId, a non-empty string (a GUID).", 'userObjectId'))
  return E.left(
    configError('invalid_argument', "Name the user: pass username (the user's UPN) or userObjectId (the user's object id).", 'username'),
  )
}

/**
 * Checks the parameters: a non-empty assertion, exactly one of `username` and
 * `userObjectId`, scopes MSAL accepts (decorated here), and the claims merged with the
 * client capabilities. No message holds the assertion.
 *
 * @category steps
 * @since 0.1.0
 */
export const checkUserFic = (
  p: UserFicParams,
): E.Either<AuthError, { readonly subject: UserFicSubject; readonly scopes: ReadonlyArray<string>; readonly claims: string | undefined }> =>
  typeof p.assertion !== 'string' || p.assertion === ''
    ? E.left(
        configError(
          'invalid_argument',
          'Pass the federated identity credential as assertion: a non-empty string (the exchange token your agent identity got for api://AzureADTokenExchange).',
          'assertion',
        ),
      )
    : pipe(
        userFicSubject(p),
        E.chainW((subject) =>
          pipe(
            userRequestScopes(p),
            E.map(({ scopes, claims }) => ({ subject, scopes, claims })),
          ),
        ),
      )

/**
 * Acquires a token for one user with a user federated identity credential: one
 * `grant_type=user_fic` request (`user_federated_identity_credential`, `username` or
 * `user_id`, the decorated `scope`, `client_info=1`), its answer checked and folded with
 * `foldUserToken` as every user grant is (access, refresh and ID tokens, the account,
 * which keeps the username when the id_token names none). Like MSAL, it never reads the
 * cache: a later silent call finds the tokens.
 *
 * Every failure leaves the cache as it was: neither or both of `username` and
 * `userObjectId`, or an empty assertion, is a `ConfigError` before any request; an error
 * answer is the IdP's `ProtocolError`.
 *
 * Its steps are exported: {@link checkUserFic}, {@link userFicSubject}, `userFicRequest`,
 * `requestToken`, `foldUserToken`.
 *
 * @example
 * ```ts
 * import { userFic } from '@authfold/grants'
 * import type { CacheState } from '@authfold/cache'
 * import type { ClientAuth, GrantEnv, ResolvedAuthority } from '@authfold/core'
 *
 * declare const clientId: string, authority: ResolvedAuthority, credential: ClientAuth, cache: CacheState, env: GrantEnv
 * declare const t2: string // the agent's federated identity credential
 * const outcome = await userFic({ clientId, authority, credential, assertion: t2, username: 'agent@contoso.com', scopes: ['User.Read'] })(cache)(env)()
 * ```
 * @category grants
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_by_user_federated_identity_credential`
 */
export const userFic =
  (p: UserFicParams): Grant<UserAuthResult> =>
  (cache) =>
  (env) => {
    const checked = checkUserFic(p)
    if (E.isLeft(checked)) return TE.left(checked.left)
    const { subject, scopes, claims } = checked.right
    const correlationId = p.correlationId ?? uuidFrom(env.random)
    const nowSeconds = Math.floor(env.now() / 1000)
    return pipe(
      requestToken(
        {
          tokenEndpoint: p.authority.metadata.token_endpoint,
          clientId: p.clientId,
          fields: userFicRequest({ assertion: p.assertion, subject, scopes, claims }),
        },
        p.credential,
        { apiId: ApiId.acquireTokenByUserFederatedIdentityCredential, refreshReason: RefreshReason.nonSilentCall, correlationId },
      )(env),
      TE.chainEitherK((answer): E.Either<AuthError, [UserAuthResult, typeof cache]> =>
        pipe(
          foldUserToken(
            { clientId: p.clientId, authority: p.authority, scopes, grantType: USER_FIC_GRANT_TYPE, username: subject.username },
            nowSeconds,
          )(answer)(cache),
          E.map(([result, next]) => [result, next]),
        ),
      ),
    )
  }
