/**
 * io-ts codecs of the unified cache schema's entries (see `schema.ts` for the model). Kept
 * apart from the model so an app that never loads a serialized cache bundles no io-ts.
 *
 * @module
 */
import * as t from 'io-ts'

const NullableString = /*#__PURE__*/ t.union([t.string, t.null], 'string | null')

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
export const AccessTokenEntityCodec = /*#__PURE__*/ t.intersection([
  /*#__PURE__*/ t.type({ credential_type: t.string, secret: t.string }),
  /*#__PURE__*/ t.partial({
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
    last_modification_time: t.string,
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
    name: t.string,
    client_info: t.string,
    last_modification_time: t.string,
    last_modification_app: t.string,
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
