/**
 * The closed union of everything that can go wrong in authfold.
 *
 * Nothing inside a pipeline throws: every failure is one of these values, and
 * every `message` says what happened and what to do next. Secrets, tokens and
 * passwords never appear in any field.
 *
 * @module
 */

/**
 * A transport-level failure: the request never produced an answer we could read.
 * `too_large`: the answer passed the transport's `maxResponseBytes` and was not read;
 * `aborted`: the caller's `AbortSignal` fired.
 *
 * @category errors
 * @since 0.1.0
 */
export interface HttpError {
  readonly _tag: 'HttpError'
  readonly code: 'network' | 'timeout' | 'status' | 'throttled' | 'too_large' | 'aborted'
  readonly message: string
  /** The URL without its query string (queries may carry codes). */
  readonly url: string
  readonly status?: number
  /** Seconds the server asked us to wait (429/503 `Retry-After`). */
  readonly retryAfter?: number
}

/**
 * The identity provider answered with an OAuth2 error (`error`, `error_description`, ...).
 * The IdP's fields are kept as data so callers can branch on them.
 *
 * @category errors
 * @since 0.1.0
 */
export interface ProtocolError {
  readonly _tag: 'ProtocolError'
  readonly code: 'oauth_error'
  readonly message: string
  readonly status: number
  readonly error: string
  readonly errorDescription?: string
  readonly errorCodes?: ReadonlyArray<number>
  readonly suberror?: string
  /** MSAL's `classification`: the suberror, except the ones MSAL suppresses. */
  readonly classification?: string
  readonly correlationId?: string
  readonly traceId?: string
  readonly timestamp?: string
  /** A claims challenge to send back with the next request. */
  readonly claims?: string
  /** The IdP's `error_uri`: a page about this error. */
  readonly errorUri?: string
  /**
   * The whole error answer as the IdP sent it (every field, known or not), which is the
   * dict MSAL Python returns. Error answers carry no token or secret.
   */
  readonly response: Readonly<Record<string, unknown>>
}

/**
 * A document did not have the shape we expected (a token answer, a discovery document,
 * a cache blob). `path` names the field, `expected` the type, `actual` what came
 * (a type description, never the value).
 *
 * @category errors
 * @since 0.1.0
 */
export interface DecodeError {
  readonly _tag: 'DecodeError'
  readonly code: 'invalid_json' | 'not_json' | 'invalid_shape'
  readonly message: string
  /** What was being decoded, e.g. `token response`, `cache`. */
  readonly subject: string
  readonly path: string
  readonly expected: string
  readonly actual: string
}

/**
 * A well-formed answer failed a check: state, nonce, id_token claims, flow expiry.
 *
 * @category errors
 * @since 0.1.0
 */
export interface ValidationError {
  readonly _tag: 'ValidationError'
  readonly code:
    | 'state_mismatch'
    | 'code_missing'
    | 'nonce_mismatch'
    | 'id_token_invalid'
    | 'id_token_expired'
    | 'auth_time_too_old'
    | 'issuer_mismatch'
    | 'audience_mismatch'
    | 'flow_expired'
    | 'tampered'
  readonly message: string
}

/**
 * The caller's configuration or arguments cannot work; fix the code, not the network.
 *
 * @category errors
 * @since 0.1.0
 */
export interface ConfigError {
  readonly _tag: 'ConfigError'
  readonly code:
    | 'invalid_authority'
    | 'untrusted_authority'
    | 'invalid_argument'
    | 'invalid_credential'
    | 'reserved_scope'
    | 'unsupported'
  readonly message: string
  /** The option or argument at fault. */
  readonly field?: string
}

/**
 * A cache or store operation failed (a lock timed out, a blob was tampered with).
 *
 * @category errors
 * @since 0.1.0
 */
export interface CacheError {
  readonly _tag: 'CacheError'
  readonly code: 'io' | 'lock_timeout' | 'tampered' | 'conflict'
  readonly message: string
}

/**
 * Every failure authfold can return.
 *
 * @category errors
 * @since 0.1.0
 */
export type AuthError = HttpError | ProtocolError | DecodeError | ValidationError | ConfigError | CacheError

/**
 * Builds a {@link ConfigError}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const configError = (
  code: ConfigError['code'],
  message: string,
  field?: string,
): ConfigError => ({ _tag: 'ConfigError', code, message, ...(field === undefined ? {} : { field }) })

/**
 * Builds a {@link ValidationError}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const validationError = (code: ValidationError['code'], message: string): ValidationError => ({
  _tag: 'ValidationError',
  code,
  message,
})

/**
 * Builds a {@link CacheError}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const cacheError = (code: CacheError['code'], message: string): CacheError => ({ _tag: 'CacheError', code, message })

/**
 * Builds a {@link DecodeError}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const decodeError = (
  code: DecodeError['code'],
  subject: string,
  path: string,
  expected: string,
  actual: string,
  hint = '',
): DecodeError => ({
  _tag: 'DecodeError',
  code,
  subject,
  path,
  expected,
  actual,
  message: `The ${subject} could not be read: at ${path === '' ? 'the top level' : `"${path}"`} expected ${expected} but got ${actual}.${hint === '' ? '' : ` ${hint}`}`,
})

/**
 * Builds an {@link HttpError}, stripping the query string from the URL.
 *
 * @category constructors
 * @since 0.1.0
 */
export const httpError = (
  code: HttpError['code'],
  url: string,
  message: string,
  extra: { readonly status?: number; readonly retryAfter?: number } = {},
): HttpError => ({ _tag: 'HttpError', code, url: stripQuery(url), message, ...extra })

/**
 * Removes query and fragment from a URL so it is safe to log.
 *
 * @category utils
 * @since 0.1.0
 */
export const stripQuery = (url: string): string => url.replace(/[?#].*$/s, '')

/**
 * True when the value is an {@link AuthError} (it has one of the known tags).
 *
 * @category guards
 * @since 0.1.0
 */
export const isAuthError = (u: unknown): u is AuthError =>
  typeof u === 'object' &&
  u !== null &&
  ['HttpError', 'ProtocolError', 'DecodeError', 'ValidationError', 'ConfigError', 'CacheError'].includes(
    String((u as { readonly _tag?: unknown })._tag),
  )
