/**
 * @module
 */
import {
  fetchHttpClient,
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
}

/**
 * Builds a {@link GrantEnv} from a facade's configuration, filling in the defaults and
 * filtering personal data out of logs unless `piiLoggingEnabled` is set.
 *
 * @category utils
 * @since 0.1.0
 */
export const buildEnv = (config: EffectsConfig): GrantEnv => {
  const logger = config.logger ?? silentLogger
  return {
    http: config.http ?? fetchHttpClient({ fetch: globalThis.fetch as unknown as FetchLike }),
    now: config.now ?? systemClock,
    random: config.random ?? webCryptoRandom,
    sleep: config.sleep ?? timerSleep,
    log: config.piiLoggingEnabled === true ? logger : (level, message, pii) => (pii ? undefined : logger(level, message, false)),
  }
}
