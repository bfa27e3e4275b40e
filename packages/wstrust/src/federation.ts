/**
 * The federated sign-in itself: MEX, RST, RSTR, as MSAL Python's
 * `_acquire_token_by_username_password_federated` runs them. Hand {@link wsTrustFederation}
 * to a client (`federation: wsTrustFederation`) and `acquireTokenByUsernamePassword` signs
 * federated users in.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { configError, httpError, uuidFrom, type AuthError, type GrantEnv, type HttpRequest } from '@authfold/core'
import type { FederatedAssertion, FederatedUser, Federation } from '@authfold/grants'
import { ACTION_13, ACTION_2005, type WsTrustEndpoint } from './namespaces.js'
import { readMex } from './mex.js'
import { DEFAULT_AUDIENCE, rstRequest } from './rst.js'
import { encodeAssertion, readRstr } from './rstr.js'

/**
 * The MEX request MSAL Python sends: a plain GET of `federation_metadata_url`.
 *
 * @category federation
 * @since 0.1.0
 * @see MSAL Python `mex.send_request`
 */
export const mexRequest = (url: string): HttpRequest => ({ method: 'GET', url, headers: {} })

/**
 * Fetches the MEX document and picks the username/password endpoint; an error status is an
 * `HttpError` (MSAL's `raise_for_status`).
 *
 * @category federation
 * @since 0.1.0
 * @see MSAL Python `mex.send_request`
 */
export const fetchMexEndpoint =
  (url: string) =>
  (env: GrantEnv): TE.TaskEither<AuthError, WsTrustEndpoint> =>
    pipe(
      env.http(mexRequest(url)),
      TE.chainEitherKW((response): E.Either<AuthError, WsTrustEndpoint> =>
        response.status >= 400 ? E.left(httpError('status', url, `The MEX document (federation_metadata_url) answered HTTP ${response.status}.`, { status: response.status })) : readMex(response.body),
      ),
    )

/**
 * The endpoint to use without a MEX document: `federation_active_auth_url`, its version
 * told by its path (`/trust/13/usernamemixed` or `/trust/2005/usernamemixed`), as MSAL
 * Python guesses it. Anything else is a `ConfigError`.
 *
 * @category federation
 * @since 0.1.0
 * @see MSAL Python `wstrust_request.send_request`
 */
export const activeAuthEndpoint = (url: string | undefined): E.Either<AuthError, WsTrustEndpoint> =>
  url === undefined || url.trim() === ''
    ? E.left(configError('unsupported', 'The user realm is federated but names neither a MEX document nor a WS-Trust endpoint; the domain cannot take a password here. Sign the user in interactively.', 'username'))
    : url.includes('/trust/2005/usernamemixed')
      ? E.right({ address: url.trim(), action: ACTION_2005 })
      : url.includes('/trust/13/usernamemixed')
        ? E.right({ address: url.trim(), action: ACTION_13 })
        : E.left(configError('unsupported', "The domain's WS-Trust endpoint (federation_active_auth_url) is not a username/password one; ask its administrator to check the MEX settings.", 'username'))

/** Removes the password from a text, should an STS ever echo it. */
const redact =
  (password: string) =>
  (e: AuthError): AuthError => {
    if (password.length < 3 || !JSON.stringify(e).includes(password)) return e
    return JSON.parse(JSON.stringify(e).split(password).join('[redacted]')) as AuthError
  }

/**
 * Signs a federated user in at the domain's STS: the MEX document when the realm names one
 * (its WS-Trust 1.3 usernamemixed endpoint first, else 2005), else `federation_active_auth_url`
 * over WS-Trust 2005; then the RST (ids and times from the environment's random and clock),
 * and the RSTR's token as the SAML 1.1 or 2.0 bearer assertion, byte for byte as the STS
 * wrote it. A SOAP fault (wrong password) is a `ProtocolError` with the fault code and text;
 * no error ever holds the password.
 *
 * @example
 * ```ts
 * import { createPublicClient } from '@authfold/client'
 * import { wsTrustFederation } from '@authfold/wstrust'
 *
 * declare const clientId: string, password: string
 * const app = createPublicClient({ clientId, federation: wsTrustFederation })
 * await app.acquireTokenByUsernamePassword('jane@fabrikam.com', password, ['User.Read'])
 * ```
 * @category federation
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._acquire_token_by_username_password_federated`
 */
export const wsTrustFederation: Federation =
  (user: FederatedUser) =>
  (env: GrantEnv): TE.TaskEither<AuthError, FederatedAssertion> =>
    pipe(
      user.realm.federation_metadata_url !== undefined && user.realm.federation_metadata_url !== ''
        ? fetchMexEndpoint(user.realm.federation_metadata_url)(env)
        : TE.fromEither(activeAuthEndpoint(user.realm.federation_active_auth_url)),
      TE.chain((endpoint) => {
        const request = rstRequest({
          endpoint,
          username: user.username,
          password: user.password,
          audience: user.realm.cloud_audience_urn ?? DEFAULT_AUDIENCE,
          messageId: uuidFrom(env.random),
          nowMs: env.now(),
        })
        return pipe(
          env.http(request),
          TE.chainEitherKW((response) => readRstr(endpoint.address)(response.status, response.body)),
        )
      }),
      TE.map((token): FederatedAssertion => ({ grantType: token.grantType, assertion: encodeAssertion(token.token) })),
      TE.mapLeft(redact(user.password)),
    )
