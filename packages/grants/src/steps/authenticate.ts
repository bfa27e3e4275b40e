/**
 * @module
 */
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import { formPost, right, type AuthError, type ClientAuth, type GrantEnv, type HttpRequest } from '@authfold/core'

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
  (env) => {
    const credentials =
      credential === undefined
        ? undefined
        : credential({
            clientId: request.clientId,
            tokenEndpoint: request.tokenEndpoint,
            ...(request.fields['fmi_path'] === undefined ? {} : { fmiPath: request.fields['fmi_path'] }),
            now: env.now,
            random: env.random,
          })
    // `TE.map` written out: the same thunk, without TaskEither's code.
    return async () => {
      const auth = credentials === undefined ? right({ fields: {}, headers: {} }) : await credentials()
      return auth._tag === 'Left'
        ? auth
        : right(
            formPost(request.tokenEndpoint, { client_id: request.clientId, ...request.fields, ...auth.right.fields }, { ...request.headers, ...auth.right.headers }),
          )
    }
  }
