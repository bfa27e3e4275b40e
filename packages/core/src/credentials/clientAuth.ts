/**
 * Client authentication as a value. `clientSecret`, `certificate` and `clientAssertion`
 * all return a {@link ClientAuth}: a function from the request context to the form fields
 * (and headers) that prove who the client is.
 *
 * @module
 */
import type { TaskEither } from 'fp-ts/TaskEither'
import type { AuthError, ConfigError } from '../errors/errors.js'
import type { Clock, RandomBytes } from '../env/env.js'

/**
 * What a credential needs to know about the request it authenticates.
 *
 * @category model
 * @since 0.1.0
 */
export interface ClientAuthContext {
  readonly clientId: string
  /** The token endpoint URL: the audience of a client assertion. */
  readonly tokenEndpoint: string
  /** The request's `fmi_path` (Federated Managed Identity path), when it has one. */
  readonly fmiPath?: string
  readonly now: Clock
  readonly random: RandomBytes
}

/**
 * Form fields and headers that authenticate the client on one request.
 *
 * @category model
 * @since 0.1.0
 */
export interface ClientAuthParams {
  readonly fields: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string>>
}

/**
 * A client credential. `problem` is set when the credential can never work (a key that is
 * not a key); the facades refuse to build a client with it.
 *
 * @category model
 * @since 0.1.0
 */
export interface ClientAuth {
  (context: ClientAuthContext): TaskEither<AuthError, ClientAuthParams>
  /** What kind of credential this is (for logs and telemetry; never its value). */
  readonly kind: 'secret' | 'certificate' | 'assertion'
  readonly problem?: ConfigError
}

/**
 * Attaches `kind` (and a `problem`, if any) to a credential function.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeClientAuth = (
  kind: ClientAuth['kind'],
  run: (context: ClientAuthContext) => TaskEither<AuthError, ClientAuthParams>,
  problem?: ConfigError,
): ClientAuth => Object.assign(run, problem === undefined ? { kind } : { kind, problem })

/**
 * The `client_assertion_type` of a JWT bearer client assertion (RFC 7523 §2.2).
 *
 * @category constants
 * @since 0.1.0
 */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
