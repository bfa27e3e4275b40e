/**
 * The effects a grant may use. Nothing in authfold reads a global clock, `fetch`,
 * `Math.random` or `process.env`: everything arrives here.
 *
 * @module
 */
import type { Task } from 'fp-ts/Task'
import type { HttpClient } from '../http/http.js'
import type { TelemetryRecorder } from '../telemetry/telemetry.js'
import type { TaskEither } from 'fp-ts/TaskEither'
import type { AuthError } from '../errors/errors.js'
import type { TokenResponse } from '../codecs/tokenResponse.js'

/**
 * Milliseconds since the epoch.
 *
 * @category model
 * @since 0.1.0
 */
export type Clock = () => number

/**
 * Returns `n` cryptographically random bytes.
 *
 * @category model
 * @since 0.1.0
 */
export type RandomBytes = (n: number) => Uint8Array

/**
 * Waits a number of milliseconds (device-code polling, retries). A sleep that honours
 * `signal` returns as soon as it fires (it never fails: the caller checks
 * `signal.aborted`); one that ignores it still fits, and {@link wakeOnAbort} makes it wake.
 *
 * @category model
 * @since 0.1.0
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Task<void>

/**
 * A log level.
 *
 * @category model
 * @since 0.1.0
 */
export type LogLevel = 'error' | 'warning' | 'info' | 'verbose'

/**
 * A log sink. `pii` is true when the message carries personal data; the facades drop
 * such messages unless `piiLoggingEnabled` is set. Secrets are never logged at all.
 *
 * @category model
 * @since 0.1.0
 */
export type Logger = (level: LogLevel, message: string, pii: boolean) => void

/**
 * Everything a grant needs from the outside world.
 *
 * @category model
 * @since 0.1.0
 */
export interface GrantEnv {
  readonly http: HttpClient
  readonly now: Clock
  readonly random: RandomBytes
  readonly sleep: Sleep
  readonly log: Logger
  /**
   * Where the telemetry of earlier calls is kept (`x-client-last-telemetry`); a facade gives
   * one per client. Without it a grant still sends its current-call telemetry.
   */
  readonly telemetry?: TelemetryRecorder
  /**
   * Single flight: lets identical concurrent token requests of one client share one
   * request. A facade gives one per call; without it every request is sent.
   */
  readonly share?: ShareRequest
}

/**
 * Runs `work` (one token request) for this call, or joins the identical request another
 * call of the same client already has in flight. `key` is the complete request before
 * client authentication, `owner` the credential it will be authenticated with (compared
 * by identity). The work gets an environment whose HTTP effect is no longer tied to one
 * caller's signal: it is aborted only when every sharer has gone.
 *
 * @category model
 * @since 0.1.0
 */
export type ShareRequest = (
  key: string,
  owner: object | undefined,
  work: (env: GrantEnv) => TaskEither<AuthError, TokenResponse>,
) => TaskEither<AuthError, TokenResponse>

/**
 * A logger that drops everything.
 *
 * @category constructors
 * @since 0.1.0
 */
export const silentLogger: Logger = () => undefined

/**
 * Random bytes from WebCrypto's `getRandomValues` (available in Node 20, browsers, workers).
 *
 * @category constructors
 * @since 0.1.0
 */
export const webCryptoRandom: RandomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n))

/**
 * A {@link Sleep} on `setTimeout` that returns early (and clears its timer) when `signal`
 * fires, or at once when it already has.
 *
 * @category constructors
 * @since 0.1.0
 */
export const timerSleep: Sleep = (ms, signal) => () =>
  new Promise((resolve) => {
    if (signal?.aborted === true) return resolve()
    const wake = (): void => {
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', wake)
      resolve()
    }, ms)
    signal?.addEventListener('abort', wake, { once: true })
  })

/**
 * Makes any {@link Sleep} wake when the signal fires, even one that ignores its `signal`
 * argument (a test's virtual sleep, an app's own scheduler): it is still called with the
 * signal, and whichever ends first ends the wait.
 *
 * @category combinators
 * @since 0.1.0
 */
export const wakeOnAbort =
  (sleep: Sleep): Sleep =>
  (ms, signal) =>
  () =>
    signal === undefined
      ? sleep(ms)()
      : new Promise((resolve) => {
          if (signal.aborted) return resolve()
          const wake = (): void => resolve()
          signal.addEventListener('abort', wake, { once: true })
          void sleep(ms, signal)().then(
            () => {
              signal.removeEventListener('abort', wake)
              resolve()
            },
            () => {
              signal.removeEventListener('abort', wake)
              resolve()
            },
          )
        })

/**
 * The system clock.
 *
 * @category constructors
 * @since 0.1.0
 */
export const systemClock: Clock = () => Date.now()

/**
 * Base64url without padding.
 *
 * @category utils
 * @since 0.1.0
 */
export const base64url = (bytes: Uint8Array): string => {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * A random RFC 4122 version-4 UUID from the environment's random bytes.
 *
 * @category utils
 * @since 0.1.0
 */
export const uuidFrom = (random: RandomBytes): string => {
  const b = random(16)
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
