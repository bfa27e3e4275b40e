/**
 * @module
 */
import type { TokenFields } from '../steps/authenticate.js'

/**
 * The user federated identity credential grant type (Entra's agent identity flow).
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_by_user_federated_identity_credential`
 */
export const USER_FIC_GRANT_TYPE = 'user_fic'

/**
 * Who the user FIC grant is for: the user's UPN (`username`) or object id (`userObjectId`,
 * sent as `user_id`), never both.
 *
 * @category model
 * @since 0.1.0
 */
export type UserFicSubject = { readonly username: string; readonly userObjectId?: undefined } | { readonly userObjectId: string; readonly username?: undefined }

/**
 * The form fields of a user FIC request, as MSAL sends them: `grant_type=user_fic`, the
 * `user_federated_identity_credential` (the assertion, as given), `username` or `user_id`,
 * the decorated `scope`, `client_info=1`, and `claims` when there are any. Pure, testable
 * without HTTP.
 *
 * @example
 * ```ts
 * import { userFicRequest } from '@authfold/grants'
 *
 * declare const t2: string
 * userFicRequest({ assertion: t2, subject: { username: 'agent@contoso.com' }, scopes: ['User.Read', 'openid', 'profile', 'offline_access'] })
 * // { grant_type: 'user_fic', user_federated_identity_credential: t2, username: 'agent@contoso.com', user_id: undefined,
 * //   scope: 'User.Read openid profile offline_access', client_info: '1', claims: undefined }
 * ```
 * @category requests
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_by_user_federated_identity_credential` (PR #918)
 */
export const userFicRequest = (p: {
  readonly assertion: string
  readonly subject: UserFicSubject
  readonly scopes: ReadonlyArray<string>
  readonly claims?: string | undefined
}): TokenFields => ({
  grant_type: USER_FIC_GRANT_TYPE,
  user_federated_identity_credential: p.assertion,
  username: p.subject.username,
  user_id: p.subject.userObjectId,
  scope: p.scopes.join(' '),
  client_info: '1',
  claims: p.claims,
})
