/**
 * MSAL's unified token cache schema: the five sections (`AccessToken`, `RefreshToken`,
 * `IdToken`, `Account`, `AppMetadata`) and their entries, field for field as MSAL Python
 * and msal-node write them.
 *
 * Entries are plain JSON objects with MSAL's snake_case field names. The codecs keep
 * every field they do not know (io-ts `type` does not strip), so a field added by
 * another SDK survives a load and a save untouched.
 *
 * Numbers MSAL writes as strings (`cached_at`, `expires_on`, `extended_expires_on`,
 * `refresh_on`, `last_modification_time`) are strings here too; read them with
 * {@link secondsOf}.
 *
 * Identity fields (`home_account_id`, `environment`, `client_id`, `realm`, `target`)
 * may be `null`: MSAL Python writes `"home_account_id": null` for application tokens,
 * and other SDKs may leave `target` or `realm` null. Read them with {@link str}.
 *
 * @module
 */
import * as t from 'io-ts'

/**
 * The names of the five sections MSAL writes.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `TokenCache.CredentialType`
 */
export const CredentialType = {
  ACCESS_TOKEN: 'AccessToken',
  REFRESH_TOKEN: 'RefreshToken',
  ID_TOKEN: 'IdToken',
  ACCOUNT: 'Account',
  APP_METADATA: 'AppMetadata',
} as const

/**
 * One of MSAL's section names.
 *
 * @category model
 * @since 0.1.0
 */
export type SectionName = (typeof CredentialType)[keyof typeof CredentialType]

/**
 * The authority types MSAL writes in `Account.authority_type`
 * (`MSSTS` is Entra ID v2 for both work and personal accounts).
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `TokenCache.AuthorityType`
 */
export type AuthorityType = 'MSSTS' | 'ADFS' | 'Generic'

const NullableString = t.union([t.string, t.null], 'string | null')

/**
 * Codec of an `AccessToken` entry. `credential_type` and `secret` are required; the rest
 * is checked for type when present.
 *
 * Key-id and user-assertion-hash fields exist under two spellings in the wild: MSAL
 * Python and msal-node write `key_id`, MSAL .NET `keyid`; MSAL .NET writes
 * `user_assertion_hash`, msal-node `userAssertionHash`. authfold writes `key_id` and
 * `user_assertion_hash` and reads all four.
 *
 * @category codecs
 * @since 0.1.0
 * @see MSAL Python `TokenCache._TokenCache__add` (the `at` dict)
 */
export const AccessTokenEntityCodec = t.intersection([
  t.type({ credential_type: t.string, secret: t.string }),
  t.partial({
    home_account_id: NullableString,
    environment: NullableString,
    client_id: NullableString,
    realm: NullableString,
    target: NullableString,
    token_type: NullableString,
    cached_at: t.string,
    expires_on: t.string,
    extended_expires_on: t.string,
    refresh_on: t.string,
    key_id: t.string,
    keyid: t.string,
    user_assertion_hash: t.string,
    userAssertionHash: t.string,
    ext_cache_key: t.string,
  }),
])

/**
 * An `AccessToken` entry.
 *
 * @category model
 * @since 0.1.0
 */
export interface AccessTokenEntity extends t.TypeOf<typeof AccessTokenEntityCodec> {}

/**
 * Codec of a `RefreshToken` entry.
 *
 * @category codecs
 * @since 0.1.0
 * @see MSAL Python `TokenCache._TokenCache__add` (the `rt` dict)
 */
export const RefreshTokenEntityCodec = t.intersection([
  t.type({ credential_type: t.string, secret: t.string }),
  t.partial({
    home_account_id: NullableString,
    environment: NullableString,
    client_id: NullableString,
    realm: NullableString,
    target: NullableString,
    family_id: NullableString,
    last_modification_time: t.string,
  }),
])

/**
 * A `RefreshToken` entry. `family_id` is set for family (FOCI) refresh tokens.
 *
 * @category model
 * @since 0.1.0
 */
export interface RefreshTokenEntity extends t.TypeOf<typeof RefreshTokenEntityCodec> {}

/**
 * Codec of an `IdToken` entry.
 *
 * @category codecs
 * @since 0.1.0
 * @see MSAL Python `TokenCache._TokenCache__add` (the `idt` dict)
 */
