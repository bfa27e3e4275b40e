/**
 * @module
 */
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import type { AuthError, GrantEnv, HttpRequest, HttpResponse } from '@authfold/core'

/**
 * Sends a request through the environment's HTTP effect; any status is an answer.
 *
 * @category steps
 * @since 0.1.0
 */
export const send =
  (request: HttpRequest): ReaderTaskEither<GrantEnv, AuthError, HttpResponse> =>
  (env) =>
    env.http(request)
