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
  toLogger,
  type LogSink,
  systemClock,
  timerSleep,
  webCryptoRandom,
  type Clock,
  type GrantEnv,
  type HttpClient,
  type Logger,
  type RandomBytes,
  type RetryPolicy,
  type Sleep,
  withRetry,
} from '@authfold/core'

/**
 * The effects a facade can be given; each has a default.
 *
 * @category model
 * @since 0.1.0
 */
export interface EffectsConfig {
  /** The HTTP effect. Default: the platform's `fetch` (10 s timeout, 4 MiB answer cap). */
  readonly http?: HttpClient
  /** Default: `Date.now`. */
  readonly now?: Clock
  /** Default: WebCrypto `getRandomValues`. */
  readonly random?: RandomBytes
  /** Default: `setTimeout`. */
  readonly sleep?: Sleep
  /**
   * Where log lines go: a function `(level, message, pii) => void`, or `console` or a pino
   * (winston, bunyan) logger as it is (see `toLogger`). Default: drops everything.
   */
  readonly logger?: LogSink
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
   * Retries of the HTTP effect (`withRetry`): MSAL's defaults (one retry of a GET after a
   * connection error, a timeout or a 5xx; a token POST is never resent unless
   * `retryPosts: true`), jittered back-off through `sleep`. `false` turns retrying off, for
   * apps that retry on their own.
   */
  readonly retry?: RetryPolicy | false
  /**
   * Turn MSAL's throttling and discovery caching off (the HTTP effect is used as given,
   * with the library headers added).
   */
  readonly disableHttpPolicy?: boolean
}

/**
 * The logger a facade's configuration asks for: `logger` as a {@link Logger} (console and
 * pino-style loggers adapted by `toLogger`; none drops everything), with the lines that
 * carry personal data dropped unless `piiLoggingEnabled`.
 *
 * @category utils
 * @since 0.1.0
 */
export const configuredLogger = (config: Pick<EffectsConfig, 'logger' | 'piiLoggingEnabled'>): Logger => {
  const logger = config.logger === undefined ? silentLogger : toLogger(config.logger)
  return config.piiLoggingEnabled === true ? logger : (level, message, pii) => (pii ? undefined : logger(level, message, false))
}

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
  const log = configuredLogger(config)
  const now = config.now ?? systemClock
  const random = config.random ?? webCryptoRandom
  const sleep = config.sleep ?? timerSleep
  const transport = config.http ?? fetchHttpClient()
  const http = config.retry === false ? transport : withRetry({ ...config.retry, sleep, random, now, log })(transport)
  return {
    http: withHeaders(libraryHeaders(config.libraryInfo))(
      config.disableHttpPolicy === true
        ? http
        : msalHttpPolicy({ store: config.httpCache ?? memoryHttpCache(), now, defaultThrottleSeconds, connectionRetries: 0 })(http),
    ),
    now,
    random,
    sleep,
    log,
    telemetry: telemetryRecorder(),
  }
}
