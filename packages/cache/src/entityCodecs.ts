/**
 * io-ts codecs of the unified cache schema's entries (see `schema.ts` for the model). Kept
 * apart from the model so an app that never loads a serialized cache bundles no io-ts.
 *
 * @module
 */
import * as t from 'io-ts'

/**
 * Every optional field may be `null`: other SDKs write `null` for a value they do not have
 * (MSAL .NET's `"user_assertion_hash": null`, MSAL Python's `"home_account_id": null`).
 * Lookups read `null` as absent; the entry keeps it and `serialize` writes it back.
 */
const NullableString = /*#__PURE__*/ t.union([t.string, t.null], 'string | null')

/**
 * Codec of an `AccessToken` entry. `credential_type` and `secret` are required strings;
 * every other known field is a string or `null` when present. An entry that fails this
 * codec is not an error: `deserialize` keeps it verbatim and no lookup serves it.
 *
 * Key-id and user-assertion-hash fields exist under several spellings in the wild: MSAL
 * Python and msal-node write `key_id`, MSAL .NET `kid` (`StorageJsonKeys.KeyId`), and
 * `keyid` is read too; MSAL .NET and MSAL Java write `user_assertion_hash`,
 * msal-node `userAssertionHash`. authfold writes `key_id` and `user_assertion_hash` and
 * reads them all.
 *
 * @category codecs
 * @since 0.1.0
 * @see MSAL Python `TokenCache._TokenCache__add` (the `at` dict)
 */
export const AccessTokenEntityCodec = /*#__PURE__*/ t.intersection([
  /*#__PURE__*/ t.type({ credential_type: t.string, secret: t.string }),
  /*#__PURE__*/ t.partial({
    home_account_id: NullableString,
    environment: NullableString,
    client_id: NullableString,
    realm: NullableString,
    target: NullableString,
    token_type: NullableString,
    cached_at: NullableString,
    expires_on: NullableString,
    extended_expires_on: NullableString,
    refresh_on: NullableString,
    key_id: NullableString,
    keyid: NullableString,
    kid: NullableString,
    user_assertion_hash: NullableString,
    userAssertionHash: NullableString,
    ext_cache_key: NullableString,
  }),
])

/**
 * Codec of a `RefreshToken` entry.
 *
 * @category codecs
 * @since 0.1.0
 * @see MSAL Python `TokenCache._TokenCache__add` (the `rt` dict)
 */
export const RefreshTokenEntityCodec = /*#__PURE__*/ t.intersection([
  /*#__PURE__*/ t.type({ credential_type: t.string, secret: t.string }),
  /*#__PURE__*/ t.partial({
    home_account_id: NullableString,
    environment: NullableString,
    client_id: NullableString,
    realm: NullableString,
    target: NullableString,
    family_id: NullableString,
    last_modification_time: NullableString,
    user_assertion_hash: NullableString,
  }),
])

/**
 * Codec of an `IdToken` entry.
 *
 * @category codecs
 * @since 0.1.0
 * @see MSAL Python `TokenCache._TokenCache__add` (the `idt` dict)
 */
export const IdTokenEntityCodec = /*#__PURE__*/ t.intersection([
  /*#__PURE__*/ t.type({ credential_type: t.string, secret: t.string }),
  /*#__PURE__*/ t.partial({
    home_account_id: NullableString,
    environment: NullableString,
    client_id: NullableString,
    realm: NullableString,
  }),
])

/**
 * Codec of an `Account` entry. `home_account_id` and `environment` are required.
 *
 * @category codecs
 * @since 0.1.0
 * @see MSAL Python `TokenCache._TokenCache__add` (the `account` dict)
 */
export const AccountEntityCodec = /*#__PURE__*/ t.intersection([
  /*#__PURE__*/ t.type({ home_account_id: t.string, environment: t.string }),
  /*#__PURE__*/ t.partial({
    realm: NullableString,
    local_account_id: NullableString,
    username: NullableString,
    authority_type: NullableString,
    account_source: NullableString,
    name: NullableString,
    client_info: NullableString,
    last_modification_time: NullableString,
    last_modification_app: NullableString,
  }),
])

/**
 * Codec of an `AppMetadata` entry.
 *
 * @category codecs
 * @since 0.1.0
 * @see MSAL Python `TokenCache._TokenCache__add` (the `app_metadata` dict)
 */
export const AppMetadataEntityCodec = /*#__PURE__*/ t.intersection([
  /*#__PURE__*/ t.type({ client_id: t.string, environment: t.string }),
  /*#__PURE__*/ t.partial({ family_id: NullableString }),
])
