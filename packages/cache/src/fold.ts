/**
 * Folding a token answer into the cache: MSAL Python's `TokenCache.add`, as a pure
 * function `TokenEvent -> CacheState -> CacheState`.
 *
 * What is written, field for field as MSAL Python writes it:
 *
 * - **AccessToken** when the answer has a non-empty `access_token`: `target` is the
 *   answer's `scope` (split on spaces) or else the requested scopes, sorted and
 *   space-joined; `cached_at` = now; `expires_on` = now + `expires_in` (else the answer's
 *   `expires_on`, else 600 s); `extended_expires_on` = now + (`ext_expires_in` or
 *   `expires_in`); `refresh_on` = now + `refresh_in` when given; `token_type` as answered,
 *   `Bearer` when absent; `key_id`, `user_assertion_hash` (and the same value as
 *   `userAssertionHash`, the one field msal-node reads), `ext_cache_key` when the
 *   event has them. Every access token of the same slot (client, home account,
 *   environment, realm, token type, key id, ext cache key, user assertion hash) whose
 *   target shares a scope with the new one is removed first, as msal-common does, so a
 *   slot never holds two tokens for one scope.
 * - **Account** when `client_info` (or, for ADFS, the id_token's `sub`) names a home
 *   account and `skipAccountCreation` is not set: `local_account_id` from `oid` / `sub`,
 *   `username` from `preferred_username` / `upn` / `email` / the ROPC username,
 *   `authority_type` MSSTS, or ADFS for realm `adfs`, unless the event says;
 *   `account_source` for the grants that establish an account. The new fields are laid
 *   over an existing entry for the same account, so fields other SDKs add (`name`,
 *   `tenantProfiles`, ...) and a `local_account_id` / `username` the answer cannot tell
 *   (no id_token) are kept.
 * - **IdToken** when the answer has an id_token whose payload decodes.
 * - **RefreshToken** when the answer has a `refresh_token`; `family_id` from `foci`;
 *   `last_modification_time` = now; `user_assertion_hash` for an on-behalf-of answer (as
 *   MSAL .NET writes it, so the middle tier refreshes with the refresh token of that
 *   assertion only). It replaces the account's refresh token for the same
 *   app (or, for a family token, the same family) in the same environment, whatever key
 *   it was stored under.
 * - **AppMetadata** always, with `family_id` when the answer had `foci`.
 *
 * An entry written under the key of an unreadable entry (see `CacheState.unreadable`)
 * replaces it, as MSAL Python's `modify` overwrites whatever was under the key.
 *
 * A broken id_token (not a JWT, payload not base64url JSON) never fails the fold: the
 * IdToken entry is skipped, the claims count as absent, and everything else is stored
 * (the account too, when `client_info` names it). Unreadable `client_info` counts as
 * absent as well (MSAL Python would raise).
 *
 * @module
 */
import type { TokenResponse } from '@authfold/core'
import { targetsIntersect } from './accessTokens.js'
import { decodeIdTokenClaims, homeAccountIdOf, stringClaim, type IdTokenClaims } from './claims.js'
import { accessTokenKey, accountKey, appMetadataKey, idTokenKey, refreshTokenKey } from './keys.js'
import { hamtGet } from './hamt.js'
import {
  eqi,
  str,
  type AccessTokenEntity,
  type AccountEntity,
  type AppMetadataEntity,
  type AuthorityType,
  type IdTokenEntity,
  type RefreshTokenEntity,
} from './schema.js'
import {
  accessTokenEntitySlot,
  bucketKey,
  dropReplacedUnreadable,
  specs,
  tableBucket,
  tablePut,
  tableRemove,
  type CacheState,
  type Table,
  type TableSpec,
} from './state.js'

/**
 * A token answer and what the grant knew when it asked.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `TokenCache.add(event)` (the event dict)
 */
