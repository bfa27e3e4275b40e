/**
 * The public client facade (desktop, mobile, CLI apps): an assembly of method modules over
 * the same context as the confidential one. The user sign-in methods join it as their
 * grants land.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { ConfigError } from '@authfold/core'
import { publicContext, type ClientConfig } from './context.js'
import { orThrow } from './failure.js'
import { acquireTokenByUsernamePassword } from './methods/acquireTokenByUsernamePassword.js'
import { acquireTokenByDeviceFlow } from './methods/acquireTokenByDeviceFlow.js'
import { deserializeCache } from './methods/deserializeCache.js'
import { initiateDeviceFlow } from './methods/initiateDeviceFlow.js'
import { acquireTokenByAuthCodeFlow } from './methods/acquireTokenByAuthCodeFlow.js'
import { acquireTokenByAuthorizationCode } from './methods/acquireTokenByAuthorizationCode.js'
import { getAuthorizationRequestUrl } from './methods/getAuthorizationRequestUrl.js'
import { initiateAuthCodeFlow } from './methods/initiateAuthCodeFlow.js'
import { acquireTokenInteractive } from './methods/acquireTokenInteractive.js'
import { resolveAuthority } from './methods/resolveAuthority.js'
import { isPopSupported } from './methods/isPopSupported.js'
import { serializeCache } from './methods/serializeCache.js'
import { facade, type Facade } from './promises.js'
import { getAccounts } from './methods/getAccounts.js'
import { removeAccount } from './methods/removeAccount.js'
import { acquireTokenSilent, acquireTokenSilentPromise } from './methods/acquireTokenSilent.js'
import { acquireTokenSilentWithError, acquireTokenSilentWithErrorPromise } from './methods/acquireTokenSilentWithError.js'
import { acquireTokenByRefreshToken } from './methods/acquireTokenByRefreshToken.js'

/**
 * Configuration of {@link createPublicClient}: the confidential client's keys without a
 * credential.
 *
 * @category model
 * @since 0.1.0
 */
export type PublicClientConfig = ClientConfig

/**
 * The TaskEither forms of a public client's methods.
 *
 * @category model
 * @since 0.1.0
 */
export interface PublicClientTE {
  readonly acquireTokenByUsernamePassword: ReturnType<typeof acquireTokenByUsernamePassword>
  readonly resolveAuthority: ReturnType<typeof resolveAuthority>
  readonly serializeCache: ReturnType<typeof serializeCache>
  readonly deserializeCache: ReturnType<typeof deserializeCache>
  readonly initiateDeviceFlow: ReturnType<typeof initiateDeviceFlow>
  readonly acquireTokenByDeviceFlow: ReturnType<typeof acquireTokenByDeviceFlow>
  readonly initiateAuthCodeFlow: ReturnType<typeof initiateAuthCodeFlow>
  readonly acquireTokenByAuthCodeFlow: ReturnType<typeof acquireTokenByAuthCodeFlow>
  readonly getAuthorizationRequestUrl: ReturnType<typeof getAuthorizationRequestUrl>
  readonly acquireTokenByAuthorizationCode: ReturnType<typeof acquireTokenByAuthorizationCode>
  readonly acquireTokenInteractive: ReturnType<typeof acquireTokenInteractive>
  readonly getAccounts: ReturnType<typeof getAccounts>
  readonly removeAccount: ReturnType<typeof removeAccount>
  readonly acquireTokenSilent: ReturnType<typeof acquireTokenSilent>
  readonly acquireTokenSilentWithError: ReturnType<typeof acquireTokenSilentWithError>
  readonly acquireTokenByRefreshToken: ReturnType<typeof acquireTokenByRefreshToken>
  readonly isPopSupported: ReturnType<typeof isPopSupported>
}

/**
 * A public client: Promise methods, their TaskEither twins under `te`, and its store.
 *
 * @category model
 * @since 0.1.0
 */
export type PublicClient = Facade<PublicClientTE>

/**
 * Builds a public client, or a {@link ConfigError} (a credential given to a public
 * client, no client id, a malformed authority).
 *
 * @category constructors
 * @since 0.1.0
 */
export const publicClient = (config: PublicClientConfig): E.Either<ConfigError, PublicClient> =>
  pipe(
    publicContext(config),
    E.map((ctx) =>
      facade<PublicClientTE>(ctx.store, {
        resolveAuthority: resolveAuthority(ctx),
        acquireTokenByUsernamePassword: acquireTokenByUsernamePassword(ctx),
        serializeCache: serializeCache(ctx),
        deserializeCache: deserializeCache(ctx),
        initiateDeviceFlow: initiateDeviceFlow(ctx),
        acquireTokenByDeviceFlow: acquireTokenByDeviceFlow(ctx),
        initiateAuthCodeFlow: initiateAuthCodeFlow(ctx),
        acquireTokenByAuthCodeFlow: acquireTokenByAuthCodeFlow(ctx),
        getAuthorizationRequestUrl: getAuthorizationRequestUrl(ctx),
        acquireTokenByAuthorizationCode: acquireTokenByAuthorizationCode(ctx),
        acquireTokenInteractive: acquireTokenInteractive(ctx),
        getAccounts: getAccounts(ctx),
        removeAccount: removeAccount(ctx),
        acquireTokenSilent: acquireTokenSilent(ctx),
        acquireTokenSilentWithError: acquireTokenSilentWithError(ctx),
        acquireTokenByRefreshToken: acquireTokenByRefreshToken(ctx),
        isPopSupported: isPopSupported(ctx),
      }, {
        acquireTokenSilent: acquireTokenSilentPromise(ctx),
        acquireTokenSilentWithError: acquireTokenSilentWithErrorPromise(ctx),
      }),
    ),
  )

/**
 * Builds a public client; throws an `AuthFailure` holding a {@link ConfigError} when the
 * configuration cannot work.
 *
 * @example
 * ```ts
 * import { createPublicClient } from '@authfold/client'
 *
 * declare const clientId: string
 * const app = createPublicClient({ clientId, authority: 'https://login.microsoftonline.com/organizations' })
 * const { realm } = await app.resolveAuthority()
 * ```
 * @category constructors
 * @since 0.1.0
 * @see MSAL Python `PublicClientApplication`
 */
export const createPublicClient = (config: PublicClientConfig): PublicClient => orThrow(publicClient(config))
