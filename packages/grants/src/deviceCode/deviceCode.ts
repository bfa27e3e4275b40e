/**
 * The device code grant (RFC 8628): polls the token endpoint at the server's interval until
 * the user signs in on another device, declines, or the code expires.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { CacheState } from '@authfold/cache'
import {
  ApiId,
  DEVICE_CODE_GRANT_TYPE,
  RefreshReason,
  httpError,
  mergeClaimsChallengeAndCapabilities,
  validationError,
  wakeOnAbort,
  type AuthError,
  type ClientAuth,
  type GrantEnv,
  type ProtocolError,
  type ResolvedAuthority,
  type TelemetryRecorder,
  type TokenResponse,
} from '@authfold/core'
import type { Grant } from '../grant.js'
import { requestToken } from '../steps/requestToken.js'
import { foldUserToken, type UserAuthResult } from '../userToken/foldUserToken.js'
import { deviceCodePollRequest } from './request.js'
import type { DeviceFlow } from './flow.js'

/**
 * Parameters of {@link deviceCode}.
 *
 * @category model
 * @since 0.1.0
 */
export interface DeviceCodeParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  /** None for a public client (the usual case). */
  readonly credential?: ClientAuth
  /** A claims challenge from a resource, sent as `claims`. */
  readonly claimsChallenge?: string
  /** Client capabilities (e.g. `cp1`), sent as `xms_cc` inside `claims`. */
  readonly clientCapabilities?: ReadonlyArray<string>
  /** Sent as `client-request-id`. Default: the flow's `_correlation_id`, else a fresh UUID. */
  readonly correlationId?: string
  /** Stops the polling at once (the wait wakes): the grant answers `HttpError` `aborted`. */
  readonly signal?: AbortSignal
}

/**
 * The answers that mean "keep polling".
 *
 * @category constants
 * @since 0.1.0
 * @see RFC 8628 §3.5, MSAL Python `Client.DEVICE_FLOW_RETRIABLE_ERRORS`
 */
export const DEVICE_FLOW_RETRIABLE_ERRORS: ReadonlyArray<string> = ['authorization_pending', 'slow_down']

/** What to tell the user for the final answers of RFC 8628 §3.5 (and Entra's bad code). */
const ADVICE: Readonly<Record<string, string>> = {
  expired_token: 'The device code expired before the user signed in: call initiateDeviceFlow again and show the new code.',
  authorization_declined: 'The user declined the sign-in on the verification page. Start a new flow only if the user wants to try again.',
  bad_verification_code: 'The server does not know this device code: pass the flow returned by initiateDeviceFlow, unchanged, or start a new one.',
  access_denied: 'The user declined the sign-in on the verification page. Start a new flow only if the user wants to try again.',
}

/**
 * What one poll's failure means: wait (with the next interval, seconds) and poll again, or
 * stop with this error. `slow_down` adds 5 s to the interval, as RFC 8628 §3.5 and MSAL say;
 * the final device-flow errors keep every field the server sent and get a message saying
 * what to do.
 *
 * @category steps
 * @since 0.1.0
 * @see RFC 8628 §3.5
 */
export const afterPollFailure = (error: AuthError, interval: number): E.Either<AuthError, number> => {
  if (error._tag !== 'ProtocolError') return E.left(error)
  if (error.error === 'authorization_pending') return E.right(interval)
  if (error.error === 'slow_down') return E.right(interval + 5)
  const advice = ADVICE[error.error]
  return E.left(advice === undefined ? error : withAdvice(error, advice))
}

const withAdvice = (error: ProtocolError, advice: string): ProtocolError => ({
  ...error,
  message: `The device code sign-in ended: ${error.error}${error.errorDescription === undefined ? '' : ` (${error.errorDescription.split(/\r?\n/)[0] ?? ''})`}. ${advice}`,
})

/**
 * True when polling must stop: MSAL Python's exit condition `expires_at < now` (setting
 * `expires_at` to 0 stops it).
 *
 * @category steps
 * @since 0.1.0
 */
export const flowExpired = (flow: DeviceFlow, nowMs: number): boolean => flow.expires_at * 1000 < nowMs

const expired = (): AuthError =>
  validationError(
    'flow_expired',
    'The device flow expired (or was stopped by setting expires_at to 0) before the user signed in: call initiateDeviceFlow again and show the new code. Nothing was saved to the cache.',
  )

const aborted = (): AuthError => httpError('aborted', '', 'The device code polling was cancelled by its AbortSignal; nothing was saved to the cache.')

/** Why the loop must stop now, if it must: the signal first, then the flow's expiry. */
const stopReason = (flow: DeviceFlow, env: GrantEnv, signal: AbortSignal | undefined): AuthError | undefined =>
  signal?.aborted === true ? aborted() : flowExpired(flow, env.now()) ? expired() : undefined

/**
 * Waits `seconds` through the sleep effect in slices of at most one second (as MSAL Python
 * does, so a change of `expires_at` or an abort stops it promptly); a stop reason ends it.
 */
