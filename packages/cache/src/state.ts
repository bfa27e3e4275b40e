/**
 * `CacheState`: the entries of the five MSAL sections plus derived indexes, all held in
 * persistent maps ({@link Hamt}) so every operation returns a new state in O(log n)
 * time and space while the old state stays valid and unchanged.
 *
 * ### Indexes
 *
 * Each section is a {@link Table}: its entries by cache key, and for each index a map
 * from a bucket key (lower-cased identity fields joined by `\u0000`) to the set of
 * cache keys in that bucket. Writing an entry updates its buckets in O(log n); a query
 * computes its bucket keys from its own fields and visits only those buckets, so its cost
 * depends on the size of the answer, not of the cache.
 *
 * | section | index | bucket fields | used by |
 * |---|---|---|---|
 * | AccessToken | `slot` | client, home account, environment, realm, token type, credential type, key id, ext cache key, user assertion hash | `findAccessTokens`, the fold's overlap replacement |
 * | AccessToken | `clientHome` | client, home account | `removeAppTokens` |
 * | AccessToken | `homeEnv` | home account, environment | `removeAccount` |
 * | AccessToken | `assertion` | user assertion hash (exact) | `homeAccountsOfAssertion` (on-behalf-of) |
 * | RefreshToken | `homeEnv` | home account, environment | `findRefreshTokens`, `removeAccount` |
 * | IdToken | `homeEnv` | home account, environment | `findIdToken`, `removeAccount` |
 * | Account | `homeEnv`, `home`, `env`, `username` | as named | `getAccounts`, `removeAccount` |
 * | AppMetadata | `client` | client | `getAppMetadata` |
 *
 * Indexes are derived data: `deserialize` rebuilds them, `serialize` never writes them.
 *
 * ### Entries authfold does not understand
 *
 * An entry of a known section that does not read as that section's entry (an
 * `AccessToken` without `secret`, a field of the wrong type, a `credential_type` of
 * another section, an access token bound to request parameters authfold never sends;
 * see `deserialize`) is not in any table: it sits in `unreadable` exactly as it was parsed,
 * no lookup or removal sees it, and `serialize` writes it back under its key, as MSAL
 * Java, MSAL .NET and msal-node keep such entries. A readable entry written later under
 * the same key replaces it.
 *
 * @module
 */
import { emptyHamt, hamtEntries, hamtFromEntries, hamtGet, hamtKeys, hamtRemove, hamtSet, type Hamt } from './hamt.js'
import {
  CredentialType,
  keyIdOf,
  nonEmpty,
  str,
  tokenTypeOf,
  userAssertionHashOf,
  type AccessTokenEntity,
  type AccountEntity,
  type AppMetadataEntity,
  type IdTokenEntity,
  type RefreshTokenEntity,
  type SectionName,
} from './schema.js'

/**
 * A persistent set of cache keys.
 *
 * @category model
 * @since 0.1.0
 */
export type KeySet = Hamt<true>

/**
 * A persistent index: bucket key to the set of cache keys in that bucket.
 *
 * @category model
 * @since 0.1.0
 */
export type Index = Hamt<KeySet>

/**
 * How to index one section: for each index name, the bucket key of an entry.
 *
 * @category model
 * @since 0.1.0
 */
export type TableSpec<E, I extends string> = { readonly [K in I]: (e: E) => string }

/**
 * One section: its entries by cache key and its indexes.
 *
 * @category model
 * @since 0.1.0
 */
export interface Table<E, I extends string> {
  readonly entries: Hamt<E>
  readonly indexes: { readonly [K in I]: Index }
}

/**
 * Builds a bucket key from identity fields: lower-cased, joined with `\u0000` (a
 * character no identity field contains).
 *
 * @category indexes
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const bucketKey = (...parts: ReadonlyArray<string | null | undefined>): string =>
  parts.map((p) => str(p).toLowerCase()).join('\u0000')

/**
 * Builds a bucket key from fields compared exactly (key ids, hashes), not lower-cased.
 *
 * @internal
 */
const exact = (v: string | undefined): string => (v === undefined ? '' : `=${v}`)

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
  bucketKey(f.clientId, f.homeAccountId, f.environment, f.realm, f.tokenType, f.credentialType ?? CredentialType.ACCESS_TOKEN) +
  '\u0000' +
  [exact(f.keyId), exact(f.extCacheKey), exact(f.userAssertionHash)].join('\u0000')

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


/**
 * Index names of the access-token table.
 *
 * @category model
 * @since 0.1.0
 */
export type AccessTokenIndex = 'slot' | 'clientHome' | 'homeEnv' | 'assertion'

/**
 * Index names of the account table.
 *
 * @category model
 * @since 0.1.0
 */
export type AccountIndex = 'homeEnv' | 'home' | 'env' | 'username'