export interface TokenEvent {
  readonly clientId: string
  /** The host written to entries (the preferred cache alias). */
  readonly environment: string
  /** The tenant from the token endpoint's path. */
  readonly realm: string
  /** As requested; the stored target is `response.scope ?? scopes`. */
  readonly scopes: ReadonlyArray<string>
  readonly response: TokenResponse
  readonly nowSeconds: number
  /** The grant type sent; `authorization_code`, `password`, the device-code grant and `broker` set `account_source`. */
  readonly grantType?: string
  /** Key id of a PoP / SSH-cert token, stored as `key_id`. */
  readonly keyId?: string
  /** OBO: hash of the incoming user assertion, stored as `user_assertion_hash` (and `userAssertionHash` on the access token, for msal-node). */
  readonly userAssertionHash?: string
  /** FMI: see `computeExtCacheKey`; isolates the token under an `atext` key. */
  readonly extCacheKey?: string
  readonly authorityType?: AuthorityType
  /** ROPC: the username sent, used when the id_token names none. */
  readonly username?: string
  /** Do not write an Account entry (MSAL Python's `skip_account_creation`). */
  readonly skipAccountCreation?: boolean
  /** Overrides `local_account_id` (MSAL Python's `_account_id`). */
  readonly accountId?: string
}

/**
 * The grant types after which MSAL records `account_source` on the account.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `grant_types_that_establish_an_account`
 */
export const accountEstablishingGrantTypes: ReadonlyArray<string> = [
  'broker',
  'authorization_code',
  'password',
  'urn:ietf:params:oauth:grant-type:device_code',
]

const intOf = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v)
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Math.trunc(Number(v))
  return undefined
}

/**
 * The target MSAL stores: the answer's `scope` split on spaces, else the requested
 * scopes; sorted, space-joined.
 *
 * @category fold
 * @since 0.1.0
 */
export const targetOf = (e: Pick<TokenEvent, 'scopes' | 'response'>): string => {
  const scopes = e.response.scope !== undefined ? e.response.scope.split(/\s+/).filter((x) => x !== '') : e.scopes
  return [...scopes].sort().join(' ')
}

/**
 * The access-token entry a token answer produces, or `undefined` when it has no
 * access token.
 *
 * @category fold
 * @since 0.1.0
 */
export const accessTokenEntityOf = (e: TokenEvent, homeAccountId: string | undefined): AccessTokenEntity | undefined => {
  const r = e.response
  if (r.access_token === '') return undefined
  const now = Math.trunc(e.nowSeconds)
  const expiresOn = intOf((r as Readonly<Record<string, unknown>>)['expires_on'])
  const expiresIn = intOf(r.expires_in) ?? (expiresOn !== undefined ? expiresOn - now : 600)
  const extExpiresIn = intOf(r.ext_expires_in) ?? expiresIn
  const refreshIn = intOf(r.refresh_in)
  return {
    credential_type: 'AccessToken',
    secret: r.access_token,
    home_account_id: homeAccountId ?? null,
    environment: e.environment,
    client_id: e.clientId,
    target: targetOf(e),
    realm: e.realm,
    token_type: r.token_type ?? 'Bearer',
    cached_at: String(now),
    expires_on: String(now + expiresIn),
    extended_expires_on: String(now + extExpiresIn),
    ...(refreshIn !== undefined ? { refresh_on: String(now + refreshIn) } : {}),
    ...(e.keyId !== undefined && e.keyId !== '' ? { key_id: e.keyId } : {}),
    // msal-node 7.2 reads the hash from `userAssertionHash` only (its Deserializer), MSAL .NET
    // and Java from `user_assertion_hash`: both, so either answers the same assertion from here.
    ...(e.userAssertionHash !== undefined && e.userAssertionHash !== '' ? { user_assertion_hash: e.userAssertionHash, userAssertionHash: e.userAssertionHash } : {}),
    ...(e.extCacheKey !== undefined && e.extCacheKey !== '' ? { ext_cache_key: e.extCacheKey } : {}),
  }
}

