/**
 * The `refresh_token` grant (RFC 6749 §6): one redemption step shared by the silent flow
 * and by {@link byRefreshToken}, MSAL Python's `acquire_token_by_refresh_token` (migrating
 * a refresh token obtained elsewhere into the cache).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { eqi, findRefreshTokens, removeRefreshToken, updateRefreshToken, type CacheState, type RefreshTokenEntity } from '@authfold/cache'
import {
  ApiId,
  RefreshReason,
  configError,
  decorateScopes,
  uuidFrom,
  type AuthError,
  type ClientAuth,
  type ResolvedAuthority,
  type TokenResponse,
} from '@authfold/core'
import type { Grant } from '../grant.js'
import { requestToken, type TokenCall } from '../steps/requestToken.js'
import { foldUserToken, type UserAuthResult } from '../userToken/foldUserToken.js'
import { refreshTokenRequest } from './request.js'
import type { SshCertificateRequest } from '../sshCert/sshCert.js'

/**
 * What one redemption of a refresh token needs.
 *
 * @category model
 * @since 0.1.0
 */
export interface RedeemRefreshTokenParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  readonly credential?: ClientAuth | undefined
  /** The refresh token's secret. */
  readonly refreshToken: string
  /** The decorated scopes. */
  readonly scopes: ReadonlyArray<string>
  readonly claims?: string | undefined
  /** An SSH certificate request (sent, and the access token filed under its key id). */
  readonly sshCertificate?: SshCertificateRequest | undefined
  /** Per-call headers (the silent flow's `X-AnchorMailbox`). */
  readonly headers?: Readonly<Record<string, string>>
  readonly call: TokenCall
  /**
   * The cached entry redeemed (the silent flow): the answer's new refresh token replaces
   * its secret in place (MSAL Python's `update_rt`, keeping its key, client and family),
   * and no Account is written (`skip_account_creation`). Absent (a migration): the answer
   * is folded whole, its refresh token and Account added as any sign-in adds them.
   */
  readonly entry?: RefreshTokenEntity
}

// The account's other refresh tokens for the same app in the authority's alias group (left by
// another library, under another alias or key layout: msal-node files its own beside the one
// it used) go once this one is renewed, so a refresh by authfold leaves one.
const withoutOtherRefreshTokens =
  (entry: RefreshTokenEntity, secret: string, environments: ReadonlyArray<string>) =>
  (cache: CacheState): CacheState =>
    findRefreshTokens({ homeAccountId: entry.home_account_id ?? '', environments, clientId: entry.client_id ?? '' })(cache)
      .filter((other) => other.secret !== secret && eqi(other.client_id, entry.client_id))
      .reduce((s, other) => removeRefreshToken(other)(s), cache)

const withoutRefreshToken = (answer: TokenResponse): TokenResponse => {
  const { refresh_token: _rt, ...rest } = answer
  return rest
}

/**
 * Redeems a refresh token and folds the answer with `foldUserToken` (grant type
 * `refresh_token`); see {@link RedeemRefreshTokenParams.entry} for how the new refresh token
 * is kept. An error answer (`invalid_grant`, ...) is the IdP's `ProtocolError` and leaves
 * the cache as it was: the refresh token is not removed (MSAL Python disables RT removal,
 * since a new MFA policy may refuse it for one scope and not another).
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_acquire_token_silent_by_finding_specific_refresh_token`, `acquire_token_by_refresh_token`
 */