export const IdTokenEntityCodec = t.intersection([
  t.type({ credential_type: t.string, secret: t.string }),
  t.partial({
    home_account_id: NullableString,
    environment: NullableString,
    client_id: NullableString,
    realm: NullableString,
  }),
])

/**
 * An `IdToken` entry (the raw id_token in `secret`).
 *
 * @category model
 * @since 0.1.0
 */
export interface IdTokenEntity extends t.TypeOf<typeof IdTokenEntityCodec> {}

/**
 * Codec of an `Account` entry. `home_account_id` and `environment` are required.
 *
 * @category codecs
 * @since 0.1.0
 * @see MSAL Python `TokenCache._TokenCache__add` (the `account` dict)
 */
export const AccountEntityCodec = t.intersection([
  t.type({ home_account_id: t.string, environment: t.string }),
  t.partial({
    realm: NullableString,
    local_account_id: NullableString,
    username: NullableString,
    authority_type: NullableString,
    account_source: NullableString,
    name: t.string,
    client_info: t.string,
    last_modification_time: t.string,
    last_modification_app: t.string,
  }),
])

/**
 * An `Account` entry.
 *
 * @category model
 * @since 0.1.0
 */
export interface AccountEntity extends t.TypeOf<typeof AccountEntityCodec> {}

/**
 * Codec of an `AppMetadata` entry.
 *
 * @category codecs
 * @since 0.1.0
 * @see MSAL Python `TokenCache._TokenCache__add` (the `app_metadata` dict)
 */
export const AppMetadataEntityCodec = t.intersection([
  t.type({ client_id: t.string, environment: t.string }),
  t.partial({ family_id: NullableString }),
])

/**
 * An `AppMetadata` entry; `family_id` is the app's FOCI family when the IdP said so.
 *
 * @category model
 * @since 0.1.0
 */
export interface AppMetadataEntity extends t.TypeOf<typeof AppMetadataEntityCodec> {}

/**
 * Reads an identity field that may be missing or `null` (MSAL's "raw value could be
 * None") as a string, `''` when absent.
 *
 * @category utils
 * @since 0.1.0
 */
export const str = (v: string | null | undefined): string => v ?? ''

/**
 * Reads a number MSAL stores as a string (`expires_on`, ...). Missing or unreadable
 * values read as `0`, which every expiry check treats as long expired.
 *
 * @category utils
 * @since 0.1.0
 */
export const secondsOf = (v: string | null | undefined): number => {
  if (v === undefined || v === null) return 0
  const n = Number(v)
  return Number.isFinite(n) ? n : 0
}

/**
 * The key id of an access token under either spelling (`key_id`, `keyid`); empty reads as none.
 *
 * @category utils
 * @since 0.1.0
 */
export const keyIdOf = (e: AccessTokenEntity): string | undefined => nonEmpty(e.key_id) ?? nonEmpty(e.keyid)

/**
 * The OBO user-assertion hash under either spelling (`user_assertion_hash`, `userAssertionHash`).
 *
 * @category utils
 * @since 0.1.0
 */
export const userAssertionHashOf = (e: AccessTokenEntity): string | undefined =>
  nonEmpty(e.user_assertion_hash) ?? nonEmpty(e.userAssertionHash)

/**
 * `undefined` for `undefined`, `null` and `''`; the string otherwise. Optional
 * isolation fields (`key_id`, `ext_cache_key`, `user_assertion_hash`) treat empty as absent.
 *
 * @category utils
 * @since 0.1.0
 */
export const nonEmpty = (v: string | null | undefined): string | undefined => (v === undefined || v === null || v === '' ? undefined : v)

/**
 * The token type of an access token, `Bearer` when the entry has none.
 *
 * @category utils
 * @since 0.1.0
 */
export const tokenTypeOf = (e: AccessTokenEntity): string => e.token_type ?? 'Bearer'

/**
 * Splits a space-separated `target` into scopes (empty strings dropped).
 *
 * @category utils
 * @since 0.1.0
 */
export const scopesOf = (target: string | null | undefined): ReadonlyArray<string> =>
  str(target)
    .split(/\s+/)
    .filter((s) => s !== '')