const usernameOf = (claims: IdTokenClaims | undefined, e: TokenEvent): string | undefined =>
  stringClaim(claims, 'preferred_username') ??
  stringClaim(claims, 'upn') ??
  stringClaim(claims, 'email') ??
  (e.username !== undefined && e.username !== '' ? e.username : undefined)

/**
 * The account entry a token answer produces (before it is laid over an existing one).
 *
 * @category fold
 * @since 0.1.0
 */
export const accountEntityOf = (
  e: TokenEvent,
  homeAccountId: string,
  claims: IdTokenClaims | undefined,
  existing: AccountEntity | undefined,
): AccountEntity => {
  const localAccountId =
    (e.accountId !== undefined && e.accountId !== '' ? e.accountId : undefined) ??
    stringClaim(claims, 'oid') ??
    stringClaim(claims, 'sub') ??
    existing?.local_account_id ??
    null
  const username = usernameOf(claims, e) ?? (existing?.username !== undefined && existing.username !== null ? existing.username : '')
  const fresh: AccountEntity = {
    home_account_id: homeAccountId,
    environment: e.environment,
    realm: e.realm,
    local_account_id: localAccountId,
    username,
    authority_type: e.authorityType ?? (e.realm === 'adfs' ? 'ADFS' : 'MSSTS'),
    ...(e.grantType !== undefined && accountEstablishingGrantTypes.includes(e.grantType) ? { account_source: e.grantType } : {}),
  }
  return existing === undefined ? fresh : { ...existing, ...fresh }
}

const putReplacing = <E, I extends string>(
  spec: TableSpec<E, I>,
  table: Table<E, I>,
  key: string,
  entry: E,
  stale: ReadonlyArray<string>,
): Table<E, I> => {
  let t = table
  for (const k of stale) if (k !== key) t = tableRemove(spec, t, k)
  return tablePut(spec, t, key, entry)
}


const foldAccessToken = (s: CacheState, at: AccessTokenEntity): CacheState => {
  const key = accessTokenKey(at)
  const stale = tableBucket(s.accessTokens, 'slot', accessTokenEntitySlot(at))
    .filter(([k, old]) => k === key || targetsIntersect(old.target, at.target))
    .map(([k]) => k)
  return { ...s, accessTokens: putReplacing(specs.accessTokens, s.accessTokens, key, at, stale) }
}

const foldAccount = (s: CacheState, e: TokenEvent, homeAccountId: string, claims: IdTokenClaims | undefined): CacheState => {
  const probe = { home_account_id: homeAccountId, environment: e.environment, realm: e.realm }
  const key = accountKey(probe)
  const same = tableBucket(s.accounts, 'homeEnv', bucketKey(homeAccountId, e.environment)).filter(([, a]) => eqi(a.realm, e.realm))
  const existing = hamtGet(s.accounts.entries, key) ?? same[0]?.[1]
  const account = accountEntityOf(e, homeAccountId, claims, existing)
  return {
    ...s,
    accounts: putReplacing(specs.accounts, s.accounts, key, account, same.map(([k]) => k)),
  }
}

const foldIdToken = (s: CacheState, idt: IdTokenEntity): CacheState => {
  const key = idTokenKey(idt)
  const stale = tableBucket(s.idTokens, 'homeEnv', bucketKey(idt.home_account_id, idt.environment))
    .filter(([, old]) => eqi(old.client_id, idt.client_id) && eqi(old.realm, idt.realm))
    .map(([k]) => k)
  return { ...s, idTokens: putReplacing(specs.idTokens, s.idTokens, key, idt, stale) }
}

const foldRefreshToken = (s: CacheState, rt: RefreshTokenEntity): CacheState => {
  const key = refreshTokenKey(rt)
  const family = str(rt.family_id)
  const stale = tableBucket(s.refreshTokens, 'homeEnv', bucketKey(rt.home_account_id, rt.environment))
    .filter(([, old]) => (family === '' ? str(old.family_id) === '' && eqi(old.client_id, rt.client_id) : eqi(old.family_id, family)))
    .map(([k]) => k)
  return { ...s, refreshTokens: putReplacing(specs.refreshTokens, s.refreshTokens, key, rt, stale) }
}

