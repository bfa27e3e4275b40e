/**
 * The fields of each unified-schema entry as plain data, and the one check `deserialize`
 * runs on every entry. The same fields as the io-ts codecs of `entityCodecs.ts` (a type
 * test holds them equal), without io-ts at run time, so an app that loads a cache (every
 * facade: `deserializeCache`) bundles no classic io-ts.
 *
 * @module
 */

/**
 * The fields of one kind of entry: the ones that must be strings, and the ones that may be
 * absent, `null` or a string. Any other field is kept as it is and not checked.
 *
 * @category model
 * @since 0.1.0
 */
export interface EntityShape<R extends string = string, O extends string = string> {
  readonly required: ReadonlyArray<R>
  readonly optional: ReadonlyArray<O>
}

const CREDENTIAL = ['home_account_id', 'environment', 'client_id', 'realm'] as const

/**
 * An `AccessToken` entry (see `AccessTokenEntityCodec`).
 *
 * @category shapes
 * @since 0.1.0
 */
export const accessTokenShape = {
  required: ['credential_type', 'secret'],
  optional: [
    ...CREDENTIAL,
    'target',
    'token_type',
    'cached_at',
    'expires_on',
    'extended_expires_on',
    'refresh_on',
    'key_id',
    'keyid',
    'kid',
    'user_assertion_hash',
    'userAssertionHash',
    'ext_cache_key',
  ],
} as const satisfies EntityShape

/**
 * A `RefreshToken` entry.
 *
 * @category shapes
 * @since 0.1.0
 */
export const refreshTokenShape = {
  required: ['credential_type', 'secret'],
  optional: [...CREDENTIAL, 'target', 'family_id', 'last_modification_time', 'user_assertion_hash'],
} as const satisfies EntityShape

/**
 * An `IdToken` entry.
 *
 * @category shapes
 * @since 0.1.0
 */
export const idTokenShape = { required: ['credential_type', 'secret'], optional: CREDENTIAL } as const satisfies EntityShape

/**
 * An `Account` entry.
 *
 * @category shapes
 * @since 0.1.0
 */
export const accountShape = {
  required: ['home_account_id', 'environment'],
  optional: ['realm', 'local_account_id', 'username', 'authority_type', 'account_source', 'name', 'client_info', 'last_modification_time', 'last_modification_app'],
} as const satisfies EntityShape

/**
 * An `AppMetadata` entry.
 *
 * @category shapes
 * @since 0.1.0
 */
export const appMetadataShape = { required: ['client_id', 'environment'], optional: ['family_id'] } as const satisfies EntityShape

/**
 * True when an object has the shape: every required field a string, every optional one
 * absent, `null` or a string.
 *
 * @category shapes
 * @since 0.1.0
 */
export const hasShape =
  (shape: EntityShape) =>
  (entry: Readonly<Record<string, unknown>>): boolean => {
    for (const k of shape.required) if (typeof entry[k] !== 'string') return false
    for (const k of shape.optional) {
      const v = entry[k]
      if (v !== undefined && v !== null && typeof v !== 'string') return false
    }
    return true
  }
