/**
 * `@authfold/client/lean`: `createConfidentialClient` for an app that only acquires tokens
 * for itself (a daemon, a backend calling an API, an edge function), in the fewest bytes:
 * the client credentials grant over the app-token table (`@authfold/grants/lean`), an Entra
 * authority read without discovery, the Promise methods and their TaskEither twins. The
 * full client in `@authfold/client` has every MSAL method; the methods here behave as its
 * methods of the same names.
 *
 * @example
 * ```ts
 * import { createConfidentialClient } from '@authfold/client/lean'
 * import { clientSecret } from '@authfold/core'
 *
 * declare const secret: string
 * const app = createConfidentialClient({ clientId: 'app-id', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', credential: clientSecret(secret) })
 * const { access_token } = await app.acquireTokenForClient(['https://graph.microsoft.com/.default'])
 * ```
 * @module @authfold/client/lean
 */
export {
  createConfidentialClient,
  leanConfidentialClient,
  type LeanConfidentialClient,
  type LeanConfidentialClientConfig,
  type LeanConfidentialClientTE,
} from './lean/confidentialClient.js'
export { leanEntraAuthority } from './lean/entraAuthority.js'
export { AuthFailureError, isAuthFailure, type AuthFailure } from './failure.js'
export type { AuthResult } from '@authfold/grants/lean'
export type { AuthError, ConfigError } from '@authfold/core'
