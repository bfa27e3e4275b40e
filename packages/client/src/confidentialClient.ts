/**
 * The confidential client facade: an assembly of method modules over one context.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { ClientAuth, ConfigError } from '@authfold/core'
import { confidentialContext, type ClientConfig } from './context.js'
import { orThrow } from './failure.js'
import { acquireTokenForClient, acquireTokenForClientPromise } from './methods/acquireTokenForClient.js'
import { acquireTokenByAuthCodeFlow } from './methods/acquireTokenByAuthCodeFlow.js'
import { acquireTokenByAuthorizationCode } from './methods/acquireTokenByAuthorizationCode.js'
import { deserializeCache } from './methods/deserializeCache.js'
import { acquireTokenByUsernamePassword } from './methods/acquireTokenByUsernamePassword.js'
import { getAuthorizationRequestUrl } from './methods/getAuthorizationRequestUrl.js'
import { initiateAuthCodeFlow } from './methods/initiateAuthCodeFlow.js'
import { removeTokensForClient } from './methods/removeTokensForClient.js'
import { resolveAuthority } from './methods/resolveAuthority.js'
import { isPopSupported } from './methods/isPopSupported.js'
import { serializeCache } from './methods/serializeCache.js'
import { facade, type Facade } from './promises.js'
import { acquireTokenOnBehalfOf } from './methods/acquireTokenOnBehalfOf.js'
import { getAccounts } from './methods/getAccounts.js'
import { removeAccount } from './methods/removeAccount.js'
import { acquireTokenSilent, acquireTokenSilentPromise } from './methods/acquireTokenSilent.js'
import { acquireTokenSilentWithError, acquireTokenSilentWithErrorPromise } from './methods/acquireTokenSilentWithError.js'
import { acquireTokenByRefreshToken } from './methods/acquireTokenByRefreshToken.js'
import { acquireTokenByUserFederatedIdentityCredential } from './methods/acquireTokenByUserFederatedIdentityCredential.js'

/**
 * Configuration of {@link createConfidentialClient}; keys are the camelCase of MSAL Python's
 * constructor arguments.
 *
 * @category model
 * @since 0.1.0
 */
export interface ConfidentialClientConfig extends ClientConfig {
  /** The credential: `clientSecret(...)`, `certificate(...)` or `clientAssertion(...)`. */
  readonly credential: ClientAuth
}

/**
 * The TaskEither forms of a confidential client's methods.
 *
 * @category model
 * @since 0.1.0
 */
export interface ConfidentialClientTE {
  readonly acquireTokenByUsernamePassword: ReturnType<typeof acquireTokenByUsernamePassword>
  readonly acquireTokenForClient: ReturnType<typeof acquireTokenForClient>
  readonly removeTokensForClient: ReturnType<typeof removeTokensForClient>
  readonly resolveAuthority: ReturnType<typeof resolveAuthority>
  readonly serializeCache: ReturnType<typeof serializeCache>
  readonly deserializeCache: ReturnType<typeof deserializeCache>
  readonly initiateAuthCodeFlow: ReturnType<typeof initiateAuthCodeFlow>
  readonly acquireTokenByAuthCodeFlow: ReturnType<typeof acquireTokenByAuthCodeFlow>
  readonly getAuthorizationRequestUrl: ReturnType<typeof getAuthorizationRequestUrl>
  readonly acquireTokenByAuthorizationCode: ReturnType<typeof acquireTokenByAuthorizationCode>
  readonly acquireTokenOnBehalfOf: ReturnType<typeof acquireTokenOnBehalfOf>
  readonly getAccounts: ReturnType<typeof getAccounts>
  readonly removeAccount: ReturnType<typeof removeAccount>
  readonly acquireTokenSilent: ReturnType<typeof acquireTokenSilent>
  readonly acquireTokenSilentWithError: ReturnType<typeof acquireTokenSilentWithError>
  readonly acquireTokenByRefreshToken: ReturnType<typeof acquireTokenByRefreshToken>
  readonly acquireTokenByUserFederatedIdentityCredential: ReturnType<typeof acquireTokenByUserFederatedIdentityCredential>
  readonly isPopSupported: ReturnType<typeof isPopSupported>
}

/**
 * A confidential client: Promise methods named like MSAL Python's, their TaskEither twins
 * under `te`, and the store holding its cache.
 *
 * @category model
 * @since 0.1.0
 */
export type ConfidentialClient = Facade<ConfidentialClientTE>

/**
 * Builds a confidential client, or a {@link ConfigError} when the configuration cannot work
 * (a malformed authority, a key that is not a key).
 *
 * @category constructors
 * @since 0.1.0
 */
export const confidentialClient = (config: ConfidentialClientConfig): E.Either<ConfigError, ConfidentialClient> =>
  pipe(
    confidentialContext(config),
    E.map((ctx) =>
      facade<ConfidentialClientTE>(ctx.store, {
        acquireTokenForClient: acquireTokenForClient(ctx),
        removeTokensForClient: removeTokensForClient(ctx),
        resolveAuthority: resolveAuthority(ctx),
        acquireTokenByUsernamePassword: acquireTokenByUsernamePassword(ctx),
        serializeCache: serializeCache(ctx),
        deserializeCache: deserializeCache(ctx),
        initiateAuthCodeFlow: initiateAuthCodeFlow(ctx),
        acquireTokenByAuthCodeFlow: acquireTokenByAuthCodeFlow(ctx),
        getAuthorizationRequestUrl: getAuthorizationRequestUrl(ctx),
        acquireTokenByAuthorizationCode: acquireTokenByAuthorizationCode(ctx),
        acquireTokenOnBehalfOf: acquireTokenOnBehalfOf(ctx),
        getAccounts: getAccounts(ctx),
        removeAccount: removeAccount(ctx),
        acquireTokenSilent: acquireTokenSilent(ctx),
        acquireTokenSilentWithError: acquireTokenSilentWithError(ctx),
        acquireTokenByRefreshToken: acquireTokenByRefreshToken(ctx),
        acquireTokenByUserFederatedIdentityCredential: acquireTokenByUserFederatedIdentityCredential(ctx),
        isPopSupported: isPopSupported(ctx),
      }, {
        acquireTokenForClient: acquireTokenForClientPromise(ctx),
        acquireTokenSilent: acquireTokenSilentPromise(ctx),
        acquireTokenSilentWithError: acquireTokenSilentWithErrorPromise(ctx),
      }),
    ),
  )

/**
 * Builds a confidential client; throws an `AuthFailure` holding a {@link ConfigError} when the
 * configuration cannot work, as MSAL Python's constructor raises.
 *
 * @example
 * ```ts
 * import { createConfidentialClient } from '@authfold/client'
 * import { clientSecret } from '@authfold/core'
 *
 * declare const clientId: string, authority: string, secret: string
 * const app = createConfidentialClient({ clientId, authority, credential: clientSecret(secret) })
 * const { access_token } = await app.acquireTokenForClient(['https://graph.microsoft.com/.default'])
 * ```
 * @category constructors
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication`
 */
export const createConfidentialClient = (config: ConfidentialClientConfig): ConfidentialClient => orThrow(confidentialClient(config))
