/**
 * The process half every user sign-in grant shares (auth code, device code, password,
 * refresh token, on-behalf-of): check the id_token, fold the answer into the cache as
 * MSAL Python does, and shape the result with its claims and account.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { accountEntityOf, addTokenResponse, homeAccountIdOf, type AccountEntity, type CacheState, type IdTokenClaims, type TokenEvent } from '@authfold/cache'
import type { AuthError, ResolvedAuthority, TokenResponse } from '@authfold/core'
import type { AuthResult, TokenSource } from '../grant.js'
import { shapeResult } from '../steps/shapeResult.js'
import { tokenEvent } from '../steps/tokenEvent.js'
import { checkIdToken } from './idToken.js'

/**
 * Where a user token is filed, and what its id_token is checked against.
 *
 * @category model
 * @since 0.1.0
 */
export interface UserTokenSlot {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  /** The scopes asked (decorated); the stored target is the answer's `scope` when given. */
  readonly scopes: ReadonlyArray<string>
  /** The grant type sent (`authorization_code`, `password`, the device-code grant, ...). */
  readonly grantType: string
  /** The nonce sent (auth code flow). */
  readonly nonce?: string | undefined
  /** The `max_age` sent, seconds. */
  readonly maxAge?: number | undefined
  /** The username sent (password grant): the account's username when the id_token names none. */
  readonly username?: string | undefined
  /** On-behalf-of: the hash of the user assertion, written on the access and refresh tokens. */
  readonly userAssertionHash?: string | undefined
  /** Write no Account entry (the silent flow's refresh, MSAL Python's `skip_account_creation`). */
  readonly skipAccountCreation?: boolean | undefined
  /** An SSH certificate's key id: the access token (`ssh-cert`) is filed under it. */
  readonly sshKeyId?: string | undefined
}

/**
 * A signed-in account, as MSAL Python's `get_accounts` lists it.
 *
 * @category model
 * @since 0.1.0
 */
export type AccountInfo = Pick<AccountEntity, 'home_account_id' | 'environment' | 'realm' | 'local_account_id' | 'username' | 'authority_type'>

/**
 * A user token's result: the client-credentials fields plus the id_token's claims and the
 * account.
 *
 * @category model
 * @since 0.1.0
 */
export interface UserAuthResult extends AuthResult {
  readonly account?: AccountInfo
}

const eventOf = (slot: UserTokenSlot, response: TokenResponse, nowSeconds: number): TokenEvent => ({
  ...tokenEvent(slot, response, nowSeconds, slot.grantType),
  ...(slot.authority.authority.kind === 'adfs' ? { authorityType: 'ADFS' as const } : {}),
  ...(slot.username === undefined ? {} : { username: slot.username }),
  ...(slot.userAssertionHash === undefined ? {} : { userAssertionHash: slot.userAssertionHash }),
  ...(slot.skipAccountCreation === true ? { skipAccountCreation: true } : {}),
  ...(slot.sshKeyId === undefined ? {} : { keyId: slot.sshKeyId }),
})

/**
 * Checks a user token answer and folds it: the id_token (when the answer has one) must
 * pass `checkIdToken` (audience, issuer, expiry, nonce, `max_age`), else the answer is a
 * `ValidationError` and the cache stays exactly as it was (MSAL Python caches the tokens
 * of a nonce mismatch anyway; authfold does not). Then the access, refresh and ID tokens,
 * the account and the app metadata are written as MSAL Python's `TokenCache.add` writes
 * them, and the result carries `id_token_claims` and `account`.
 *
 * @category folds
 * @since 0.1.0
 * @see MSAL Python `TokenCache.add`, `ClientApplication._acquire_token_by_…` result shaping
 */
export const foldUserToken =
  (slot: UserTokenSlot, nowSeconds: number, source: TokenSource = 'identity_provider') =>
  (response: TokenResponse) =>
  (cache: CacheState): E.Either<AuthError, readonly [UserAuthResult, CacheState]> => {
    const claims: E.Either<AuthError, IdTokenClaims | undefined> =
      response.id_token === undefined
        ? E.right(undefined)
        : checkIdToken(response.id_token, { clientId: slot.clientId, issuer: slot.authority.metadata.issuer, nonce: slot.nonce, maxAge: slot.maxAge, nowSeconds })
    if (E.isLeft(claims)) return claims
    const event = eventOf(slot, response, nowSeconds)
    const { homeAccountId } = homeAccountIdOf(response.client_info, claims.right)
    const account = homeAccountId === undefined ? undefined : accountEntityOf(event, homeAccountId, claims.right, undefined)
    const result: UserAuthResult = {
      ...shapeResult(response, nowSeconds, source),
      ...(claims.right === undefined ? {} : { id_token_claims: claims.right }),
      ...(account === undefined
        ? {}
        : {
            account: {
              home_account_id: account.home_account_id,
              environment: account.environment,
              realm: account.realm ?? null,
              local_account_id: account.local_account_id ?? null,
              username: account.username ?? null,
              authority_type: account.authority_type ?? null,
            },
          }),
    }
    return E.right([result, addTokenResponse(event)(cache)] as const)
  }
