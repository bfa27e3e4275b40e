/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import { pipe } from 'fp-ts/function'
import { formPost, type AuthError, type ClientAuth, type GrantEnv, type HttpRequest } from '@authfold/core'

/**
 * The form fields of a token request (`grant_type`, `scope`, ...); undefined values are
 * left out. Each grant's pure request builder returns these.
 *
 * @category model
 * @since 0.1.0
 */
export type TokenFields = Readonly<Record<string, string | undefined>>

/**
 * A token request before client authentication: where it goes, for which client, its form
 * fields and its per-call headers.
 *
 * @category model
 * @since 0.1.0
 */
export interface TokenEndpointRequest {
  readonly tokenEndpoint: string
  readonly clientId: string
  readonly fields: TokenFields
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * Authenticates a token request with the client's credential (a public client passes
 * none): the credential's fields join the form (`client_secret`, `client_assertion`), its
 * headers the request, and the result is the form POST to send.
 *
 * @example
 * ```ts
 * import { authenticate, type TokenEndpointRequest } from '@authfold/grants'
 * import { clientSecret, type GrantEnv } from '@authfold/core'
 *
 * declare const tokenRequest: TokenEndpointRequest, secret: string, env: GrantEnv
 * const httpRequest = await authenticate(clientSecret(secret))(tokenRequest)(env)()
 * ```
 * @category steps
 * @since 0.1.0
 * @see RFC 6749 §2.3, RFC 7523 §2.2
 */
export const authenticate =
  (credential: ClientAuth | undefined) =>
  (request: TokenEndpointRequest): ReaderTaskEither<GrantEnv, AuthError, HttpRequest> =>
  (env) =>
    pipe(
      credential === undefined
        ? TE.right({ fields: {}, headers: {} })
        : credential({
            clientId: request.clientId,
            tokenEndpoint: request.tokenEndpoint,
            ...(request.fields['fmi_path'] === undefined ? {} : { fmiPath: request.fields['fmi_path'] }),
            now: env.now,
            random: env.random,
          }),
      TE.map((auth) =>
        formPost(request.tokenEndpoint, { client_id: request.clientId, ...request.fields, ...auth.fields }, { ...request.headers, ...auth.headers }),
      ),
    )
