/**
 * @module
 */
import {
  fetchHttpClient,
  libraryHeaders,
  telemetryRecorder,
  withHeaders,
  memoryHttpCache,
  msalHttpPolicy,
  type HttpCacheStore,
  type LibraryInfo,
  silentLogger,
  systemClock,
  timerSleep,
  webCryptoRandom,
  type Clock,
  type FetchLike,
  type GrantEnv,
  type HttpClient,
  type Logger,
  type RandomBytes,
  type Sleep,
} from '@authfold/core'

/**
 * The effects a facade can be given; each has a default.
 *
 * @category model
 * @since 0.1.0
 */
export interface EffectsConfig {
  /** The HTTP effect. Default: the platform's `fetch` with a 10 s timeout. */
  readonly http?: HttpClient
  /** Default: `Date.now`. */
  readonly now?: Clock
  /** Default: WebCrypto `getRandomValues`. */
  readonly random?: RandomBytes
  /** Default: `setTimeout`. */
  readonly sleep?: Sleep
  /** Default: drops everything. */
  readonly logger?: Logger
  /** Let messages that carry personal data reach the logger. Default false. */
  readonly piiLoggingEnabled?: boolean
  /**
   * Where MSAL's HTTP policy keeps discovery answers (24 h) and throttling state (400 replay,
   * Retry-After); MSAL Python's `http_cache`. Default: in memory, per client.
   */
  readonly httpCache?: HttpCacheStore
  /**
   * What the library headers say (`x-client-os`, `x-app-name`, `x-app-ver`); core reads no
   * platform, so pass e.g. `{ os: process.platform, appName: 'my-app' }`.
   */
  readonly libraryInfo?: LibraryInfo
  /**
   * Turn MSAL's throttling and discovery caching off (the HTTP effect is used as given,
   * with the library headers added).
   */
  readonly disableHttpPolicy?: boolean
}

/**
 * The platform's `fetch`, called as a method of `globalThis` (browsers and Workers refuse a
 * detached `fetch` with "Illegal invocation").
 */
const platformFetch: FetchLike = (url, init) => globalThis.fetch(url, init)

/**
 * Builds a {@link GrantEnv} from a facade's configuration, filling in the defaults: the
 * library headers (`x-client-sku`, `x-client-ver`, `x-client-os`, `x-app-*`: the HTTP
 * client owns them, from `libraryInfo`), MSAL's policy (throttling, discovery reuse) unless
 * `disableHttpPolicy`, one telemetry recorder for the client, and a logger that drops
 * personal data unless `piiLoggingEnabled` is set.
 *
 * @category utils
 * @since 0.1.0
 */
export const buildEnv = (config: EffectsConfig, defaultThrottleSeconds: number): GrantEnv => {
  const logger = config.logger ?? silentLogger
  const now = config.now ?? systemClock
  const http = config.http ?? fetchHttpClient({ fetch: platformFetch })
  return {
    http: withHeaders(libraryHeaders(config.libraryInfo))(
      config.disableHttpPolicy === true ? http : msalHttpPolicy({ store: config.httpCache ?? memoryHttpCache(), now, defaultThrottleSeconds })(http),
    ),
    now,
    random: config.random ?? webCryptoRandom,
    sleep: config.sleep ?? timerSleep,
    log: config.piiLoggingEnabled === true ? logger : (level, message, pii) => (pii ? undefined : logger(level, message, false)),
    telemetry: telemetryRecorder(),
  }
}
