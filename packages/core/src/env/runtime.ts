/**
 * What authfold needs from the JavaScript runtime, checked once when a client is made, so that
 * an unsupported runtime gets one clear error instead of a `TypeError` deep inside a call.
 *
 * @module
 */
import type { Either } from 'fp-ts/Either'
import { configError, type ConfigError } from '../errors/errors.js'

/**
 * The part of `globalThis` that {@link checkRuntime} looks at.
 *
 * @category model
 * @since 0.1.0
 */
export interface RuntimeGlobals {
  readonly crypto?: { readonly getRandomValues?: unknown; readonly subtle?: unknown } | undefined
}

/**
 * The message of an unsupported runtime: what is missing and what to do.
 *
 * @category utils
 * @since 0.1.0
 */
export const unsupportedRuntimeMessage = (missing: ReadonlyArray<string>): string =>
  `authfold needs Node 20.19 or later (WebCrypto: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing from this runtime; ` +
  'Node 18 and older have no global WebCrypto). Upgrade Node, or use a runtime with WebCrypto (current browsers, Deno, Bun, workers).'

/**
 * Checks that the runtime has what authfold uses on every call: WebCrypto's
 * `crypto.getRandomValues` (correlation ids, nonces) and `crypto.subtle` (SHA-256 of
 * throttling keys and certificate thumbprints, JWT signing, AES-GCM). Node 20.19+, current
 * browsers, Deno, Bun and edge workers have both on `globalThis`; Node 18 has neither. A
 * missing one is a {@link ConfigError} `unsupported` whose message says to upgrade.
 *
 * @example
 * ```ts
 * import { checkRuntime } from '@authfold/core'
 *
 * const ready = checkRuntime(globalThis) // Left(ConfigError) on Node 18
 * ```
 * @category utils
 * @since 0.1.0
 */
export const checkRuntime = (globals: RuntimeGlobals): Either<ConfigError, void> => {
  const crypto = globals.crypto
  const missing = [
    ...(typeof crypto?.getRandomValues === 'function' ? [] : ['crypto.getRandomValues']),
    ...(typeof crypto?.subtle === 'object' && crypto.subtle !== null ? [] : ['crypto.subtle']),
  ]
  return missing.length === 0
    ? { _tag: 'Right', right: undefined }
    : { _tag: 'Left', left: configError('unsupported', unsupportedRuntimeMessage(missing)) }
}
