/**
 * Cache keys, as MSAL writes them.
 *
 * Keys are where a new entry is written. They are never used to look an entry up:
 * lookups go through the field indexes (see `state.ts`), so a cache written by another
 * SDK with another key layout (msal-node appends a token-scheme segment, older MSAL
 * Python kept the scope order, a hand-edited file may hold a wrong key) loads and
 * answers queries the same. A stored key is kept as it is, even when it does not match
 * its entry's fields (MSAL Python does the same).
 *
 * @module
 */
import { str, type AccessTokenEntity, type AccountEntity, type AppMetadataEntity, type IdTokenEntity, type RefreshTokenEntity } from './schema.js'

type Fields<E> = { readonly [K in keyof E]?: E[K] | undefined }

/**
 * `<home_account_id>-<environment>-accesstoken-<client_id>-<realm>-<target>`, lower-cased.
 * With an `ext_cache_key` (FMI path isolation) the credential segment becomes `atext` and
 * the hash is appended: `<hid>-<env>-atext-<client_id>-<realm>-<target>-<ext_cache_key>`,
 * the layout MSAL Python, Go and .NET share.
 *
 * A token bound to a key (an SSH certificate, a PoP token: it has a `key_id`) gets two more
 * segments: its token type, lower-cased, then its `key_id` as given (key ids compare
 * exactly): `<hid>-<env>-accesstoken-<client_id>-<realm>-<target>-ssh-cert-<key_id>`.
 * MSAL Python 1.21 writes such a token under the Bearer key (the SSH certificate then
 * replaces the Bearer token of the same scopes); msal-node appends the scheme but not the
 * key id (two key ids then replace each other). Here all three coexist. Lookups go by
 * fields (`key_id`, `token_type`), so MSAL Python and msal-node still read the entry.
 *
 * @category keys
 * @since 0.1.0
 * @see MSAL Python `TokenCache.key_makers[CredentialType.ACCESS_TOKEN]`
 */
export const accessTokenKey = (e: Fields<AccessTokenEntity>): string => {
  const ext = str(e.ext_cache_key)
  const parts = [
    str(e.home_account_id),
    str(e.environment),
    ext === '' ? 'AccessToken' : 'atext',
    str(e.client_id),
    str(e.realm),
    str(e.target),
  ]
  if (ext !== '') parts.push(ext)
  const tokenType = str(e.token_type)
  const keyId = str(e.key_id)
  if (keyId === '') return parts.join('-').toLowerCase()
  parts.push(tokenType === '' ? 'bearer' : tokenType)
  return `${parts.join('-').toLowerCase()}-${keyId}`
}

/**
 * `<home_account_id>-<environment>-refreshtoken-<client_id>--<target>`, lower-cased: MSAL
 * Python 1.21's key, computed from the entry's own fields (a family token too is keyed by
 * its `client_id`, not its `family_id`; the realm slot is empty, a refresh token being
 * cross-tenant).
 *
 * Why MSAL Python's layout: its `update_rt` (a refresh) recomputes the key from the fields
 * of the entry it refreshed and writes there, so an entry stored under any other key gets a
 * second refresh token beside it. With this key, MSAL Python's refresh of a token authfold
 * wrote lands on the same entry. msal-node 7.2 writes every refresh token it receives under
 * its own key (`…-refreshtoken-<family_id or client_id>---`, in its `preferred_cache`
 * environment) and never removes the one it redeemed; no key satisfies both rules (see the
 * README's cache interop section). Lookups do not depend on keys.
 *
 * @category keys
 * @since 0.1.0
 * @see MSAL Python `TokenCache.key_makers[CredentialType.REFRESH_TOKEN]`
 */
export const refreshTokenKey = (e: Fields<RefreshTokenEntity>): string =>
  [str(e.home_account_id), str(e.environment), 'RefreshToken', str(e.client_id), '', str(e.target)].join('-').toLowerCase()

/**
 * `<home_account_id>-<environment>-idtoken-<client_id>-<realm>-` (empty target), lower-cased.
 *
 * @category keys
 * @since 0.1.0
 * @see MSAL Python `TokenCache.key_makers[CredentialType.ID_TOKEN]`
 */
export const idTokenKey = (e: Fields<IdTokenEntity>): string =>
  [str(e.home_account_id), str(e.environment), 'IdToken', str(e.client_id), str(e.realm), ''].join('-').toLowerCase()

/**
 * `<home_account_id>-<environment>-<realm>`, lower-cased.
 *
 * @category keys
 * @since 0.1.0
 * @see MSAL Python `TokenCache.key_makers[CredentialType.ACCOUNT]`
 */
export const accountKey = (e: Fields<AccountEntity>): string =>
  [str(e.home_account_id), str(e.environment), str(e.realm)].join('-').toLowerCase()

/**
 * `appmetadata-<environment>-<client_id>` (not lower-cased, as MSAL Python writes it).
 *
 * @category keys
 * @since 0.1.0
 * @see MSAL Python `TokenCache.key_makers[CredentialType.APP_METADATA]`
 */
export const appMetadataKey = (e: Fields<AppMetadataEntity>): string =>
  `appmetadata-${str(e.environment)}-${str(e.client_id)}`
