/**
 * The send step shared by every grant: authenticate the client, POST the form to the token
 * endpoint through the HTTP effect, and process the answer.
 *
 * @module
 */
import * as RTE from 'fp-ts/ReaderTaskEither'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { formPost, processTokenResponse, type AuthError, type ClientAuth, type GrantEnv, type TokenResponse } from '@authfold/core'
import { requestHeaders } from './requestHeaders.js'

/**
 * One token request.
 *
 * @category model
 * @since 0.1.0
 */
export interface TokenRequest {
  readonly tokenEndpoint: string
  readonly clientId: string
  /** Grant fields (`grant_type`, `scope`, ...); undefined values are left out. */
  readonly fields: Readonly<Record<string, string | undefined>>
  /** The client credential; public clients pass none. */
  readonly credential?: ClientAuth
  readonly correlationId?: string
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * Sends a token request and returns the checked answer.
 *
 * @category steps
 * @since 0.1.0
 */
export const sendTokenRequest =
  (request: TokenRequest): RTE.ReaderTaskEither<GrantEnv, AuthError, TokenResponse> =>
  (env) =>
    pipe(
      request.credential === undefined
        ? TE.right({ fields: {}, headers: {} })
        : request.credential({ clientId: request.clientId, tokenEndpoint: request.tokenEndpoint, now: env.now, random: env.random }),
      TE.map((auth) =>
        formPost(
          request.tokenEndpoint,
          { client_id: request.clientId, ...request.fields, ...auth.fields },
          { ...requestHeaders(env.random, request.correlationId), ...request.headers, ...auth.headers },
        ),
      ),
      TE.chainW((req) => env.http(req)),
      TE.chainEitherK(processTokenResponse(request.tokenEndpoint)),
    )
