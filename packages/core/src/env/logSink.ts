/**
 * Loggers as apps already have them: `console`, pino, winston, bunyan (anything with
 * `error`/`warn`/`info`/`debug` methods taking a message), beside the plain {@link Logger}
 * function.
 *
 * @module
 */
import type { Logger, LogLevel } from './env.js'

/**
 * A logger object with one method per level, as `console` and pino have them. Each method
 * is called on the object (`sink.warn(message)`), so pino's methods keep their `this`.
 *
 * @category model
 * @since 0.1.0
 */
export interface LogMethods {
  readonly error: (message: string) => void
  readonly warn: (message: string) => void
  readonly info: (message: string) => void
  readonly debug: (message: string) => void
}

/**
 * What a `logger` option takes: a plain {@link Logger} function `(level, message, pii) =>
 * void`, or a {@link LogMethods} object such as `console` or a pino logger, as it is.
 *
 * @category model
 * @since 0.1.0
 * @see msal-node's `LoggerOptions.loggerCallback`, MSAL Python's use of the `logging` module
 */
export type LogSink = Logger | LogMethods

/** Our levels to the method names `console` and pino share (MSAL's verbose is their debug). */
const methodOf: Readonly<Record<LogLevel, keyof LogMethods>> = { error: 'error', warning: 'warn', info: 'info', verbose: 'debug' }

/**
 * The {@link Logger} for a {@link LogSink}: a function is returned as it is; an object gets
 * each message through the method of its level (`warning` → `warn`, `verbose` → `debug`).
 * Whether personal data passes is decided before the sink (`piiLoggingEnabled`).
 *
 * @example
 * ```ts
 * import { toLogger } from '@authfold/core'
 *
 * const log = toLogger(console)
 * log('warning', 'IMDS unavailable; using the global endpoints.', false) // console.warn(...)
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const toLogger = (sink: LogSink): Logger =>
  typeof sink === 'function' ? sink : (level, message) => sink[methodOf[level]](message)
