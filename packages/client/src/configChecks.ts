/**
 * The configuration checks every client constructor makes before any request.
 *
 * @module
 */
import type * as E from 'fp-ts/Either'
import { configError, type ClientAuth, type ConfigError, left, right } from '@authfold/core'

/**
 * A {@link ConfigError} when the client id is missing or blank.
 *
 * @category constructors
 * @since 0.1.0
 */
export const checkClientId = <C extends { readonly clientId: string }>(config: C): E.Either<ConfigError, C> =>
  typeof config.clientId !== 'string' || config.clientId.trim() === ''
    ? left(configError('invalid_argument', 'clientId is required: the application (client) id of the app registration.', 'clientId'))
    : right(config)

/**
 * A {@link ConfigError} when a confidential client's credential is missing or cannot work
 * (a key that is not a key), before any request.
 *
 * @category constructors
 * @since 0.1.0
 */
export const checkCredential = (credential: ClientAuth): E.Either<ConfigError, ClientAuth> =>
  typeof credential !== 'function'
    ? left(configError('invalid_credential', 'A confidential client needs a credential: clientSecret(...), certificate(...) or clientAssertion(...).', 'credential'))
    : credential.problem !== undefined
      ? left(credential.problem)
      : right(credential)
