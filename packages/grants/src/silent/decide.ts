/**
 * The silent flow's decision, pure: a cache, a clock and a request in; a cache hit, a
 * refresh (which refresh tokens, in which order, for which reason) or a miss out.
 *
 * @module
 */
import * as O from 'fp-ts/Option'
import { findRefreshTokens, getAppMetadata, type AccessTokenQuery, type CacheState, type RefreshTokenEntity } from '@authfold/cache'
import { SSH_CERT_TOKEN_TYPE } from '../sshCert/sshCert.js'
import { RefreshReason } from '@authfold/core'
import type { AuthResult } from '../grant.js'
import { cachedAccessToken, refreshReasonFor } from '../steps/cachedAccessToken.js'

/**
 * What the silent flow looks for.
 *
 * @category model
 * @since 0.1.0
 */
export interface SilentRequest {
  readonly clientId: string
  /** The authority's alias group. */
  readonly environments: ReadonlyArray<string>
  /** The authority's tenant (the access token's realm). */
  readonly realm: string
  /** The account's home account id; `undefined` for an app (`account=None`). */
  readonly homeAccountId: string | undefined
  /** The scopes asked, undecorated (the access token's target must hold them all). */
  readonly scopes: ReadonlyArray<string>
  /** `forceRefresh`, or a claims challenge: skip the cached access token. */
  readonly skipCache: boolean
  /** An SSH certificate's key id: only `ssh-cert` tokens filed under it answer. */
  readonly sshKeyId?: string | undefined
}

/**
 * The refresh tokens the silent flow tries, stage by stage, each newest first (MSAL Python
 * `_acquire_token_silent_by_finding_rt_belongs_to_me_or_my_family`):
 *
 * - `probe`: only when the cache has no AppMetadata for this app: the account's family `1`
 *   refresh tokens, tried to find out whether the app is in the family; a `client_mismatch`
 *   answer ends the probe, and its errors are not reported;
 * - `family`: only when AppMetadata names the app's family: that family's tokens;
 * - `own`: the app's own tokens (its `client_id`), the fallback; when there are none the
 *   family stage's last error is the answer.
 *
 * @category model
 * @since 0.1.0
 */
export interface RefreshPlan {
  readonly probe?: ReadonlyArray<RefreshTokenEntity>
  readonly family?: { readonly familyId: string; readonly tokens: ReadonlyArray<RefreshTokenEntity> }
  readonly own: ReadonlyArray<RefreshTokenEntity>
}

/**
 * The silent flow's decision:
 *
 * - `hit`: answer with this cached access token, no request (`aging` when it is past its
 *   `refresh_on` but no refresh token could refresh it: MSAL returns it without counting a
 *   cache hit);
 * - `refresh`: redeem the plan's refresh tokens for `reason`; `fallback` (an access token
 *   past its `refresh_on`) is the answer if that fails;
 * - `miss`: nothing to answer with (MSAL Python's `None`).
 *
 * @category model
 * @since 0.1.0
 */
export type SilentDecision =
  | { readonly _tag: 'hit'; readonly result: AuthResult; readonly aging: boolean }
  | { readonly _tag: 'refresh'; readonly reason: RefreshReason; readonly plan: RefreshPlan; readonly fallback?: AuthResult }
  | { readonly _tag: 'miss'; readonly reason: RefreshReason }

/**
 * The refresh tokens the silent flow would try for an account (see {@link RefreshPlan}).
 * No account (an app): no refresh tokens.
 *
 * @category steps
 * @since 0.1.0
 */
export const refreshPlanOf =
  (r: Pick<SilentRequest, 'clientId' | 'environments' | 'homeAccountId'>) =>
  (cache: CacheState): RefreshPlan => {
    const home = r.homeAccountId
    if (home === undefined || home === '') return { own: [] }
    const base = { homeAccountId: home, environments: r.environments }
    const metadata = getAppMetadata({ clientId: r.clientId, environments: r.environments })(cache)
    const familyId = metadata?.family_id
    const own = findRefreshTokens({ ...base, clientId: r.clientId })(cache)
    if (metadata === undefined) return { probe: findRefreshTokens({ ...base, familyId: '1' })(cache), own }
    return familyId === undefined || familyId === null || familyId === ''
      ? { own }
      : { family: { familyId, tokens: findRefreshTokens({ ...base, familyId })(cache) }, own }
  }

/**
 * True when a plan has a refresh token to try.
 *
 * @category predicates
 * @since 0.1.0
 */
export const planHasTokens = (plan: RefreshPlan): boolean =>
  (plan.probe?.length ?? 0) > 0 || (plan.family?.tokens.length ?? 0) > 0 || plan.own.length > 0

/**
 * The access tokens a silent call may answer with: the client's, the account's (none: app
 * tokens), in the realm, holding the scopes; under an SSH key id only that key's
 * certificates.
 *
 * @category queries
 * @since 0.1.0
 */
export const silentQuery = (r: Pick<SilentRequest, 'clientId' | 'environments' | 'realm' | 'homeAccountId' | 'scopes' | 'sshKeyId'>): AccessTokenQuery => {
  // one object in the common case (a spread of a conditional `{}` costs a temporary per call)
  const query = { clientId: r.clientId, environments: r.environments, realm: r.realm, homeAccountId: r.homeAccountId ?? '', scopes: r.scopes }
  return r.sshKeyId === undefined ? query : { ...query, keyId: r.sshKeyId, tokenType: SSH_CERT_TOKEN_TYPE }
}

/**
 * Decides what the silent flow does, as MSAL Python's
 * `_acquire_token_silent_from_cache_and_possibly_refresh_it` does: unless `skipCache`, an
 * access token for the client, account (none: app tokens), realm and scopes with at least
 * five minutes left answers at once, unless its `refresh_on` has passed (then it is the
 * fallback of a proactive refresh, reason 4). Otherwise the account's refresh tokens are
 * redeemed for reason 1 (forced or a claims challenge), 2 (no access token) or 3 (only
 * ones about to expire). Pure; `nowSeconds` may have a fraction, as `time.time()` has.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._acquire_token_silent_from_cache_and_possibly_refresh_it`
 */
export const decideSilent =
  (r: SilentRequest, nowSeconds: number) =>
  (cache: CacheState): SilentDecision => {
    const query = silentQuery(r)
    const cached = r.skipCache ? O.none : cachedAccessToken(query, nowSeconds)(cache)
    if (O.isSome(cached) && !cached.value.aging) return { _tag: 'hit', result: cached.value.result, aging: false }
    const reason = r.skipCache ? RefreshReason.forceRefresh : refreshReasonFor(query, cached)(cache)
    const plan = refreshPlanOf(r)(cache)
    if (planHasTokens(plan)) return { _tag: 'refresh', reason, plan, ...(O.isSome(cached) ? { fallback: cached.value.result } : {}) }
    return O.isSome(cached) ? { _tag: 'hit', result: cached.value.result, aging: true } : { _tag: 'miss', reason }
  }
