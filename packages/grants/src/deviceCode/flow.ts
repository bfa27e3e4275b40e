/**
 * The device authorization answer and the flow object made from it.
 *
 * @module
 */
import * as D from 'io-ts/Decoder'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { NonBlankString, NumberLike, decodeWith, fieldsOf, processJsonAnswer, type AuthError, type HttpResponse } from '@authfold/core'

/**
 * The device authorization answer as it arrives: `verification_uri` (RFC 8628), or
 * `verification_url` as older Entra endpoints and ADFS send it; `expires_in` and `interval`
 * as numbers or numeric strings.
 *
 * @category codecs
 * @since 0.1.0
 * @see RFC 8628 §3.2
 */
export const DeviceCodeAnswer = /*#__PURE__*/ fieldsOf(
  { user_code: NonBlankString, device_code: NonBlankString },
  {
    verification_uri: NonBlankString,
    verification_url: NonBlankString,
    verification_uri_complete: D.string,
    expires_in: NumberLike,
    interval: NumberLike,
    message: D.string,
  },
  false,
)

/**
 * A decoded device authorization answer.
 *
 * @category model
 * @since 0.1.0
 */
export type DeviceCodeAnswer = D.TypeOf<typeof DeviceCodeAnswer>

/**
 * A device flow: plain JSON (keep it anywhere, pass it back to `deviceCode`), with the
 * fields of MSAL Python's flow dict. `expires_at` (epoch seconds) is MSAL's invention: set it
 * to 0 and a poll in progress stops within a second.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `PublicClientApplication.initiate_device_flow`
 */
export interface DeviceFlow {
  readonly user_code: string
  readonly device_code: string
  readonly verification_uri: string
  readonly verification_uri_complete?: string
  /** Seconds the code lives, as the server said (default 1800). */
  readonly expires_in: number
  /** Seconds between polls, as the server said (default 5). */
  readonly interval: number
  /** What to show the user (the server's text). */
  readonly message: string
  /**
   * Epoch seconds after which polling stops. Not readonly on purpose: as in MSAL Python,
   * `flow.expires_at = 0` stops a poll in progress within a second.
   */
  expires_at: number
  /** The `client-request-id` of the initiation, reused by the polls (MSAL's `_correlation_id`). */
  readonly _correlation_id?: string
}

/** MSAL Python's defaults for an answer without them. */
const DEFAULT_INTERVAL = 5
const DEFAULT_EXPIRES_IN = 1800

/**
 * Turns a decoded answer into a flow: pure. A missing interval is 5 s, a missing lifetime
 * 1800 s (MSAL Python's defaults); a missing message is composed from the URI and code.
 *
 * @category constructors
 * @since 0.1.0
 */
export const toDeviceFlow = (answer: DeviceCodeAnswer, nowSeconds: number, correlationId?: string): E.Either<AuthError, DeviceFlow> => {
  const uri = answer.verification_uri ?? answer.verification_url
  if (uri === undefined)
    return E.left({
      _tag: 'DecodeError',
      code: 'invalid_shape',
      subject: 'device code answer',
      path: 'verification_uri',
      expected: 'a non-empty string',
      actual: 'undefined',
      message: 'The device code answer could not be read: it names no verification_uri (nor verification_url). Check the authority: it must support the device code flow.',
    })
  const interval = Math.max(1, Math.floor(answer.interval ?? DEFAULT_INTERVAL))
  const expiresIn = Math.max(0, Math.floor(answer.expires_in ?? DEFAULT_EXPIRES_IN))
  return E.right({
    user_code: answer.user_code,
    device_code: answer.device_code,
    verification_uri: uri,
    ...(answer.verification_uri_complete === undefined ? {} : { verification_uri_complete: answer.verification_uri_complete }),
    expires_in: expiresIn,
    interval,
    message: answer.message ?? `To sign in, use a web browser to open the page ${uri} and enter the code ${answer.user_code} to authenticate.`,
    expires_at: nowSeconds + expiresIn,
    ...(correlationId === undefined ? {} : { _correlation_id: correlationId }),
  })
}

/**
 * Reads a device authorization answer through core's `processJsonAnswer` (an `error` body is
 * a ProtocolError, anything unreadable a DecodeError) and makes the flow.
 *
 * @category steps
 * @since 0.1.0
 * @see RFC 8628 §3.2
 */
export const processDeviceCodeAnswer =
  (url: string, nowSeconds: number, correlationId?: string) =>
  (response: HttpResponse): E.Either<AuthError, DeviceFlow> =>
    pipe(
      processJsonAnswer({ subject: 'device code answer', url, read: decodeWith(DeviceCodeAnswer, 'device code answer', 'Check the authority: it must support the device code flow.') })(response),
      E.chain((answer) => toDeviceFlow(answer, nowSeconds, correlationId)),
    )
