/**
 * Redeeming an authorization code: the step both `acquireTokenByAuthCodeFlow` and
 * `acquireTokenByAuthorizationCode` end with.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { ApiId, RefreshReason, type ClientAuth, type ResolvedAuthority } from '@authfold/core'
import type { Grant } from '../grant.js'
import { requestToken } from '../steps/requestToken.js'
import { foldUserToken, type UserAuthResult } from '../userToken/foldUserToken.js'
import { authCodeRequest, type AuthCodeFields } from './request.js'

/**
 * What a redemption needs: the client, where to send, the form, the headers, and what the
 * id_token is checked against.
 *
 * @category model
 * @since 0.1.0
 */
export interface RedeemCodeParams extends AuthCodeFields {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  /** A confidential client's credential; a public client has none. */
  readonly credential?: ClientAuth | undefined
  /** Extra request headers (`X-AnchorMailbox`). */
  readonly headers?: Readonly<Record<string, string>>
  /** The nonce the id_token must carry (as sent in the auth URI). */
  readonly expectedNonce?: string | undefined
  /** The `max_age` sent: the id_token's `auth_time` must be within it. */
  readonly maxAge?: number | undefined
  readonly correlationId?: string | undefined
}

/**
 * Sends one `grant_type=authorization_code` request and folds the answer with
 * `foldUserToken` (a failed id_token check leaves the cache exactly as it was).
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_by_auth_code_flow`
 */
export const redeemCode =
  (p: RedeemCodeParams): Grant<UserAuthResult> =>
  (cache) =>
  (env) => {
    const nowSeconds = Math.floor(env.now() / 1000)
    return pipe(
      requestToken(
        {
          tokenEndpoint: p.authority.metadata.token_endpoint,
          clientId: p.clientId,
          fields: authCodeRequest(p),
          ...(p.headers === undefined ? {} : { headers: p.headers }),
        },
        p.credential,
        {
          apiId: ApiId.acquireTokenByAuthorizationCode,
          refreshReason: RefreshReason.nonSilentCall,
          ...(p.correlationId === undefined ? {} : { correlationId: p.correlationId }),
        },
      )(env),
      TE.chainEitherK((answer) =>
        foldUserToken(
          { clientId: p.clientId, authority: p.authority, scopes: p.scopes, grantType: 'authorization_code', nonce: p.expectedNonce, maxAge: p.maxAge },
          nowSeconds,
        )(answer)(cache),
      ),
      TE.map(([result, next]): [UserAuthResult, typeof cache] => [result, next]),
    )
  }