export const redeemRefreshToken =
  (p: RedeemRefreshTokenParams): Grant<UserAuthResult> =>
  (cache) =>
  (env) => {
    const nowSeconds = Math.floor(env.now() / 1000)
    const slot = {
      clientId: p.clientId,
      authority: p.authority,
      scopes: p.scopes,
      grantType: 'refresh_token',
      ...(p.entry === undefined ? {} : { skipAccountCreation: true }),
      ...(p.sshCertificate === undefined ? {} : { sshKeyId: p.sshCertificate.keyId }),
    }
    return pipe(
      requestToken(
        {
          tokenEndpoint: p.authority.metadata.token_endpoint,
          clientId: p.clientId,
          fields: refreshTokenRequest({ refreshToken: p.refreshToken, scopes: p.scopes, claims: p.claims, sshCertificate: p.sshCertificate }),
          ...(p.headers === undefined ? {} : { headers: p.headers }),
        },
        p.credential,
        p.call,
      )(env),
      TE.chainEitherK((answer): E.Either<AuthError, [UserAuthResult, CacheState]> => {
        const entry = p.entry
        if (entry === undefined) return pipe(foldUserToken(slot, nowSeconds)(answer)(cache), E.map(([r, next]) => [r, next]))
        return pipe(
          foldUserToken(slot, nowSeconds)(withoutRefreshToken(answer))(cache),
          E.map(([result, next]): [UserAuthResult, CacheState] =>
            answer.refresh_token === undefined || answer.refresh_token === ''
              ? [result, next]
              : [
                  { ...result, refresh_token: answer.refresh_token },
                  withoutOtherRefreshTokens(entry, answer.refresh_token, p.authority.aliases)(updateRefreshToken({ entry, secret: answer.refresh_token, nowSeconds })(next)),
                ],
          ),
        )
      }),
    )
  }

/**
 * Parameters of {@link byRefreshToken}.
 *
 * @category model
 * @since 0.1.0
 */
export interface ByRefreshTokenParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  readonly credential?: ClientAuth | undefined
  /** The refresh token obtained elsewhere (ADAL, another library). */
  readonly refreshToken: string
  /** The scopes it is redeemed for (`openid profile offline_access` are added). */
  readonly scopes: ReadonlyArray<string>
  readonly excludeScopes?: ReadonlyArray<string>
  /** Sent as `client-request-id`. Default: a fresh UUID. */
  readonly correlationId?: string
}

/**
 * Migrates a refresh token from elsewhere into the cache, as MSAL Python 1.21's
 * `acquire_token_by_refresh_token`: one `refresh_token` request (decorated scopes,
 * `client_info=1`, no `claims`, telemetry API 85 with refresh reason 1), its answer folded
 * whole: the access, ID and new refresh tokens, the Account and the AppMetadata. The given
 * refresh token itself is never stored. An empty or non-string refresh token is a
 * `ConfigError` before any request; a refused one the IdP's `ProtocolError`, the cache as
 * it was.
 *
 * @example
 * ```ts
 * import { byRefreshToken } from '@authfold/grants'
 * import type { CacheState } from '@authfold/cache'
 * import type { GrantEnv, ResolvedAuthority } from '@authfold/core'
 *
 * declare const clientId: string, authority: ResolvedAuthority, oldRt: string, cache: CacheState, env: GrantEnv
 * const outcome = await byRefreshToken({ clientId, authority, refreshToken: oldRt, scopes: ['User.Read'] })(cache)(env)()
 * ```
 * @category grants
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_by_refresh_token`
 */
export const byRefreshToken =
  (p: ByRefreshTokenParams): Grant<UserAuthResult> =>
  (cache) =>
  (env) => {
    if (typeof p.refreshToken !== 'string' || p.refreshToken.trim() === '')
      return TE.left(configError('invalid_argument', 'Pass the refresh token to migrate as a non-empty string.', 'refreshToken'))
    const scopes = decorateScopes(p.scopes, p.excludeScopes === undefined ? {} : { excludeScopes: p.excludeScopes })
    if (E.isLeft(scopes)) return TE.left(scopes.left)
    return redeemRefreshToken({
      clientId: p.clientId,
      authority: p.authority,
      credential: p.credential,
      refreshToken: p.refreshToken,
      scopes: scopes.right,
      call: { apiId: ApiId.acquireTokenByRefreshToken, refreshReason: RefreshReason.forceRefresh, correlationId: p.correlationId ?? uuidFrom(env.random) },
    })(cache)(env)
  }
