/**
 * An app-token-only cache: the MSAL unified-schema document itself, as plain data, for an
 * app that only acquires tokens for itself (client credentials) and counts its bytes (the
 * lean entry `@authfold/grants/lean`). It reads and writes the same JSON as the full
 * `CacheState` (`deserialize` / `serialize`), answers app-token lookups as the full cache
 * does and writes what `addAppTokenResponse` writes, with none of the full cache's
 * persistent maps and indexes.
 *
 * Lookups and writes scan the `AccessToken` section linearly: O(n) in its entries, which
 * is what an app cache holds (one token per resource, tenant and client, a handful at most).
 * A cache of many users' tokens belongs in the full, indexed `CacheState`. A write copies
 * the two sections it changes (`AccessToken`, `AppMetadata`) and shares everything else.
 *
 * What is kept as read: every section (`RefreshToken`, `IdToken`, `Account` and any
 * unknown one), every entry (also those authfold does not understand: never served, never
 * removed, replaced only by an entry written under the same key, as in the full cache) and
 * every field of an entry.
 *
 * @module
 */
import type * as E from 'fp-ts/Either'
import { left, right, type DecodeError } from '@authfold/core'
import { accessTokenCredentialTypesFor, matchesAccessTokenQuery, targetsIntersect, type AccessTokenQuery } from './accessTokens.js'
import { accessTokenEntitySlot } from './accessTokenSlot.js'
import { belongs, cacheDocumentError, isObject, parseCacheJson } from './deserialize.js'
import { accessTokenShape, appMetadataShape, hasShape, type EntityShape } from './entityShapes.js'
import { accessTokenEntityOf, type TokenEvent } from './fold.js'
import { accessTokenKey, appMetadataKey } from './keys.js'
import { CredentialType, eqi, type AccessTokenEntity, type AppMetadataEntity, type SectionName } from './schema.js'
import { sortKeysDeep } from './serialize.js'

/**
 * The cache as MSAL's unified-schema document: sections by name, each section's entries by
 * their cache key, exactly as parsed or written (a value: never modified; every write
 * returns a new document sharing what it did not change). `AccessToken` and `AppMetadata`,
 * when present, are objects; any other section may hold anything.
 *
 * @category model
 * @since 0.1.0
 */
export interface AppTokenCache {
  readonly AccessToken?: Readonly<Record<string, unknown>>
  readonly AppMetadata?: Readonly<Record<string, unknown>>
  readonly [section: string]: unknown
}

/**
 * The empty app-token cache (written as the five empty MSAL sections).
 *
 * @category constructors
 * @since 0.1.0
 */
export const emptyAppTokenCache: AppTokenCache = {}

/**
 * What {@link findAppToken} looks for: an {@link AccessTokenQuery} for the application
 * itself (no home account, no expiry filter: the lookup takes the time itself).
 *
 * @category model
 * @since 0.1.0
 */
export type AppTokenQuery = Omit<AccessTokenQuery, 'homeAccountId' | 'nowSeconds'>

/**
 * Reads MSAL unified-schema JSON as an app-token cache: the parsed document itself. Reads
 * what `deserialize` reads and refuses what it refuses, with the same `DecodeError` (broken
 * JSON, a top level or a known section that is not an object, nesting deeper than
 * `MAX_CACHE_DEPTH`); `''` is the empty cache. Never throws. O(n).
 *
 * @example
 * ```ts
 * import { appTokenCacheFromJson } from '@authfold/cache'
 *
 * const cache = appTokenCacheFromJson('{"AccessToken":{}}') // Right({ AccessToken: {} })
 * ```
 * @category serialization
 * @since 0.1.0
 * @see MSAL Python `SerializableTokenCache.deserialize`
 */
export const appTokenCacheFromJson = (text: string): E.Either<DecodeError, AppTokenCache> => {
  if (text.trim() === '') return right(emptyAppTokenCache)
  const parsed = parseCacheJson(text)
  if (parsed._tag === 'Left') return parsed
  const error = cacheDocumentError(parsed.right)
  return error === undefined ? right(parsed.right as AppTokenCache) : left(error)
}

/**
 * The cache as MSAL unified-schema JSON, byte for byte what `serialize` writes for the same
 * document: the five MSAL sections always (empty ones as `{}`), every object's keys sorted at
 * every depth, compact. O(n log n).
 *
 * @category serialization
 * @since 0.1.0
 * @see MSAL Python `SerializableTokenCache.serialize`
 */
export const appTokenCacheToJson = (cache: AppTokenCache): string =>
  JSON.stringify(sortKeysDeep({ AccessToken: {}, Account: {}, AppMetadata: {}, IdToken: {}, RefreshToken: {}, ...cache }))

/** An entry the full cache reads (and so serves and replaces): an object of the section's shape that belongs to it. */
const readable = <A>(name: SectionName, shape: EntityShape, v: unknown): v is A => isObject(v) && hasShape(shape)(v) && belongs(name, v)

const readableAccessToken = (v: unknown): v is AccessTokenEntity => readable<AccessTokenEntity>(CredentialType.ACCESS_TOKEN, accessTokenShape, v)

/** The position of the first of `xs` equal to `x` (case-insensitive), -1 when none is. */
const indexOfEqi = (xs: ReadonlyArray<string>, x: string): number => xs.findIndex((y) => eqi(y, x))

