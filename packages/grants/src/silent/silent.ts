/**
 * The silent flow (MSAL Python's `acquire_token_silent_with_error`): the cached access
 * token, or a refresh with the account's refresh token, the app's own or its family's.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import type { CacheState, RefreshTokenEntity } from '@authfold/cache'
import {
  ApiId,
  canDecorateScopes,
  configError,
  uuidFrom,
  type AuthError,
  type ClientAuth,
  type ConfigError,
  type GrantEnv,
  type ProtocolError,
  type RefreshReason,
  type ResolvedAuthority,
} from '@authfold/core'
import type { Grant } from '../grant.js'
import type { CacheFirstPolicy } from '../steps/cacheFirst.js'
import { accountAnchorHeaders } from '../refreshToken/request.js'
import { redeemRefreshToken } from '../refreshToken/refreshToken.js'
import type { AccountInfo, UserAuthResult } from '../userToken/foldUserToken.js'
import { decideSilent, silentQuery, type RefreshPlan } from './decide.js'
import { checkSshCertificate, type SshCertificateRequest } from '../sshCert/sshCert.js'
import { userRequestScopes } from '../steps/userRequestScopes.js'

/**
 * An account as `getAccounts` lists it; only `home_account_id` is read.
 *
 * @category model
 * @since 0.1.0
 */
export type SilentAccount = Pick<AccountInfo, 'home_account_id'> & Partial<AccountInfo>

/**
 * Parameters of {@link silent}.
 *
 * @category model
 * @since 0.1.0
 */
export interface SilentParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  readonly credential?: ClientAuth | undefined
  /** The scopes asked (decorated for a refresh, as MSAL decorates them). */
  readonly scopes: ReadonlyArray<string>
  /** The account, or `null` for the app's own tokens (a confidential client's `account=None`). */
  readonly account: SilentAccount | null
  /** Skip the cached access token and refresh. */
  readonly forceRefresh?: boolean | undefined
  /** A claims challenge from a resource: skips the cached access token, sent as `claims`. */
  readonly claimsChallenge?: string | undefined
  readonly clientCapabilities?: ReadonlyArray<string> | undefined
  readonly excludeScopes?: ReadonlyArray<string> | undefined
  /** Sent as `client-request-id` on every refresh of this call. Default: a fresh UUID. */
  readonly correlationId?: string | undefined
  /**
   * An SSH certificate (MSAL Python's `data={"token_type": "ssh-cert", "key_id": ..., "req_cnf": ...}`):
   * only a certificate cached under `keyId` answers, and a refresh asks for one.
   */
  readonly sshCertificate?: SshCertificateRequest | undefined
}

/**
 * How the refresh tokens of one stage went: none to try, one redeemed, or every one
 * refused (the last refusal kept, as MSAL keeps its last error answer).
 *
 * @category model
 * @since 0.1.0
 */
export type StageOutcome =
  | { readonly _tag: 'none' }
  | { readonly _tag: 'redeemed'; readonly value: readonly [UserAuthResult, CacheState] }
  | { readonly _tag: 'refused'; readonly error: ProtocolError }

const NONE: StageOutcome = { _tag: 'none' }

/**
 * True when an error answer says the refresh token belongs to another app
 * (`error_additional_info` holds `client_mismatch`): MSAL's family probe stops there.
 *
 * @category predicates
 * @since 0.1.0
 * @see MSAL Python `_acquire_token_silent_by_finding_rt_belongs_to_me_or_my_family`
 */
export const isClientMismatch = (e: ProtocolError): boolean => {
  const info = e.response['error_additional_info']
  return Array.isArray(info) && info.includes('client_mismatch')
}

/**
 * Tries refresh tokens one after another, newest first: the first one redeemed wins; an
 * error answer moves on to the next (or stops, when `stop` says so); any other failure
 * (the network, an answer that is not one) ends the whole attempt at once.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_acquire_token_silent_by_finding_specific_refresh_token`
 */