/**
 * The index definitions of every section (see the module comment).
 *
 * @category indexes
 * @since 0.1.0
 */
export const specs: {
  readonly accessTokens: TableSpec<AccessTokenEntity, AccessTokenIndex>
  readonly refreshTokens: TableSpec<RefreshTokenEntity, 'homeEnv'>
  readonly idTokens: TableSpec<IdTokenEntity, 'homeEnv'>
  readonly accounts: TableSpec<AccountEntity, AccountIndex>
  readonly appMetadata: TableSpec<AppMetadataEntity, 'client'>
} = {
  accessTokens: {
    slot: accessTokenEntitySlot,
    clientHome: (e) => bucketKey(e.client_id, e.home_account_id),
    homeEnv: (e) => bucketKey(e.home_account_id, e.environment),
    assertion: (e) => exact(userAssertionHashOf(e)),
  },
  refreshTokens: { homeEnv: (e) => bucketKey(e.home_account_id, e.environment) },
  idTokens: { homeEnv: (e) => bucketKey(e.home_account_id, e.environment) },
  accounts: {
    homeEnv: (e) => bucketKey(e.home_account_id, e.environment),
    home: (e) => bucketKey(e.home_account_id),
    env: (e) => bucketKey(e.environment),
    username: (e) => bucketKey(e.username),
  },
  appMetadata: { client: (e) => bucketKey(e.client_id) },
}

/**
 * The whole cache: five indexed sections plus the top-level sections authfold does not
 * know, kept verbatim for the next `serialize`.
 *
 * @category model
 * @since 0.1.0
 */
export interface CacheState {
  readonly accessTokens: Table<AccessTokenEntity, AccessTokenIndex>
  readonly refreshTokens: Table<RefreshTokenEntity, 'homeEnv'>
  readonly idTokens: Table<IdTokenEntity, 'homeEnv'>
  readonly accounts: Table<AccountEntity, AccountIndex>
  readonly appMetadata: Table<AppMetadataEntity, 'client'>
  /** Unknown top-level sections as `[name, value]` pairs sorted by name, values as parsed. */
  readonly extra: ReadonlyArray<readonly [string, unknown]>
  /**
   * Entries of the five sections that authfold does not understand, kept as parsed and
   * written back by `serialize`; never served by a lookup (see the module comment).
   */
  readonly unreadable: ReadonlyArray<UnreadableEntry>
}

/**
 * An entry of a known section that authfold does not understand: its section, its key and
 * its value exactly as parsed.
 *
 * @category model
 * @since 0.1.0
 */
export type UnreadableEntry = readonly [section: SectionName, key: string, value: unknown]

/**
 * The names of the five tables in a {@link CacheState}.
 *
 * @category model
 * @since 0.1.0
 */
export type TableName = keyof typeof specs

const emptyTable = <E, I extends string>(spec: TableSpec<E, I>): Table<E, I> => {
  const indexes = {} as { [K in I]: Index }
  for (const name of Object.keys(spec) as Array<I>) indexes[name] = emptyHamt
  return { entries: emptyHamt, indexes }
}

/**
 * The cache with nothing in it.
 *
 * @category constructors
 * @since 0.1.0
 */
export const emptyCache: CacheState = {
  accessTokens: /*#__PURE__*/ emptyTable(specs.accessTokens),
  refreshTokens: /*#__PURE__*/ emptyTable(specs.refreshTokens),
  idTokens: /*#__PURE__*/ emptyTable(specs.idTokens),
  accounts: /*#__PURE__*/ emptyTable(specs.accounts),
  appMetadata: /*#__PURE__*/ emptyTable(specs.appMetadata),
  extra: [],
  unreadable: [],
}

/**
 * The table that holds a section's readable entries.
 *
 * @category tables
 * @since 0.1.0
 */
export const tableNameOf = (section: SectionName): TableName =>
  section === CredentialType.ACCESS_TOKEN
    ? 'accessTokens'
    : section === CredentialType.REFRESH_TOKEN
      ? 'refreshTokens'
      : section === CredentialType.ID_TOKEN
        ? 'idTokens'
        : section === CredentialType.ACCOUNT
          ? 'accounts'
          : 'appMetadata'

