/**
 * `@authfold/cache`: MSAL's unified token cache as pure functions over an immutable,
 * indexed `CacheState`.
 *
 * - `addTokenResponse(event)(state)`: MSAL Python's `TokenCache.add`.
 * - `findAccessTokens`, `findRefreshTokens`, `findIdTokens`, `getAccounts`,
 *   `getAppMetadata` / `familyIdOf`: index lookups, cost independent of cache size.
 * - `removeAppTokens`, `signOut`, `removeAccount`, `removeAccessToken`,
 *   `removeRefreshToken`, `removeIdToken`, `removeAccountEntity`, `updateRefreshToken`,
 *   `removeExpiredAccessTokens`.
 * - `serialize` / `deserialize`: MSAL unified-schema JSON, read and written by MSAL Python
 *   and msal-node alike; unknown sections and fields survive.
 * - `rebase(before, after, current)`: replay one writer's changes onto a newer state.
 * - `rebaseDocument(before, after, current)`: the same for a cache kept as MSAL's JSON document (the app-token table).
 * - `computeExtCacheKey`: FMI path isolation, hash-compatible with MSAL Python/Go/.NET.
 * - `AppTokenCache` (`findAppToken`, `putAppToken`, `appTokenCacheFromJson`,
 *   `appTokenCacheToJson`): app tokens only, over the MSAL document itself, unindexed: the
 *   same answers, writes and JSON as the full cache, in a fraction of its code.
 *
 * Where authfold deliberately differs from MSAL Python 1.x (each documented at its function):
 *
 * - Lookups never depend on stored keys, only on fields (case-insensitive ids), so caches
 *   with other SDKs' key layouts or wrong keys answer the same; stored keys are kept.
 * - A new access token replaces same-slot tokens whose target overlaps (msal-common's
 *   rule); `key_id`, `ext_cache_key` and `user_assertion_hash` isolate slots (absent
 *   matches absent only).
 * - Refresh tokens are keyed as MSAL Python keys them (`<hid>-<env>-refreshtoken-<client_id>--<target>`,
 *   so its refresh of an authfold entry lands on that entry), but a new one replaces the
 *   account's previous one for that app or family whatever its key (MSAL Python keeps one
 *   per scope set).
 * - An account update keeps fields the answer cannot tell (username / local id with no
 *   id_token) and fields other SDKs added.
 * - A broken id_token or client_info never fails a fold: the IdToken entry is skipped,
 *   the rest is stored.
 * - Expired access tokens are not dropped while searching (queries are pure); pass
 *   `nowSeconds` to a query to leave them out, or call `removeExpiredAccessTokens`.
 * - `deserialize` reads what MSAL Java, MSAL .NET and msal-node read: `null` in an optional
 *   field is absent, and an entry it does not understand (a credential without `secret`, a
 *   field of the wrong type, a token bound to parameters authfold never sends) is kept
 *   verbatim in `CacheState.unreadable`, written back by `serialize`, never served. Only
 *   broken JSON, a section that is not an object, or nesting deeper than `MAX_CACHE_DEPTH`
 *   is a `Left(DecodeError)` naming its path.
 * - A Bearer lookup serves only `credential_type: "AccessToken"` entries of token type
 *   Bearer, never msal-node's `AccessToken_With_AuthScheme` (PoP, SSH) tokens.
 *
 * @module
 */
export * from './schema.js'
export * from './entityCodecs.js'
export * from './entityShapes.js'
export * from './keys.js'
export * from './state.js'
export * from './bucketScan.js'
export * from './claims.js'
export * from './fold.js'
export * from './accessTokens.js'
export * from './refreshTokens.js'
export * from './idTokens.js'
export * from './accounts.js'
export * from './appMetadata.js'
export * from './remove.js'
export * from './serialize.js'
export * from './deserialize.js'
export * from './extCacheKey.js'
export * from './rebase.js'
export * from './sectionRebase.js'
export * from './store/store.js'
export * from './store/aesGcm.js'
export * from './assertionTokens.js'
export * from './store/boundedStore.js'
export * from './appTokenTable.js'