export const tryRefreshTokens = (
  tokens: ReadonlyArray<RefreshTokenEntity>,
  redeem: (entry: RefreshTokenEntity) => TE.TaskEither<AuthError, readonly [UserAuthResult, CacheState]>,
  stop: (e: ProtocolError) => boolean = () => false,
): TE.TaskEither<AuthError, StageOutcome> => {
  const from = (i: number, last: StageOutcome): TE.TaskEither<AuthError, StageOutcome> => {
    const entry = tokens[i]
    if (entry === undefined) return TE.right(last)
    return pipe(
      redeem(entry),
      TE.map((value): StageOutcome => ({ _tag: 'redeemed', value })),
      TE.orElse((e) => (e._tag === 'ProtocolError' ? TE.right<AuthError, StageOutcome>({ _tag: 'refused', error: e }) : TE.left(e))),
      TE.chain((o) => (o._tag === 'refused' && !stop(o.error) ? from(i + 1, o) : TE.right(o))),
    )
  }
  return from(0, NONE)
}

/**
 * Runs a {@link RefreshPlan} as MSAL Python does: the family probe (its refusals
 * forgotten), then the family's tokens, then the app's own; the own stage's outcome is
 * the answer unless it had no token, in which case the family stage's is.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_acquire_token_silent_by_finding_rt_belongs_to_me_or_my_family`
 */
export const runRefreshPlan = (
  plan: RefreshPlan,
  redeem: (entry: RefreshTokenEntity) => TE.TaskEither<AuthError, readonly [UserAuthResult, CacheState]>,
): TE.TaskEither<AuthError, StageOutcome> =>
  pipe(
    plan.probe === undefined ? TE.right(NONE) : tryRefreshTokens(plan.probe, redeem, isClientMismatch),
    TE.chain((probe) =>
      probe._tag === 'redeemed'
        ? TE.right(probe)
        : pipe(
            plan.family === undefined ? TE.right(NONE) : tryRefreshTokens(plan.family.tokens, redeem),
            TE.chain((family) =>
              family._tag === 'redeemed'
                ? TE.right(family)
                : pipe(
                    tryRefreshTokens(plan.own, redeem),
                    TE.map((own) => (own._tag === 'none' ? family : own)),
                  ),
            ),
          ),
    ),
  )

/**
 * The home account id a silent call reads from its `account` argument: `undefined` for
 * none (`null` or `undefined`: the app's own tokens), `null` for something that is not an
 * account from `getAccounts()` (no non-empty `home_account_id`), else that id.
 *
 * @category utils
 * @since 0.1.0
 */
export const silentHomeOf = (account: unknown): string | undefined | null => {
  if (account === null || account === undefined) return undefined
  const home = typeof account === 'object' ? (account as { readonly home_account_id?: unknown }).home_account_id : undefined
  return typeof home === 'string' && home !== '' ? home : null
}

const checkAccount = (account: unknown): E.Either<ConfigError, string | undefined> => {
  const home = silentHomeOf(account)
  return home !== null
    ? E.right(home)
    : E.left(configError('invalid_argument', 'Pass an account from getAccounts() (it has a home_account_id), or null for the app\u2019s own tokens.', 'account'))
}

type Outcome = [UserAuthResult | undefined, CacheState]

/**
 * The cache-first policy of a silent call when it can be told without a task: a valid
 * account (or `null` for app tokens), scopes that decorate, no `forceRefresh` and no claims
 * challenge. `undefined` otherwise (the grant itself then decides). A facade peeks with it
 * (`peekCacheFirst`) to answer cache hits synchronously; a hit is what {@link silent}
 * answers for it.
 *
 * @category steps
 * @since 0.1.0
 */
export const silentPolicy = (p: SilentParams): CacheFirstPolicy | undefined => {
  if (p.forceRefresh === true || p.claimsChallenge !== undefined || !canDecorateScopes(p.scopes, p.excludeScopes)) return undefined
  if (p.sshCertificate !== undefined && E.isLeft(checkSshCertificate(p.sshCertificate))) return undefined
  const home = silentHomeOf(p.account)
  if (home === null) return undefined
  return {
    query: silentQuery({
      clientId: p.clientId,
      environments: p.authority.aliases,
      realm: p.authority.realm,
      homeAccountId: home,
      scopes: p.scopes,
      sshKeyId: p.sshCertificate?.keyId,
    }),
  }
}

