/**
 * `createManagedIdentityClient`: tokens for code running on Azure, without any secret.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { memoryStore, type CacheStore } from '@authfold/cache'
import { checkRuntime, type AuthError, type ConfigError, type GrantEnv } from '@authfold/core'
import { checkManagedIdentity, type ArcKeyFiles, type Grant, type ManagedIdentity, type ManagedIdentityEnvironment } from '@authfold/grants'
import { buildEnv, type EffectsConfig } from './env.js'
import { runGrant } from './runGrant.js'
import { DEFAULT_CALL_TIMEOUT_MS, withCallLimits, type CallOptions } from './callLimits.js'
import { orThrow } from './failure.js'
import { facade, type Facade } from './promises.js'
import { acquireTokenForManagedIdentity } from './methods/acquireTokenForManagedIdentity.js'

/**
 * Configuration of {@link createManagedIdentityClient}. The HTTP policy that reuses GET
 * answers is off (a token answer must not be reused), and so is the generic retry unless
 * `retry` is given: IMDS retries on its own statuses.
 *
 * @category model
 * @since 0.1.0
 */
export interface ManagedIdentityClientConfig extends EffectsConfig {
  readonly managedIdentity: ManagedIdentity
  /** The environment (`managedIdentityEnvironment(process.env)` from `@authfold/node`); default `{}`: IMDS. */
  readonly environment?: ManagedIdentityEnvironment
  /** The key-file effect Azure Arc needs (`arcKeyFiles()` from `@authfold/node`). */
  readonly arcFiles?: ArcKeyFiles
  /** Sent as `xms_cc` where the source takes it. */
  readonly clientCapabilities?: ReadonlyArray<string>
  readonly cacheStore?: CacheStore
  readonly callTimeoutMs?: number
}

/**
 * What the managed identity methods share.
 *
 * @category model
 * @since 0.1.0
 */
export interface ManagedIdentityContext {
  readonly managedIdentity: ManagedIdentity
  readonly environment: ManagedIdentityEnvironment
  readonly arcFiles: ArcKeyFiles | undefined
  readonly clientCapabilities: ReadonlyArray<string> | undefined
  readonly env: GrantEnv
  readonly store: CacheStore
  readonly run: <A>(grant: Grant<A>, env: GrantEnv, signal?: AbortSignal) => TE.TaskEither<AuthError, A>
  readonly call: <A>(options: CallOptions | undefined, work: (env: GrantEnv, signal: AbortSignal) => TE.TaskEither<AuthError, A>) => TE.TaskEither<AuthError, A>
}

/**
 * Builds the context once from the configuration.
 *
 * @category constructors
 * @since 0.1.0
 */
export const managedIdentityContext = (config: ManagedIdentityClientConfig): E.Either<ConfigError, ManagedIdentityContext> =>
  pipe(
    checkRuntime(globalThis),
    E.chain(() => checkManagedIdentity(config.managedIdentity)),
    E.map((managedIdentity) => {
      const env = buildEnv({ ...config, retry: config.retry ?? false, disableHttpPolicy: true }, 5)
      const store = config.cacheStore ?? memoryStore()
      return {
        managedIdentity,
        environment: config.environment ?? {},
        arcFiles: config.arcFiles,
        clientCapabilities: config.clientCapabilities,
        env,
        store,
        run: runGrant(store),
        call: withCallLimits(env, config.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS),
      }
    }),
  )

/**
 * The managed identity client's methods, in TaskEither form.
 *
 * @category model
 * @since 0.1.0
 */
export interface ManagedIdentityClientTE {
  readonly acquireTokenForClient: ReturnType<typeof acquireTokenForManagedIdentity>
}

/**
 * The managed identity client: Promise methods, their `te` twins, and the cache store.
 *
 * @category model
 * @since 0.1.0
 */
export type ManagedIdentityClient = Facade<ManagedIdentityClientTE>

/**
 * {@link createManagedIdentityClient} as an `Either`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const managedIdentityClient = (config: ManagedIdentityClientConfig): E.Either<ConfigError, ManagedIdentityClient> =>
  pipe(
    managedIdentityContext(config),
    E.map((ctx) => facade<ManagedIdentityClientTE>(ctx.store, { acquireTokenForClient: acquireTokenForManagedIdentity(ctx) })),
  )

/**
 * A client that gets tokens as the managed identity of the Azure host it runs on (IMDS,
 * App Service, Service Fabric, Azure Arc, Cloud Shell, Azure ML), cache first. Throws an
 * `AuthFailure` for a bad configuration.
 *
 * @example
 * ```ts
 * import { createManagedIdentityClient } from '@authfold/client'
 * import { systemAssignedManagedIdentity } from '@authfold/grants'
 * import { managedIdentityEnvironment, arcKeyFiles } from '@authfold/node'
 *
 * const client = createManagedIdentityClient({ managedIdentity: systemAssignedManagedIdentity(), environment: managedIdentityEnvironment(process.env), arcFiles: arcKeyFiles() })
 * const { access_token } = await client.acquireTokenForClient('https://management.azure.com')
 * ```
 * @category constructors
 * @since 0.1.0
 * @see MSAL Python `ManagedIdentityClient`
 */
export const createManagedIdentityClient = (config: ManagedIdentityClientConfig): ManagedIdentityClient => orThrow(managedIdentityClient(config))

/**
 * The managed identity types a caller of {@link createManagedIdentityClient} (and
 * `@authfold/node`) needs, re-exported from `@authfold/grants`.
 *
 * @category model
 * @since 0.1.0
 */
export type { ArcKeyFiles, ManagedIdentity, ManagedIdentityEnvironment } from '@authfold/grants'
