/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { configError } from '../errors/errors.js'
import { JWT_BEARER_ASSERTION_TYPE, makeClientAuth, type ClientAuth } from './clientAuth.js'

/**
 * A callback that produces a fresh client assertion (for example a federated token from
 * a workload identity). It may be sync or async.
 *
 * @category model
 * @since 0.1.0
 */
export type AssertionProvider = (context: { readonly clientId: string; readonly tokenEndpoint: string }) => string | Promise<string>

/**
 * Authenticates with a ready-made client assertion (RFC 7523), given as a string or as a
 * callback called for every request.
 *
 * @example
 * const credential = clientAssertion(async () => readFile(tokenFile, 'utf8'))
 * @category credentials
 * @since 0.1.0
 * @see MSAL Python `client_credential={"client_assertion": ...}`
 */
export const clientAssertion = (assertion: string | AssertionProvider): ClientAuth =>
  makeClientAuth(
    'assertion',
    (context) =>
      TE.tryCatch(
        async () => {
          const value = typeof assertion === 'string' ? assertion : await assertion({ clientId: context.clientId, tokenEndpoint: context.tokenEndpoint })
          if (typeof value !== 'string' || value.length === 0) throw new Error('empty')
          return { fields: { client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: value }, headers: {} }
        },
        (e) =>
          configError(
            'invalid_credential',
            `The client assertion callback ${e instanceof Error && e.message === 'empty' ? 'returned no assertion' : 'failed'}. Make it return the assertion string (a signed JWT).`,
            'credential',
          ),
      ),
    typeof assertion === 'string' && assertion.length === 0
      ? configError('invalid_credential', 'The client assertion is empty. Pass a signed JWT or a callback that returns one.', 'credential')
      : undefined,
  )
