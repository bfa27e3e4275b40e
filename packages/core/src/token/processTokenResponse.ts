/**
 * The pure half of every token request: an {@link HttpResponse} in, a checked
 * {@link TokenResponse} or a typed error out (oauth4webapi's `process…Response`).
 *
 * @module
 */
import type * as E from 'fp-ts/Either'
import { readTokenResponse, type TokenResponse } from '../codecs/tokenResponse.js'
import { processJsonAnswer } from '../codecs/processJsonAnswer.js'
import type { AuthError } from '../errors/errors.js'
import type { HttpResponse } from '../http/http.js'

/**
 * Checks a token endpoint answer with {@link processJsonAnswer}: an `error` body is a
 * `ProtocolError`; a 5xx or 429 without one is an `HttpError`; a body that is not JSON, or
 * JSON without an `access_token`, is a `DecodeError` naming what is wrong.
 *
 * @category token
 * @since 0.1.0
 * @see RFC 6749 §5.1
 */
export const processTokenResponse = (url: string) => (response: HttpResponse): E.Either<AuthError, TokenResponse> =>
  processJsonAnswer({ subject: 'token response', url, read: readTokenResponse('The token endpoint did not return a usable token.') })(response)
