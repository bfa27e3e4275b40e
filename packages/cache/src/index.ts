/**
 * `@authfold/cache`: MSAL's unified token cache as pure functions over an immutable,
 * indexed `CacheState`.
 *
 * @module
 */
export * from './hamt.js'
export * from './schema.js'
export * from './keys.js'
export * from './state.js'
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
