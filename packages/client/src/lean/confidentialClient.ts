/**
 * The lean confidential client: MSAL's `ConfidentialClientApplication` for a daemon or an
 * API that only acquires tokens for itself, in a fraction of the full facade's bundle.
 *
 * @module
 */
import type * as E from 'fp-ts/Either'
import type { TaskEither } from 'fp-ts/TaskEither'
import { appTokenCacheFromJson, appTokenCacheToJson, emptyAppTokenCache, rebaseDocument, removeAppTokensFromTable, type AppTokenCache } from '@authfold/cache'
import { leanFetchHttpClient, libraryHeaders, systemClock, timerSleep, webCryptoRandom, withHeaders, type AuthError, type ConfigError, type GrantEnv, right } from '@authfold/core'
import { appToken, peekAppToken, type AppTokenParams, type AuthResult } from '@authfold/grants/lean'
import type { ConfidentialClientConfig } from '../confidentialClient.js'
import { checkClientId, checkCredential } from '../configChecks.js'
import { configuredLogger } from '../env.js'
import { orThrow } from '../failure.js'
import { withPromises, type WithPromises } from '../promises.js'
import { leanEntraAuthority } from './entraAuthority.js'

/**
 * Configuration of the lean {@link createConfidentialClient}: the options of the full
 * client's configuration it honours, with the same names and meanings, so a configuration
 * written for it also configures the full client. `authority` must be an Entra tenant
 * (`https://<host>/<tenant>`), known without discovery.
 *
 * @category model
 * @since 0.1.0
 */
export type LeanConfidentialClientConfig = Pick<
  ConfidentialClientConfig,
  'clientId' | 'authority' | 'credential' | 'http' | 'now' | 'random' | 'sleep' | 'logger' | 'piiLoggingEnabled' | 'libraryInfo'
>

/**
 * The TaskEither forms of the lean client's methods: the full confidential client's methods
 * of the same names, for app tokens.
 *
 * @category model
 * @since 0.1.0
 */
export interface LeanConfidentialClientTE {
  /** A token for the app itself: the cache's when valid, else one client credentials request. */
  readonly acquireTokenForClient: (scopes: ReadonlyArray<string>) => TaskEither<AuthError, AuthResult>
  /** Removes this client's app tokens from the cache. */
  readonly removeTokensForClient: () => TaskEither<AuthError, void>
  /** The cache as MSAL's unified-schema JSON (what MSAL Python, msal-node and the full client read). */
  readonly serializeCache: () => TaskEither<AuthError, string>
  /** Replaces the cache with one read from MSAL's unified-schema JSON; broken JSON leaves it as it was. */
  readonly deserializeCache: (json: string) => TaskEither<AuthError, void>
}

/**
 * A lean confidential client: Promise methods named like MSAL Python's and their
 * TaskEither twins under `te`.
 *
 * @category model
 * @since 0.1.0
 */
export type LeanConfidentialClient = WithPromises<LeanConfidentialClientTE>

/**
 * Builds a lean confidential client, or a {@link ConfigError} when the configuration cannot
 * work (no client id, a credential that is not one, an authority that is not an Entra
 * tenant).
 *
 * @category constructors
 * @since 0.1.0
 */
export const leanConfidentialClient = (config: LeanConfidentialClientConfig): E.Either<ConfigError, LeanConfidentialClient> => {
  const checked = checkClientId(config)
  if (checked._tag === 'Left') return checked
  const credential = checkCredential(config.credential)
  if (credential._tag === 'Left') return credential
  const authority = leanEntraAuthority(config.authority ?? 'https://login.microsoftonline.com/common/')
  if (authority._tag === 'Left') return authority
  const env: GrantEnv = {
    http: withHeaders(libraryHeaders(config.libraryInfo))(config.http ?? leanFetchHttpClient()),
    now: config.now ?? systemClock,
    random: config.random ?? webCryptoRandom,
    sleep: config.sleep ?? timerSleep,
    log: configuredLogger(config),
  }
  const { clientId } = config
  // the only mutable reference: the cache, replaced whole by each commit
  let cache: AppTokenCache = emptyAppTokenCache
  // single flight: identical concurrent calls (the same scopes) share one grant
  const flights = new Map<string, Promise<E.Either<AuthError, AuthResult>>>()
  const grant = async (params: AppTokenParams): Promise<E.Either<AuthError, AuthResult>> => {
    const before = cache
    const outcome = await appToken(params)(before)(env)()
    if (outcome._tag === 'Left') return outcome
    const [result, after] = outcome.right
    // a grant that ran beside another commit replays its own change onto the newer cache
    if (after !== before) cache = cache === before ? after : rebaseDocument(before, after, cache)
    return right(result)
  }
  const update = (f: (c: AppTokenCache) => AppTokenCache): TaskEither<AuthError, void> => () => {
    cache = f(cache)
    return Promise.resolve(right(undefined))
  }
  return right(
    withPromises<LeanConfidentialClientTE>({
      acquireTokenForClient: (scopes) => () => {
        const params: AppTokenParams = { clientId, authority: authority.right, credential: credential.right, scopes }
        // a cache hit is answered at once, as appToken answers it: no flight, no commit
        const hit = peekAppToken(params)(cache, env.now() / 1000)
        if (hit !== undefined) {
          env.log('info', 'Answered from the token cache', false)
          return Promise.resolve(right(hit))
        }
        const key = scopes.join(' ')
        const shared = flights.get(key)
        if (shared !== undefined) return shared
        const flight = grant(params).finally(() => flights.delete(key))
        flights.set(key, flight)
        return flight
      },
      removeTokensForClient: () => update(removeAppTokensFromTable({ clientId, environments: authority.right.aliases })),
      serializeCache: () => () => Promise.resolve(right(appTokenCacheToJson(cache))),
      deserializeCache: (json) => () => {
        const read = appTokenCacheFromJson(json)
        if (read._tag === 'Left') return Promise.resolve(read)
        cache = read.right
        return Promise.resolve(right(undefined))
      },
    }),
  )
}

/**
 * Builds a lean confidential client: `acquireTokenForClient`, `removeTokensForClient`,
 * `serializeCache` and `deserializeCache` as the full `createConfidentialClient` from
 * `@authfold/client` has them (the same requests, the same cache in MSAL's unified schema,
 * the same errors), for an Entra tenant known without discovery, with no user sign-in
 * methods, no regional endpoints, no HTTP retries or throttling and no telemetry headers, in
 * about a third of the bytes (README, "Bundle size"). Identical concurrent calls share one
 * request; the cache is in memory (save and load it with `serializeCache` /
 * `deserializeCache`). Throws an `AuthFailureError` holding a {@link ConfigError} when the
 * configuration cannot work, as MSAL Python's constructor raises.
 *
 * @example
 * ```ts
 * import { createConfidentialClient } from '@authfold/client/lean'
 * import { clientSecret } from '@authfold/core'
 *
 * declare const clientId: string, secret: string
 * const app = createConfidentialClient({ clientId, authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', credential: clientSecret(secret) })
 * const { access_token } = await app.acquireTokenForClient(['https://graph.microsoft.com/.default'])
 * ```
 * @category constructors
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.acquire_token_for_client`
 */
export const createConfidentialClient = (config: LeanConfidentialClientConfig): LeanConfidentialClient => orThrow(leanConfidentialClient(config))
