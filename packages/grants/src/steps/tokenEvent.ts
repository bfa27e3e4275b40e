/**
 * @module
 */
import type { TokenEvent } from '@authfold/cache'
import type { ResolvedAuthority, TokenResponse } from '@authfold/core'

/**
 * The fold event of an answer for a client at a resolved authority: filed under the
 * authority's environment (its own host, as MSAL Python files it) and realm. Each grant's
 * fold adds its own fields (FMI key, nonce-checked claims, username, ...).
 *
 * @category folds
 * @since 0.1.0
 * @see MSAL Python `TokenCache.add` (the event `application.py` builds)
 */
export const tokenEvent = (
  slot: { readonly clientId: string; readonly authority: ResolvedAuthority; readonly scopes: ReadonlyArray<string> },
  response: TokenResponse,
  nowSeconds: number,
  grantType: string,
): TokenEvent => ({
  clientId: slot.clientId,
  environment: slot.authority.environment,
  realm: slot.authority.realm,
  scopes: slot.scopes,
  response,
  nowSeconds,
  grantType,
})