/**
 * The cached app token MSAL would serve at `nowSeconds` (which may have a fraction): the
 * first `AccessToken` entry that answers the query (the matching rules of
 * `findAccessTokens`, for `home_account_id` absent, `null` or `''`) with at least five
 * minutes left before its `expires_on` (the test grants' `cachedAccessToken` applies), in
 * the full lookup's order (the query's environments in turn; for another scheme than
 * Bearer, `AccessToken` entries before `AccessToken_With_AuthScheme` ones); `undefined`
 * when there is none. A linear scan of the section (see the module comment).
 *
 * Where the full cache holds two usable tokens of one slot for the same scopes (no fold
 * writes that; only a hand-made document has it), it serves either (its index's order);
 * this serves the first by key order.
 *
 * @example
 * ```ts
 * import { findAppToken, type AppTokenCache } from '@authfold/cache'
 *
 * declare const cache: AppTokenCache
 * const entry = findAppToken(cache, { clientId: 'app', environments: ['login.microsoftonline.com'], realm: 'contoso', scopes: ['https://graph.microsoft.com/.default'] }, Date.now() / 1000)
 * ```
 * @category queries
 * @since 0.1.0
 * @see MSAL Python `_acquire_token_silent_from_cache_and_possibly_refresh_it`
 */
export const findAppToken = (cache: AppTokenCache, query: AppTokenQuery, nowSeconds: number): AccessTokenEntity | undefined => {
  const matches = matchesAccessTokenQuery({ ...query, homeAccountId: '' })
  const types = accessTokenCredentialTypesFor(query.tokenType)
  const section = cache.AccessToken ?? {}
  let found: AccessTokenEntity | undefined
  let rank = Infinity
  for (const key of Object.keys(section)) {
    const e = section[key]
    // the margin of grants' EXPIRY_MARGIN_SECONDS (MSAL's five minutes), compared as there
    if (!readableAccessToken(e) || !matches(e) || !(Number(e.expires_on) - nowSeconds >= 300)) continue
    const r = indexOfEqi(query.environments, e.environment ?? '') * types.length + indexOfEqi(types, e.credential_type)
    if (r < rank) {
      found = e
      rank = r
    }
  }
  return found
}

/** The section without the entries `drop` names (a copy; `undefined` reads as empty). */
const without = (section: Readonly<Record<string, unknown>> | undefined, drop: (v: unknown) => boolean): Record<string, unknown> =>
  Object.fromEntries(Object.entries(section ?? {}).filter(([, v]) => !drop(v)))

/**
 * Writes an application token answer (client credentials) into the cache: what
 * `addAppTokenResponse` writes, field for field and key for key. The access token (if the
 * answer has one) under MSAL's key, after removing the readable access tokens of its slot
 * (client, environment, realm, token type, no account) whose targets share a scope with
 * it; the app metadata under `appmetadata-<environment>-<client_id>`, replacing the
 * client's entry for that environment. Pure: returns a new document.
 *
 * @example
 * ```ts
 * import { emptyAppTokenCache, putAppToken } from '@authfold/cache'
 *
 * const cache = putAppToken(emptyAppTokenCache, { clientId: 'app', environment: 'login.microsoftonline.com', realm: 'contoso', scopes: ['https://graph.microsoft.com/.default'], response: { access_token: 'at', expires_in: 3600 }, nowSeconds: 1_700_000_000 })
 * ```
 * @category fold
 * @since 0.1.0
 * @see MSAL Python `TokenCache.add` (an `acquire_token_for_client` event)
 */
export const putAppToken = (cache: AppTokenCache, e: TokenEvent): AppTokenCache => {
  const at = accessTokenEntityOf(e, undefined)
  const am: AppMetadataEntity = { client_id: e.clientId, environment: e.environment, ...(e.response.foci !== undefined ? { family_id: e.response.foci } : {}) }
  const next: Record<string, unknown> = {
    ...cache,
    AppMetadata: {
      ...without(cache.AppMetadata, (v) => readable<AppMetadataEntity>(CredentialType.APP_METADATA, appMetadataShape, v) && eqi(v.client_id, am.client_id) && eqi(v.environment, am.environment)),
      [appMetadataKey(am)]: am,
    },
  }
  if (at === undefined) return next
  const slot = accessTokenEntitySlot(at)
  next['AccessToken'] = {
    ...without(cache.AccessToken, (v) => readableAccessToken(v) && accessTokenEntitySlot(v) === slot && targetsIntersect(v.target, at.target)),
    [accessTokenKey(at)]: at,
  }
  return next
}

/**
 * Removes a client's app tokens: what `removeAppTokens` removes from the full cache (the
 * readable access tokens of `clientId` with no account, in one of `environments` and `realm`
 * when given), nothing else. Pure: returns a new document (the same one when nothing goes).
 *
 * @example
 * ```ts
 * import { removeAppTokensFromTable, type AppTokenCache } from '@authfold/cache'
 *
 * declare const cache: AppTokenCache
 * const next = removeAppTokensFromTable({ clientId: 'app', environments: ['login.microsoftonline.com'] })(cache)
 * ```
 * @category fold
 * @since 0.1.0
 * @see MSAL Python `ConfidentialClientApplication.remove_tokens_for_client`
 */
export const removeAppTokensFromTable =
  (q: { readonly clientId: string; readonly environments?: ReadonlyArray<string>; readonly realm?: string }) =>
  (cache: AppTokenCache): AppTokenCache => {
    const gone = (v: unknown): boolean =>
      readableAccessToken(v) &&
      eqi(v.client_id, q.clientId) &&
      (v.home_account_id ?? '') === '' &&
      (q.environments === undefined || q.environments.some((env) => eqi(v.environment, env))) &&
      (q.realm === undefined || eqi(v.realm, q.realm))
    const kept = without(cache.AccessToken, gone)
    return Object.keys(kept).length === Object.keys(cache.AccessToken ?? {}).length ? cache : { ...cache, AccessToken: kept }
  }
