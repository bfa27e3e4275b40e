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
 * Every optional field may be `null`: MSAL Python writes `"home_account_id": null` for
 * application tokens, MSAL .NET `"user_assertion_hash": null`, and other SDKs may leave
 * `target` or `realm` null. `null` reads as absent everywhere (use {@link str},
 * {@link nonEmpty}, {@link secondsOf}) and is written back as it was read.
 *
 * @module
 */
import type * as t from 'io-ts'
import type { AccessTokenEntityCodec, AccountEntityCodec, AppMetadataEntityCodec, IdTokenEntityCodec, RefreshTokenEntityCodec } from './entityCodecs.js'

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
 * The `credential_type` msal-node (msal-common) writes for an access token of another
 * scheme than Bearer (PoP, SSH certificate, DPoP). MSAL Python and MSAL .NET write such
 * tokens as `AccessToken` with their `token_type`. A Bearer lookup serves neither.
 *
 * @category model
 * @since 0.1.0
 * @see msal-common `CredentialType.ACCESS_TOKEN_WITH_AUTH_SCHEME`
 */
export const ACCESS_TOKEN_WITH_AUTH_SCHEME = 'AccessToken_With_AuthScheme'

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

/**
 * An `AccessToken` entry.
 *
 * @category model
 * @since 0.1.0
 */
export interface AccessTokenEntity extends t.TypeOf<typeof AccessTokenEntityCodec> {}

/**
 * A `RefreshToken` entry. `family_id` is set for family (FOCI) refresh tokens.
 *
 * @category model
 * @since 0.1.0
 */
export interface RefreshTokenEntity extends t.TypeOf<typeof RefreshTokenEntityCodec> {}

/**
 * An `IdToken` entry (the raw id_token in `secret`).
 *
 * @category model
 * @since 0.1.0
 */
export interface IdTokenEntity extends t.TypeOf<typeof IdTokenEntityCodec> {}

/**
 * An `Account` entry.
 *
 * @category model
 * @since 0.1.0
 */
export interface AccountEntity extends t.TypeOf<typeof AccountEntityCodec> {}

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
 * The one case-insensitive compare of cache fields (ids, environments, realms, scopes): an
 * absent or `null` field reads as `''`, as MSAL compares them.
 *
 * @category utils
 * @since 0.1.0
 */
export const eqi = (a: string | null | undefined, b: string | null | undefined): boolean => a === b || str(a).toLowerCase() === str(b).toLowerCase()

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
 * A time MSAL stores as a string that may be absent (`refresh_on`): `undefined` when it is
 * missing, `null`, `''` or not a number, else the number of seconds.
 *
 * @category utils
 * @since 0.1.0
 */
export const optionalSecondsOf = (v: string | null | undefined): number | undefined => {
  if (v === undefined || v === null || v.trim() === '') return undefined
  const n = Number(v)
  return Number.isFinite(n) ? n : undefined
}

/**
 * The key id of an access token under any spelling (`key_id`: MSAL Python, msal-node;
 * `kid`: MSAL .NET; `keyid`); empty or `null` reads as none.
 *
 * @category utils
 * @since 0.1.0
 */
export const keyIdOf = (e: AccessTokenEntity): string | undefined => nonEmpty(e.key_id) ?? nonEmpty(e.kid) ?? nonEmpty(e.keyid)

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