const foldAppMetadata = (s: CacheState, am: AppMetadataEntity): CacheState => {
  const key = appMetadataKey(am)
  const stale = tableBucket(s.appMetadata, 'client', bucketKey(am.client_id))
    .filter(([, old]) => eqi(old.environment, am.environment))
    .map(([k]) => k)
  return { ...s, appMetadata: putReplacing(specs.appMetadata, s.appMetadata, key, am, stale) }
}

/**
 * Folds one token answer into the cache (see the module comment for what is written).
 * Pure: the given state is not touched; the new one shares everything it did not change.
 * O(log n) in the size of the cache.
 *
 * @category fold
 * @since 0.1.0
 * @see MSAL Python `TokenCache.add` / `TokenCache.__add`
 */
export const addTokenResponse =
  (e: TokenEvent) =>
  (s: CacheState): CacheState => {
    const r = e.response
    const idToken = r.id_token !== undefined && r.id_token !== '' ? r.id_token : undefined
    const claims = idToken === undefined ? undefined : decodeIdTokenClaims(idToken)
    const { clientInfo, homeAccountId } = homeAccountIdOf(r.client_info, claims)
    const now = Math.trunc(e.nowSeconds)
    let next = s

    const at = accessTokenEntityOf(e, homeAccountId)
    if (at !== undefined) next = foldAccessToken(next, at)

    if (homeAccountId !== undefined && Object.keys(clientInfo).length > 0 && e.skipAccountCreation !== true) {
      next = foldAccount(next, e, homeAccountId, claims)
    }

    if (idToken !== undefined && claims !== undefined) {
      next = foldIdToken(next, {
        credential_type: 'IdToken',
        secret: idToken,
        home_account_id: homeAccountId ?? null,
        environment: e.environment,
        realm: e.realm,
        client_id: e.clientId,
      })
    }

    if (r.refresh_token !== undefined && r.refresh_token !== '') {
      next = foldRefreshToken(next, {
        credential_type: 'RefreshToken',
        secret: r.refresh_token,
        home_account_id: homeAccountId ?? null,
        environment: e.environment,
        client_id: e.clientId,
        target: targetOf(e),
        last_modification_time: String(now),
        ...(r.foci !== undefined ? { family_id: r.foci } : {}),
        ...(e.userAssertionHash !== undefined && e.userAssertionHash !== '' ? { user_assertion_hash: e.userAssertionHash } : {}),
      })
    }

    return dropReplacedUnreadable(
      foldAppMetadata(next, {
        client_id: e.clientId,
        environment: e.environment,
        ...(r.foci !== undefined ? { family_id: r.foci } : {}),
      }),
    )
  }

/**
 * Folds an application token answer (client credentials) into the cache: the access token
 * (`home_account_id: null`) and the app metadata, the entries {@link addTokenResponse} writes
 * for such an answer. It never reads an id_token, client_info or refresh token (RFC 6749
 * §4.4.3: none comes with client credentials), so an app that only uses client credentials
 * does not bundle the user-token fold. Pure, O(log n).
 *
 * @category fold
 * @since 0.1.0
 * @see MSAL Python `TokenCache.add` (an `acquire_token_for_client` event)
 */
export const addAppTokenResponse =
  (e: TokenEvent) =>
  (s: CacheState): CacheState => {
    const at = accessTokenEntityOf(e, undefined)
    return dropReplacedUnreadable(
      foldAppMetadata(at === undefined ? s : foldAccessToken(s, at), {
        client_id: e.clientId,
        environment: e.environment,
        ...(e.response.foci !== undefined ? { family_id: e.response.foci } : {}),
      }),
    )
  }
