/**
 * The confidential client facade: configuration once, methods named like MSAL Python's.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { removeAppTokens } from '@authfold/cache'
import {
  ApiId,
  checkRuntime,
  configError,
  emptyTelemetryBuffer,
  hitAnAccessToken,
  parseAuthority,
  telemetryContext,
  updateTelemetry,
  type TelemetryBuffer, type AuthError, type ClientAuth, type ConfigError, type ResolveAuthorityOptions } from '@authfold/core'
import { clientCredentials, type AuthResult } from '@authfold/grants'
import { memoizedResolver } from './authorityResolver.js'
import { buildEnv, type EffectsConfig } from './env.js'
import { toFailure, toPromise } from './failure.js'
import { runGrant } from './runGrant.js'
import { memoryStore, type CacheStore } from './store.js'

/**
 * Configuration of {@link createConfidentialClient}; keys are the camelCase of MSAL Python's
 * constructor arguments.
 *
 * @category model
 * @since 0.1.0
 */
export interface ConfidentialClientConfig extends EffectsConfig, ResolveAuthorityOptions {
  readonly clientId: string
  /** The credential: `clientSecret(...)`, `certificate(...)` or `clientAssertion(...)`. */
  readonly credential: ClientAuth
  /** Default `https://login.microsoftonline.com/common/`. */
  readonly authority?: string
  /** A generic OpenID Connect issuer used instead of `authority` (MSAL's `oidc_authority`). */
  readonly oidcAuthority?: string
  /** Client capabilities such as `cp1`, sent as `xms_cc` claims. */
  readonly clientCapabilities?: ReadonlyArray<string>
  /** Where tokens are kept. Default: in memory. */
  readonly cacheStore?: CacheStore
}

/**
 * Options of `acquireTokenForClient`.
 *
 * @category model
 * @since 0.1.0
 */
export interface AcquireTokenForClientOptions {
  readonly claimsChallenge?: string
  readonly fmiPath?: string
  readonly correlationId?: string
  /** Refused with a ConfigError, as MSAL refuses it. */
  readonly forceRefresh?: boolean
}

/**
 * The TaskEither forms of a confidential client's methods.
 *
 * @category model
 * @since 0.1.0
 */
export interface ConfidentialClientTE {
  readonly acquireTokenForClient: (scopes: ReadonlyArray<string>, options?: AcquireTokenForClientOptions) => TE.TaskEither<AuthError, AuthResult>
  readonly removeTokensForClient: () => TE.TaskEither<AuthError, void>
}

/**
 * A confidential client: Promise methods, and their TaskEither twins under `te`.
 *
 * @category model
 * @since 0.1.0
 */
export interface ConfidentialClient {
  readonly acquireTokenForClient: (scopes: ReadonlyArray<string>, options?: AcquireTokenForClientOptions) => Promise<AuthResult>
  readonly removeTokensForClient: () => Promise<void>
  readonly te: ConfidentialClientTE
  /** The store holding this client's cache. */
  readonly cacheStore: CacheStore
}

const checkConfig = (config: ConfidentialClientConfig): E.Either<ConfigError, ConfidentialClientConfig> =>
  typeof config.clientId !== 'string' || config.clientId.trim() === ''
    ? E.left(configError('invalid_argument', 'clientId is required: the application (client) id of the app registration.', 'clientId'))
    : typeof config.credential !== 'function'
      ? E.left(configError('invalid_credential', 'A confidential client needs a credential: clientSecret(...), certificate(...) or clientAssertion(...).', 'credential'))
      : config.credential.problem !== undefined
        ? E.left(config.credential.problem)
        : E.right(config)

/**
 * Builds a confidential client, or a {@link ConfigError} when the configuration cannot work
 * (a malformed authority, a key that is not a key).
 *
 * @category constructors
 * @since 0.1.0
 */
export const confidentialClient = (config: ConfidentialClientConfig): E.Either<ConfigError, ConfidentialClient> =>
  pipe(
    checkRuntime(globalThis),
    E.chain(() => checkConfig(config)),
    E.chain(() =>
      config.oidcAuthority !== undefined
        ? parseAuthority(config.oidcAuthority, { oidcAuthority: true })
        : parseAuthority(config.authority ?? 'https://login.microsoftonline.com/common/'),
    ),
    E.map((authority) => {
      const env = buildEnv(config, 5)
      let telemetry: TelemetryBuffer = emptyTelemetryBuffer
      const store = config.cacheStore ?? memoryStore()
      const run = runGrant(store, env)
      // resolveAuthority applies azureRegion itself (regional endpoints beside the central ones)
      const resolved = memoizedResolver(authority, config, env)
      const te: ConfidentialClientTE = {
        acquireTokenForClient: (scopes, options = {}) => {
          const context = telemetryContext(ApiId.acquireTokenForClient, env.random, options.correlationId === undefined ? {} : { correlationId: options.correlationId })
          return pipe(
            resolved,
            TE.chain((ra) =>
              run(
                clientCredentials({
                  clientId: config.clientId,
                  authority: ra,
                  credential: config.credential,
                  scopes,
                  ...(config.clientCapabilities === undefined ? {} : { clientCapabilities: config.clientCapabilities }),
                  ...options,
                  correlationId: context.correlationId,
                  telemetry,
                }),
              ),
            ),
            TE.bimap(
              (e) => {
                telemetry = updateTelemetry(telemetry, context, { error: e._tag === 'ProtocolError' ? e.error : e.code })
                return e
              },
              (r) => {
                telemetry = r.token_source === 'cache' ? hitAnAccessToken(telemetry) : emptyTelemetryBuffer
                return r
              },
            ),
          )
        },
        removeTokensForClient: () =>
          pipe(
            resolved,
            TE.chain((ra) => store.update(removeAppTokens({ clientId: config.clientId, environments: ra.aliases }))),
            TE.map(() => undefined),
          ),
      }
      return {
        te,
        cacheStore: store,
        acquireTokenForClient: (scopes, options) => toPromise(te.acquireTokenForClient(scopes, options)),
        removeTokensForClient: () => toPromise(te.removeTokensForClient()),
      }
    }),
  )

/**
 * Builds a confidential client; throws an `AuthFailure` holding a {@link ConfigError} when the
 * configuration cannot work, as MSAL Python's constructor raises.
 *
 * @example
 * const app = createConfidentialClient({ clientId, authority, credential: clientSecret(secret) })
 * const { access_token } = await app.acquireTokenForClient(['https://graph.microsoft.com/.default'])
 * @category constructors
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication`
 */
export const createConfidentialClient = (config: ConfidentialClientConfig): ConfidentialClient =>
  pipe(
    confidentialClient(config),
    E.getOrElseW((e) => {
      throw toFailure(e)
    }),
  )