/**
 * Acquires a token without the user: MSAL Python 1.21's silent flow.
 *
 * - An access token for the client, account, realm and scopes with more than five minutes
 *   left answers from the cache (`token_source: "cache"`, a telemetry cache hit), unless
 *   `forceRefresh` or a claims challenge skips it.
 * - One past its `refresh_on` is refreshed (reason 4), and still returned if the refresh
 *   fails or there is no refresh token.
 * - Otherwise the account's refresh tokens are redeemed ({@link RefreshPlan}: the family's
 *   or the app's own, the probe that finds out family membership, the `client_mismatch`
 *   stop), with decorated scopes, `claims` (challenge and client capabilities merged),
 *   `X-AnchorMailbox: Oid:<uid>@<utid>` and the refresh reason in telemetry. The answer is
 *   written for the authority's realm (a guest tenant gets its own access and ID tokens)
 *   without a new Account, and the new refresh token replaces the redeemed one's secret.
 * - A refused refresh token is not removed; the IdP's `ProtocolError` (its `suberror` as
 *   `classification`) is the Left, unless a fallback token answers.
 * - Nothing to answer with: `undefined` (MSAL Python's `None`).
 *
 * `account: null` looks up the app's own tokens (no refresh token is tried).
 *
 * @example
 * ```ts
 * import { silent, type SilentAccount } from '@authfold/grants'
 * import type { CacheState } from '@authfold/cache'
 * import type { GrantEnv, ResolvedAuthority } from '@authfold/core'
 *
 * declare const clientId: string, authority: ResolvedAuthority, account: SilentAccount, cache: CacheState, env: GrantEnv
 * const outcome = await silent({ clientId, authority, scopes: ['User.Read'], account })(cache)(env)()
 * ```
 * @category grants
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_silent_with_error`
 */
export const silent =
  (p: SilentParams): Grant<UserAuthResult | undefined> =>
  (cache) =>
  (env: GrantEnv) => {
    const checked = pipe(
      p.sshCertificate === undefined ? E.right<ConfigError, unknown>(undefined) : checkSshCertificate(p.sshCertificate),
      E.chain(() => checkAccount(p.account)),
      E.chain((homeAccountId) =>
        pipe(
          userRequestScopes(p),
          E.map(({ scopes: decorated, claims }) => ({ homeAccountId, decorated, claims })),
        ),
      ),
    )
    if (E.isLeft(checked)) return TE.left(checked.left)
    const { homeAccountId, decorated, claims } = checked.right
    const decision = decideSilent(
      {
        clientId: p.clientId,
        environments: p.authority.aliases,
        realm: p.authority.realm,
        homeAccountId,
        scopes: p.scopes,
        skipCache: p.forceRefresh === true || p.claimsChallenge !== undefined,
        ...(p.sshCertificate === undefined ? {} : { sshKeyId: p.sshCertificate.keyId }),
      },
      env.now() / 1000,
    )(cache)
    if (decision._tag === 'miss') {
      env.log('info', 'The silent flow found no access or refresh token for this account and scopes', false)
      return TE.right<AuthError, Outcome>([undefined, cache])
    }
    if (decision._tag === 'hit') {
      if (!decision.aging) {
        env.log('info', 'Answered from the token cache', false)
        env.telemetry?.hit()
      }
      return TE.right<AuthError, Outcome>([decision.result, cache])
    }
    const correlationId = p.correlationId ?? uuidFrom(env.random)
    const reason: RefreshReason = decision.reason
    const redeem = (entry: RefreshTokenEntity): TE.TaskEither<AuthError, readonly [UserAuthResult, CacheState]> =>
      redeemRefreshToken({
        clientId: p.clientId,
        authority: p.authority,
        credential: p.credential,
        refreshToken: entry.secret,
        scopes: decorated,
        claims,
        ...(p.sshCertificate === undefined ? {} : { sshCertificate: p.sshCertificate }),
        ...(homeAccountId === undefined ? {} : { headers: accountAnchorHeaders(homeAccountId) }),
        call: { apiId: ApiId.acquireTokenSilent, refreshReason: reason, correlationId },
        entry,
      })(cache)(env)
    const refreshed = pipe(
      runRefreshPlan(decision.plan, redeem),
      TE.chain((o): TE.TaskEither<AuthError, Outcome> =>
        o._tag === 'redeemed' ? TE.right([o.value[0], o.value[1]]) : o._tag === 'refused' ? TE.left(o.error) : TE.right([undefined, cache]),
      ),
    )
    const fallback = decision.fallback
    if (fallback === undefined) return refreshed
    return pipe(
      refreshed,
      TE.map((o): Outcome => (o[0] === undefined ? [fallback, cache] : o)),
      TE.orElse((e) => {
        env.log('warning', `A proactive refresh failed (${e._tag}); the cached token is still valid and is returned`, false)
        return TE.right<AuthError, Outcome>([fallback, cache])
      }),
    )
  }