const wait = async (seconds: number, flow: DeviceFlow, env: GrantEnv, signal: AbortSignal | undefined): Promise<AuthError | undefined> => {
  const sleep = wakeOnAbort(env.sleep)
  for (let left = seconds * 1000; left > 0; left -= 1000) {
    const stop = stopReason(flow, env, signal)
    if (stop !== undefined) return stop
    await sleep(Math.min(1000, left), signal)()
  }
  return stopReason(flow, env, signal)
}

/**
 * A telemetry recorder that does not count the "keep polling" answers as failures (MSAL
 * Python records the device flow's outcome once, at its end).
 */
const pollTelemetry = (recorder: TelemetryRecorder | undefined): { readonly telemetry?: TelemetryRecorder } =>
  recorder === undefined
    ? {}
    : {
        telemetry: {
          ...recorder,
          record: (context, outcome) =>
            outcome?.error !== undefined && DEVICE_FLOW_RETRIABLE_ERRORS.includes(outcome.error) ? undefined : recorder.record(context, outcome),
        },
      }

/**
 * The most polls a flow can take: one per second of its life, plus one. It bounds the loop
 * even under a clock that never moves.
 */
const maxPolls = (flow: DeviceFlow, nowMs: number): number => Math.max(1, Math.ceil(flow.expires_at - nowMs / 1000)) + 1

/**
 * Polls for the tokens of a device flow, then folds them into the cache with
 * `foldUserToken` (id_token checked; the account, access, refresh and ID tokens written as
 * MSAL Python writes them). `authorization_pending` waits the flow's interval and polls
 * again, `slow_down` adds 5 s to it; `expired_token`, `authorization_declined` and
 * `bad_verification_code` end it with the server's ProtocolError; the flow's `expires_at`
 * passing (or set to 0) ends it with a ValidationError `flow_expired`, and the signal with an
 * HttpError `aborted`. Waits go through `env.sleep`, so a virtual clock runs it instantly. The
 * cache is untouched by every failure.
 *
 * @example
 * ```ts
 * import { deviceCode, initiateDeviceFlow } from '@authfold/grants'
 * import type { CacheState } from '@authfold/cache'
 * import type { GrantEnv, ResolvedAuthority } from '@authfold/core'
 *
 * declare const clientId: string, authority: ResolvedAuthority, cache: CacheState, env: GrantEnv
 * const flow = await initiateDeviceFlow({ clientId, authority, scopes: ['User.Read'] })(env)()
 * if (flow._tag === 'Right') {
 *   console.log(flow.right.message) // then:
 *   const outcome = await deviceCode({ clientId, authority }, flow.right)(cache)(env)()
 * }
 * ```
 * @category grants
 * @since 0.1.0
 * @see RFC 8628 §3.4-3.5, MSAL Python `PublicClientApplication.acquire_token_by_device_flow`
 */
export const deviceCode =
  (p: DeviceCodeParams, flow: DeviceFlow): Grant<UserAuthResult> =>
  (cache) =>
  (env) =>
  async () => {
    const claims = mergeClaimsChallengeAndCapabilities(p.clientCapabilities, p.claimsChallenge)
    if (E.isLeft(claims)) return claims
    const correlationId = p.correlationId ?? flow._correlation_id
    const pollEnv: GrantEnv = { ...env, ...pollTelemetry(env.telemetry) }
    const poll = requestToken(
      { tokenEndpoint: p.authority.metadata.token_endpoint, clientId: p.clientId, fields: deviceCodePollRequest({ deviceCode: flow.device_code, claims: claims.right }) },
      p.credential,
      { apiId: ApiId.acquireTokenByDeviceFlow, refreshReason: RefreshReason.nonSilentCall, ...(correlationId === undefined ? {} : { correlationId }) },
    )
    let interval = flow.interval
    const limit = maxPolls(flow, env.now())
    for (let polls = 0; polls < limit; polls++) {
      const stop = stopReason(flow, env, p.signal)
      if (stop !== undefined) return E.left(stop)
      const answer = await poll(pollEnv)()
      if (E.isRight(answer)) return pipe(foldAnswer(p, answer.right, Math.floor(env.now() / 1000))(cache), E.map(([result, next]): [UserAuthResult, CacheState] => [result, next]))
      if (p.signal?.aborted === true) return E.left(aborted())
      const next = afterPollFailure(answer.left, interval)
      if (E.isLeft(next)) return next
      interval = next.right
      const waited = await wait(interval, flow, env, p.signal)
      if (waited !== undefined) return E.left(waited)
    }
    return E.left(expired())
  }

const foldAnswer = (p: DeviceCodeParams, answer: TokenResponse, nowSeconds: number) =>
  foldUserToken({ clientId: p.clientId, authority: p.authority, scopes: [], grantType: DEVICE_CODE_GRANT_TYPE }, nowSeconds)(answer)
