/**
 * @module
 */
import { addAppTokenResponse, type AccessTokenQuery, type CacheState } from '@authfold/cache'
import type { ResolvedAuthority, TokenResponse } from '@authfold/core'
import { tokenEvent } from '../steps/tokenEvent.js'

/**
 * Where an app token is filed and looked up: the client, the authority's cache
 * environment and realm, the scopes, and the FMI path's extended cache key.
 *
 * @category model
 * @since 0.1.0
 */
export interface AppTokenSlot {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  readonly scopes: ReadonlyArray<string>
  /** The extended cache key of an FMI path (`computeExtCacheKeyAsync({ fmi_path })`). */
  readonly extCacheKey?: string | undefined
  /** An SSH certificate's key id: its tokens are `ssh-cert` ones filed and found under it. */
  readonly sshKeyId?: string | undefined
}

/**
 * The cache query that finds the app tokens of a slot (any alias of the environment).
 *
 * @category queries
 * @since 0.1.0
 */
export const appTokenQuery = (slot: AppTokenSlot): AccessTokenQuery => {
  // one object in the common case (a spread of a conditional `{}` costs a temporary per call)
  const query = { clientId: slot.clientId, environments: slot.authority.aliases, realm: slot.authority.realm, homeAccountId: '', scopes: slot.scopes }
  if (slot.extCacheKey === undefined && slot.sshKeyId === undefined) return query
  return {
    ...query,
    ...(slot.extCacheKey === undefined ? {} : { extCacheKey: slot.extCacheKey }),
    ...(slot.sshKeyId === undefined ? {} : { keyId: slot.sshKeyId, tokenType: 'ssh-cert' }),
  }
}

/**
 * Folds a client-credentials answer into the cache (the access token and app metadata,
 * under the authority's own host as MSAL Python files them): pure.
 *
 * @category folds
 * @since 0.1.0
 * @see MSAL Python `TokenCache.add`
 */
export const foldClientCredentials =
  (slot: AppTokenSlot, nowSeconds: number) =>
  (response: TokenResponse) =>
  (cache: CacheState): CacheState =>
    addAppTokenResponse({
      ...tokenEvent(slot, response, nowSeconds, 'client_credentials'),
      ...(slot.extCacheKey === undefined ? {} : { extCacheKey: slot.extCacheKey }),
      ...(slot.sshKeyId === undefined ? {} : { keyId: slot.sshKeyId }),
    })(cache)
