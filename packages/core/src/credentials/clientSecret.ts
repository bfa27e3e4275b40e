/**
 * @module
 */
import { right } from '../errors/either.js'
import { configError } from '../errors/errors.js'
import { makeClientAuth, type ClientAuth } from './clientAuth.js'

/**
 * Authenticates with a client secret sent as `client_secret` in the form body
 * (`client_secret_post`, what MSAL sends). Pulls in no crypto code.
 *
 * @example
 * ```ts
 * import { clientSecret } from '@authfold/core'
 *
 * const credential = clientSecret(process.env.CLIENT_SECRET!)
 * ```
 * @category credentials
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication(client_credential="secret")`
 */
export const clientSecret = (secret: string): ClientAuth =>
  makeClientAuth(
    'secret',
    // `TE.right`, written out so a bundle with a secret carries no TaskEither code.
    () => () => Promise.resolve(right({ fields: { client_secret: secret }, headers: {} })),
    typeof secret === 'string' && secret.length > 0
      ? undefined
      : configError('invalid_credential', 'The client secret is empty. Pass the secret value from the app registration.', 'credential'),
  )
