/**
 * The hook through which a federated user's password reaches the domain's own identity
 * provider: `usernamePassword` calls a {@link Federation} when the user realm says
 * `Federated`, and sends the assertion it returns to the token endpoint. `@authfold/wstrust`
 * supplies one (`wsTrustFederation`); nothing here knows XML, so an app that never signs in
 * federated users bundles none.
 *
 * @module
 */
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import type { AuthError, GrantEnv } from '@authfold/core'
import type { TokenFields } from '../steps/authenticate.js'
import type { UserRealm } from './userRealm.js'

/**
 * A federated user to sign in: the realm Entra described and the credentials.
 *
 * @category model
 * @since 0.1.0
 */
export interface FederatedUser {
  readonly realm: UserRealm
  readonly username: string
  /** Sent once, to the domain's identity provider; never in an error. */
  readonly password: string
  readonly correlationId: string
}

/**
 * What the domain's identity provider gave: the grant type (`urn:ietf:params:oauth:grant-type:saml1_1-bearer`
 * or `saml2-bearer`) and the `assertion` field as it is sent (already encoded).
 *
 * @category model
 * @since 0.1.0
 */
export interface FederatedAssertion {
  readonly grantType: string
  readonly assertion: string
}

/**
 * Signs a federated user in at the domain's identity provider and returns the assertion to
 * send to Entra.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._acquire_token_by_username_password_federated`
 */
export type Federation = (user: FederatedUser) => ReaderTaskEither<GrantEnv, AuthError, FederatedAssertion>

/**
 * The token request of a federated sign-in, as MSAL Python sends it: `grant_type` (the SAML
 * bearer grant), `assertion`, the decorated `scope`, `client_info=1` and `claims` when given.
 *
 * @example
 * ```ts
 * import { federatedAssertionRequest } from '@authfold/grants'
 *
 * federatedAssertionRequest({ grantType: 'urn:ietf:params:oauth:grant-type:saml1_1-bearer', assertion: 'PHNhbWw...' }, ['User.Read', 'openid', 'profile', 'offline_access'], undefined)
 * // { grant_type: 'urn:ietf:params:oauth:grant-type:saml1_1-bearer', assertion: 'PHNhbWw...', scope: 'User.Read openid profile offline_access', client_info: '1', claims: undefined }
 * ```
 * @category requests
 * @since 0.1.0
 * @see RFC 7522 §2.1, MSAL Python `oauth2cli.oauth2.Client.obtain_token_by_assertion`
 */
export const federatedAssertionRequest = (a: FederatedAssertion, scopes: ReadonlyArray<string>, claims: string | undefined): TokenFields => ({
  grant_type: a.grantType,
  assertion: a.assertion,
  scope: scopes.join(' '),
  client_info: '1',
  claims,
})
