/**
 * MSAL server telemetry (schema 4): the `x-client-current-telemetry` and
 * `x-client-last-telemetry` headers. The buffer of past outcomes is an immutable value;
 * the facade that owns the app state keeps it and threads it through calls.
 *
 * @module
 */
import { uuidFrom } from '../env/env.js'
import type { RandomBytes } from '../env/env.js'

/**
 * The API ids MSAL reports in `x-client-current-telemetry`.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.ACQUIRE_TOKEN_SILENT_ID` and siblings
 */
export const ApiId = {
  acquireTokenSilent: '84',
  acquireTokenByRefreshToken: '85',
  acquireTokenInteractive: '169',
  acquireTokenByUsernamePassword: '301',
  acquireTokenOnBehalfOf: '523',
  acquireTokenByDeviceFlow: '622',
  acquireTokenForClient: '730',
  acquireTokenByAuthorizationCode: '832',
  getAccounts: '902',
  removeAccount: '903',
  acquireTokenByUserFederatedIdentityCredential: '950',
} as const

/**
 * An API id value.
 *
 * @category model
 * @since 0.1.0
 */
export type ApiId = (typeof ApiId)[keyof typeof ApiId]

/**
 * Why a silent call went to the network (`cache_refresh` in the current header).
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `msal.telemetry.NON_SILENT_CALL` … `RESERVED`
 */
export const RefreshReason = {
  nonSilentCall: 0,
  forceRefresh: 1,
  atAbsent: 2,
  atExpired: 3,
  atAging: 4,
  reserved: 5,
} as const

/**
 * A refresh reason value.
 *
 * @category model
 * @since 0.1.0
 */
export type RefreshReason = (typeof RefreshReason)[keyof typeof RefreshReason]

/**
 * One failed request remembered for the next `x-client-last-telemetry`.
 *
 * @category model
 * @since 0.1.0
 */
export interface TelemetryFailure {
  /** API id. */
  readonly a: string
  /** Correlation id. */
  readonly c: string
  /** The OAuth2 `error`. */
  readonly e: string
}

/**
 * What has happened since the last successful request.
 *
 * @category model
 * @since 0.1.0
 */
export interface TelemetryBuffer {
  /** Access tokens served from the cache. */
  readonly succeeded: number
  readonly failed: ReadonlyArray<TelemetryFailure>
  /** The characters the failures take in the header (kept under 350). */
  readonly failureSize: number
}

/**
 * The empty buffer.
 *
 * @category constructors
 * @since 0.1.0
 */
export const emptyTelemetryBuffer: TelemetryBuffer = { succeeded: 0, failed: [], failureSize: 0 }

/**
 * The telemetry of one public call.
 *
 * @category model
 * @since 0.1.0
 */
export interface TelemetryContext {
  readonly apiId: string
  /** Sent as `client-request-id`; one per public call. */
  readonly correlationId: string
  readonly refreshReason: number
}

/**
 * Starts the telemetry of a public call, with a fresh correlation id unless one is given.
 *
 * @category constructors
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._build_telemetry_context`
 */
export const telemetryContext = (
  apiId: string,
  random: RandomBytes,
  options: { readonly correlationId?: string; readonly refreshReason?: number } = {},
): TelemetryContext => ({
  apiId,
  correlationId: options.correlationId ?? uuidFrom(random),
  refreshReason: options.refreshReason ?? RefreshReason.nonSilentCall,
})

/**
 * The header names.
 *
 * @category constants
 * @since 0.1.0
 */
export const TelemetryHeader = {
  clientRequestId: 'client-request-id',
  current: 'x-client-current-telemetry',
  last: 'x-client-last-telemetry',
} as const

const LAST_HEADER_SIZE_LIMIT = 350

/**
 * The three headers of a request: `client-request-id`, `x-client-current-telemetry:
 * 4|<api id>,<refresh reason>|` and `x-client-last-telemetry:
 * 4|<succeeded>|<api,correlation of failures>|<errors>|`.
 *
 * @category telemetry
 * @since 0.1.0
 * @see MSAL Python `_TelemetryContext.generate_headers`
 */
