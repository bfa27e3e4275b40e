/**
 * User realm discovery: before a password grant, ask Entra whether the user's domain is
 * managed (the password goes to Entra) or federated (it goes to the domain's own IdP over
 * WS-Trust).
 *
 * @module
 */
import * as D from 'io-ts/Decoder'
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import { decodeWith, fieldsOf, processJsonAnswer, type Authority, type AuthError, type GrantEnv, type HttpRequest, type HttpResponse } from '@authfold/core'

/**
 * A user realm discovery answer (`GET /common/userrealm/<username>?api-version=1.0`).
 * Entra sends `ver`, `account_type` (`Managed`, `Federated` or `Unknown`), `domain_name`,
 * `cloud_instance_name`, `cloud_audience_urn`, and for a federated domain
 * `federation_protocol`, `federation_metadata_url` (MEX) and `federation_active_auth_url`.
 * Unknown fields are kept.
 *
 * @category model
 * @since 0.1.0
 */
export interface UserRealm {
  readonly account_type: string
  readonly ver?: string
  readonly domain_name?: string
  readonly cloud_instance_name?: string
  readonly cloud_audience_urn?: string
  readonly federation_protocol?: string
  readonly federation_metadata_url?: string
  readonly federation_active_auth_url?: string
}

/**
 * The decoder of {@link UserRealm}: `account_type` is required (MSAL branches on it), the
 * other fields are optional strings, unknown fields are kept.
 *
 * @category codecs
 * @since 0.1.0
 */
export const UserRealmDecoder: D.Decoder<unknown, UserRealm> = /*#__PURE__*/ fieldsOf(
  { account_type: D.string },
  {
    ver: D.string,
    domain_name: D.string,
    cloud_instance_name: D.string,
    cloud_audience_urn: D.string,
    federation_protocol: D.string,
    federation_metadata_url: D.string,
    federation_active_auth_url: D.string,
  },
)

/**
 * The hosts already known to have no user realm endpoint (one answered 404), so later
 * calls skip it, as MSAL Python remembers them. A client keeps one; it is the only state
 * the grant changes besides the cache.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `Authority._domains_without_user_realm_discovery`
 */
export interface UserRealmMemo {
  readonly has: (host: string) => boolean
  readonly add: (host: string) => void
}

/**
 * A fresh {@link UserRealmMemo} (one per client).
 *
 * @category constructors
 * @since 0.1.0
 */
export const userRealmMemo = (): UserRealmMemo => {
  const hosts = new Set<string>()
  return { has: (host) => hosts.has(host.toLowerCase()), add: (host) => void hosts.add(host.toLowerCase()) }
}

/**
 * A username as a path segment: percent-encoded, except `@`, which MSAL Python sends as
 * it is (`user@contoso.com`, not `user%40contoso.com`; `@` is allowed in a path segment).
 *
 * @category utils
 * @since 0.1.0
 */
export const usernamePathSegment = (username: string): string => encodeURIComponent(username).replace(/%40/g, '@')

/**
 * The user realm request MSAL Python sends: `GET https://<host>/common/userrealm/<username>?api-version=1.0`
 * with `Accept: application/json` and the call's `client-request-id`.
 *
 * @example
 * ```ts
 * import { userRealmRequest } from '@authfold/grants'
 *
 * userRealmRequest('login.microsoftonline.com', 'jane@contoso.com', 'corr-1')
 * // { method: 'GET', url: 'https://login.microsoftonline.com/common/userrealm/jane@contoso.com?api-version=1.0', headers: { Accept: 'application/json', 'client-request-id': 'corr-1' } }
 * ```
 * @category requests
 * @since 0.1.0
 * @see MSAL Python `Authority.user_realm_discovery`
 */
export const userRealmRequest = (host: string, username: string, correlationId: string): HttpRequest => ({
  method: 'GET',
  url: `https://${host}/common/userrealm/${usernamePathSegment(username)}?api-version=1.0`,
  headers: { Accept: 'application/json', 'client-request-id': correlationId },
})

/**
 * Reads a user realm answer: a 404 is "no user realm endpoint here" (`undefined`, the
 * password grant goes on as for a managed user, as in MSAL Python); anything else goes
 * through `processJsonAnswer` (an error body is a ProtocolError, a 4xx/5xx an HttpError,
 * a body without `account_type` a DecodeError).
 *
 * @category process
 * @since 0.1.0
 */
export const processUserRealm =
  (url: string) =>
  (response: HttpResponse): E.Either<AuthError, UserRealm | undefined> =>
    response.status === 404
      ? E.right(undefined)
      : processJsonAnswer({ subject: 'user realm answer', url, read: decodeWith(UserRealmDecoder, 'user realm answer', 'The user realm endpoint did not describe the account type.') })(response)

/**
 * Whether an authority has user realm discovery: every authority but ADFS (MSAL Python
 * skips it for ADFS only) and a generic OIDC issuer (not Entra at all).
 *
 * @category utils
 * @since 0.1.0
 */
export const hasUserRealm = (authority: Authority): boolean => authority.kind !== 'adfs' && authority.kind !== 'oidc'

/**
 * Discovers the user's realm at the authority's host: `undefined` when the authority has
 * none (ADFS), the host is remembered as having none, or it answers 404 (then the host is
 * remembered in `memo`).
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `Authority.user_realm_discovery`
 */
export const discoverUserRealm =
  (authority: Authority, username: string, correlationId: string, memo?: UserRealmMemo): ReaderTaskEither<GrantEnv, AuthError, UserRealm | undefined> =>
  (env) => {
    if (!hasUserRealm(authority) || memo?.has(authority.host) === true) return TE.right(undefined)
    const request = userRealmRequest(authority.host, username, correlationId)
    return pipe(
      env.http(request),
      TE.chainEitherKW((response) => {
        const realm = processUserRealm(request.url)(response)
        if (realm._tag === 'Right' && realm.right === undefined) memo?.add(authority.host)
        return realm
      }),
    )
  }
