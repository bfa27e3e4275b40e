/**
 * The access-token "slot": the identity fields an access token must match exactly (all but
 * its target), as one string. The full cache indexes access tokens by it (`state.ts`), and
 * a fold replaces the tokens of the new token's slot whose targets overlap; the app-token
 * table (`appTokenTable.ts`) compares slots the same way without the index.
 *
 * @module
 */
import { CredentialType, keyIdOf, nonEmpty, str, tokenTypeOf, userAssertionHashOf, type AccessTokenEntity } from './schema.js'

/**
 * Builds a bucket key from fields compared exactly (key ids, hashes), not lower-cased.
 *
 * @category indexes
 * @since 0.1.0
 * @internal
 */
export const exact = (v: string | undefined): string => (v === undefined ? '' : `=${v}`)

/**
 * The access-token "slot" of an entry or a query: every field an access token must
 * match exactly, i.e. everything but the target. `credentialType` defaults to
 * `AccessToken`; msal-node's `AccessToken_With_AuthScheme` tokens live in slots of their own.
 *
 * @category indexes
 * @since 0.1.0
 */
export const accessTokenSlot = (f: {
  readonly clientId: string
  readonly homeAccountId: string
  readonly environment: string
  readonly realm: string
  readonly tokenType: string
  readonly credentialType?: string
  readonly keyId: string | undefined
  readonly extCacheKey: string | undefined
  readonly userAssertionHash: string | undefined
}): string =>
  // concatenation rather than arrays and joins: every access-token lookup builds one
  f.clientId.toLowerCase() +
  '\u0000' +
  f.homeAccountId.toLowerCase() +
  '\u0000' +
  f.environment.toLowerCase() +
  '\u0000' +
  f.realm.toLowerCase() +
  '\u0000' +
  f.tokenType.toLowerCase() +
  '\u0000' +
  (f.credentialType ?? CredentialType.ACCESS_TOKEN).toLowerCase() +
  '\u0000' +
  exact(f.keyId) +
  '\u0000' +
  exact(f.extCacheKey) +
  '\u0000' +
  exact(f.userAssertionHash)

/**
 * The slot of a stored access token (see {@link accessTokenSlot}).
 *
 * @category indexes
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const accessTokenEntitySlot = (e: AccessTokenEntity): string =>
  accessTokenSlot({
    clientId: str(e.client_id),
    homeAccountId: str(e.home_account_id),
    environment: str(e.environment),
    realm: str(e.realm),
    tokenType: tokenTypeOf(e),
    credentialType: e.credential_type,
    keyId: keyIdOf(e),
    extCacheKey: nonEmpty(e.ext_cache_key),
    userAssertionHash: userAssertionHashOf(e),
  })