export const telemetryHeaders = (buffer: TelemetryBuffer, context: TelemetryContext): Readonly<Record<string, string>> => ({
  [TelemetryHeader.clientRequestId]: context.correlationId,
  [TelemetryHeader.current]: `4|${context.apiId},${context.refreshReason}|`,
  [TelemetryHeader.last]: `4|${buffer.succeeded}|${buffer.failed.map((f) => `${f.a},${f.c}`).join(',')}|${buffer.failed
    .map((f) => f.e)
    .join(',')}|`,
})

/**
 * Counts an access token served from the cache.
 *
 * @category telemetry
 * @since 0.1.0
 * @see MSAL Python `_TelemetryContext.hit_an_access_token`
 */
export const hitAnAccessToken = (buffer: TelemetryBuffer): TelemetryBuffer => ({ ...buffer, succeeded: buffer.succeeded + 1 })

/**
 * Counts `n` access tokens served from the cache: {@link hitAnAccessToken} applied `n` times.
 *
 * @category telemetry
 * @since 0.1.0
 * @see MSAL Python `_TelemetryContext.hit_an_access_token`
 */
export const hitsOnAccessTokens = (buffer: TelemetryBuffer, n: number): TelemetryBuffer => (n === 0 ? buffer : { ...buffer, succeeded: buffer.succeeded + n })

/**
 * Folds a request's outcome into the buffer: an answer with an `error` is remembered
 * (while the header stays under 350 characters); any other answer means the telemetry
 * reached the server, so the buffer is emptied. `undefined` (no answer) changes nothing.
 *
 * @category telemetry
 * @since 0.1.0
 * @see MSAL Python `_TelemetryContext.update_telemetry`
 */
export const updateTelemetry = (
  buffer: TelemetryBuffer,
  context: TelemetryContext,
  result: { readonly error?: string } | undefined,
): TelemetryBuffer => {
  if (result === undefined) return buffer
  if (result.error === undefined) return emptyTelemetryBuffer
  const size = `,${context.apiId},${context.correlationId},${result.error}`.length
  if (buffer.failureSize + size >= LAST_HEADER_SIZE_LIMIT) return buffer
  return {
    ...buffer,
    failureSize: buffer.failureSize + size,
    failed: [...buffer.failed, { a: context.apiId, c: context.correlationId, e: result.error }],
  }
}

/**
 * The one owner of a client's telemetry buffer (MSAL Python keeps it on the application):
 * the grant that sends a request asks it for the headers and tells it the outcome, and a
 * cache hit is counted through it. A facade makes one per client and hands it to its grants
 * through {@link GrantEnv}`.telemetry`; nothing else holds telemetry state.
 *
 * @category model
 * @since 0.1.0
 */
export interface TelemetryRecorder {
  /** The telemetry headers of a request made in this context. */
  readonly headers: (context: TelemetryContext) => Readonly<Record<string, string>>
  /** The answer's outcome (`undefined` when no answer came back). */
  readonly record: (context: TelemetryContext, outcome: { readonly error?: string } | undefined) => void
  /** An access token was served from the cache. */
  readonly hit: () => void
}

/**
 * A {@link TelemetryRecorder} over a buffer of its own, starting empty.
 *
 * @category constructors
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._telemetry_buffer`
 */
export const telemetryRecorder = (): TelemetryRecorder => {
  let buffer = emptyTelemetryBuffer
  // hits not yet counted in `buffer`: a cache hit only adds one (no buffer per hit), and
  // the buffer is brought up to date before anyone reads or updates it
  let hits = 0
  const current = (): TelemetryBuffer => {
    if (hits > 0) {
      buffer = hitsOnAccessTokens(buffer, hits)
      hits = 0
    }
    return buffer
  }
  return {
    headers: (context) => telemetryHeaders(current(), context),
    record: (context, outcome) => {
      buffer = updateTelemetry(current(), context, outcome)
    },
    hit: () => {
      hits++
    },
  }
}
