/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { configError } from '../errors/errors.js'
import { JWT_BEARER_ASSERTION_TYPE, makeClientAuth, type ClientAuth } from './clientAuth.js'

/**
 * What an assertion callback is told about the request it authenticates: the context
 * MSAL Python 1.37 passes to a one-argument `client_assertion` callable (`client_id`,
 * `token_endpoint`, and `fmi_path` only when the request has one).
 *
 * @category model
 * @since 0.1.0
 */
export interface AssertionContext {
  readonly clientId: string
  /** The token endpoint the assertion is sent to (its `aud`). */
  readonly tokenEndpoint: string
  /** The request's Federated Managed Identity path; absent when the request has none. */
  readonly fmiPath?: string
}

/**
 * A callback that produces a fresh client assertion (for example a federated token from
 * a workload identity, or one per FMI path). It may be sync or async.
 *
 * @category model
 * @since 0.1.0
 */
export type AssertionProvider = (context: AssertionContext) => string | Promise<string>

/**
 * The context handed to an assertion callback, from the request's.
 *
 * @category utils
 * @since 0.1.0
 */
export const assertionContext = (context: AssertionContext): AssertionContext => ({
  clientId: context.clientId,
  tokenEndpoint: context.tokenEndpoint,
  ...(context.fmiPath === undefined ? {} : { fmiPath: context.fmiPath }),
})

/**
 * Authenticates with a ready-made client assertion (RFC 7523), given as a string or as a
 * callback called for every request. The callback receives the client id, the token
 * endpoint and the request's `fmiPath` (when it has one), so one callback can serve
 * several FMI paths.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises'
 * import { clientAssertion } from '@authfold/core'
 *
 * declare const tokenFile: string
 * const credential = clientAssertion(async () => readFile(tokenFile, 'utf8'))
 * ```
 * @example
 * ```ts
 * import { clientAssertion } from '@authfold/core'
 *
 * declare const assertionFor: (fmiPath: string) => Promise<string>
 * const perPath = clientAssertion(({ fmiPath }) => assertionFor(fmiPath ?? 'default'))
 * ```
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
          const value = typeof assertion === 'string' ? assertion : await assertion(assertionContext(context))
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