/**
 * The state without the unreadable entries that a readable entry has since replaced
 * (same section, same key); the same state when there is none. O(u log n) for u
 * unreadable entries, nothing when there are none.
 *
 * @category tables
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const dropReplacedUnreadable = (s: CacheState): CacheState => {
  if (s.unreadable.length === 0) return s
  const kept = s.unreadable.filter(([section, key]) => hamtGet(s[tableNameOf(section)].entries as Hamt<unknown>, key) === undefined)
  return kept.length === s.unreadable.length ? s : { ...s, unreadable: kept }
}

const indexAdd = (idx: Index, bucket: string, key: string): Index =>
  hamtSet(idx, bucket, hamtSet(hamtGet(idx, bucket) ?? emptyHamt, key, true as const))

const indexRemove = (idx: Index, bucket: string, key: string): Index => {
  const set = hamtGet(idx, bucket)
  if (set === undefined) return idx
  const next = hamtRemove(set, key)
  if (next === set) return idx
  return next.size === 0 ? hamtRemove(idx, bucket) : hamtSet(idx, bucket, next)
}

/**
 * Writes `entry` under `key` (replacing what was there) and updates every index.
 * O(log n) per index.
 *
 * @category tables
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const tablePut = <E, I extends string>(spec: TableSpec<E, I>, table: Table<E, I>, key: string, entry: E): Table<E, I> => {
  const old = hamtGet(table.entries, key)
  if (old === entry) return table
  const indexes: { [K in I]: Index } = { ...table.indexes }
  for (const name of Object.keys(spec) as Array<I>) {
    const f = spec[name]
    const nb = f(entry)
    if (old !== undefined) {
      const ob = f(old)
      if (ob === nb) continue
      indexes[name] = indexRemove(indexes[name], ob, key)
    }
    indexes[name] = indexAdd(indexes[name], nb, key)
  }
  return { entries: hamtSet(table.entries, key, entry), indexes }
}

/**
 * Removes the entry stored under `key` and its index records; the same table (by
 * reference) when the key is absent. O(log n) per index.
 *
 * @category tables
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const tableRemove = <E, I extends string>(spec: TableSpec<E, I>, table: Table<E, I>, key: string): Table<E, I> => {
  const old = hamtGet(table.entries, key)
  if (old === undefined) return table
  const indexes: { [K in I]: Index } = { ...table.indexes }
  for (const name of Object.keys(spec) as Array<I>) indexes[name] = indexRemove(indexes[name], spec[name](old), key)
  return { entries: hamtRemove(table.entries, key), indexes }
}

/**
 * A table holding the given `[key, entry]` pairs with its indexes, built in one pass
 * (what `deserialize` uses; equal in content to putting the pairs one by one).
 *
 * @category tables
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const tableFromEntries = <E, I extends string>(spec: TableSpec<E, I>, pairs: ReadonlyArray<readonly [string, E]>): Table<E, I> => {
  const entries = hamtFromEntries(pairs)
  const indexes = {} as { [K in I]: Index }
  for (const name of Object.keys(spec) as Array<I>) {
    const f = spec[name]
    const buckets = new Map<string, Array<readonly [string, true]>>()
    for (const [k, e] of hamtEntries(entries)) {
      const b = f(e)
      const list = buckets.get(b)
      if (list === undefined) buckets.set(b, [[k, true]])
      else list.push([k, true])
    }
    indexes[name] = hamtFromEntries(Array.from(buckets, ([b, keys]) => [b, hamtFromEntries(keys)] as const))
  }
  return { entries, indexes }
}

/**
 * The `[key, entry]` pairs in one bucket of one index. Visits only that bucket.
 *
 * @category tables
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const tableBucket = <E, I extends string>(
  table: Table<E, I>,
  index: I,
  bucket: string,
): ReadonlyArray<readonly [string, E]> => {
  const set = hamtGet(table.indexes[index], bucket)
  if (set === undefined) return []
  const out: Array<readonly [string, E]> = []
  for (const k of hamtKeys(set)) {
    const e = hamtGet(table.entries, k)
    if (e !== undefined) out.push([k, e])
  }
  return out
}

/**
 * The cache key under which `entry` is stored in `table`: found by reference among the
 * entries of its own bucket (entries are immutable, so the object a query returned
 * identifies its slot), `undefined` when it is no longer there.
 *
 * @category tables
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const tableKeyOf = <E, I extends string>(
  spec: TableSpec<E, I>,
  table: Table<E, I>,
  index: I,
  entry: E,
): string | undefined => {
  for (const [k, e] of tableBucket(table, index, spec[index](entry))) if (e === entry) return k
  return undefined
}

/**
 * Applies `f` to one table of the state (an entry written under the key of an unreadable
 * one replaces it).
 *
 * @category tables
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const modifyTable =
  <N extends TableName>(name: N, f: (t: CacheState[N]) => CacheState[N]) =>
  (s: CacheState): CacheState => {
    const next = f(s[name])
    return next === s[name] ? s : dropReplacedUnreadable({ ...s, [name]: next })
  }

/**
 * How many readable entries the five sections hold together (unreadable ones not counted).
 *
 * @category queries
 * @since 0.1.0
 */
export const cacheSize = (s: CacheState): number =>
  s.accessTokens.entries.size +
  s.refreshTokens.entries.size +
  s.idTokens.entries.size +
  s.accounts.entries.size +
  s.appMetadata.entries.size
