/**
 * `CacheState`: the entries of the five MSAL sections plus derived indexes, all held in
 * persistent maps ({@link Hamt}) so every operation returns a new state in O(log n)
 * time and space while the old state stays valid and unchanged.
 *
 * A state read by `deserialize` copies nothing: each section's map reads through the
 * parsed section object itself (`hamtFromRecord`), and writes go to a trie beside it, so
 * a loaded cache holds the parsed document and little else, and `serialize` writes the
 * sections nobody changed as they were read.
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
 * Indexes are derived data, built lazily: a table read by `deserialize` holds only its
 * entries. Its first {@link SCANS_BEFORE_INDEX} queries of an index (counted over the
 * table and the tables written from it) are answered by one scan of the entries that
 * compares the bucket's few fields in place (`bucketScan.ts`: no key built, nothing
 * allocated per entry); the next builds the index (O(n), once) and keeps it with the
 * table. Writes update the indexes already built (O(log n) each) and leave the others to
 * be built on demand from the new table's entries. So a load builds no index at all, a
 * process that loads, folds one answer and saves (a file or Redis store's update) builds
 * none either, a process that only answers silent lookups builds the one `slot` index,
 * and a fold costs O(log n) once the indexes it reads exist. A scan answers what the
 * index answers, in the same order; the built indexes and the scan counts are a memo:
 * filling one never changes what any query answers, so a table (and the state) stays a
 * value. `serialize` never writes them.
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
import { accessTokenEntitySlot, exact } from './accessTokenSlot.js'
import { scanMatches, type TableFields } from './bucketScan.js'
import { emptyHamt, hamtEntries, hamtFromEntries, hamtFromRecord, hamtGet, hamtKeys, hamtRemove, hamtSet, type Hamt } from './hamt.js'
import {
  CredentialType,
  str,
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
 * A persistent index: bucket key to the cache keys in that bucket, the key itself when
 * it is the only one (most buckets: one account's entry), else a set of them.
 *
 * @category model
 * @since 0.1.0
 */
export type Index = Hamt<KeySet | string>

/**
 * How to index one section: for each index name, the bucket key of an entry.
 *
 * @category model
 * @since 0.1.0
 */
export type TableSpec<E, I extends string> = { readonly [K in I]: (e: E) => string }

/**
 * The indexes of a table built so far, by name (see the module comment). A memo that
 * {@link tableIndex} fills the first time a query asks for an index; never emptied.
 *
 * @category model
 * @since 0.1.0
 */
export type IndexMemo<I extends string> = { [K in I]?: Index }

/**
 * How a table answers the buckets of an index it has not built (see the module comment):
 * the index's fields, compared in place by a scan (`bucketScan.ts`; without them, each
 * entry's bucket key is built and compared), and how many scans each index has answered
 * so far, counted over this table and every table written from it. The count is a memo
 * like {@link Table.built}: it decides only when an index gets built, never an answer.
 *
 * @category model
 * @since 0.1.0
 */
export interface TableScan<E, I extends string> {
  readonly fields: TableFields<E, I> | undefined
  readonly count: { [K in I]?: number }
}

/**
 * One section: its entries by cache key, how it is indexed, and the indexes built so far.
 *
 * @category model
 * @since 0.1.0
 */
export interface Table<E, I extends string> {
  readonly entries: Hamt<E>
  /** The section's index definitions (one of {@link specs}). */
  readonly spec: TableSpec<E, I>
  /** The indexes built so far; read them through {@link tableIndex}. */
  readonly built: IndexMemo<I>
  /**
   * Present on a table read by `deserialize` (and the tables written from it): answer a
   * bucket of an index not built yet by a scan, the first {@link SCANS_BEFORE_INDEX} times.
   */
  readonly scan?: TableScan<E, I> | undefined
}

/**
 * Builds a bucket key from identity fields: lower-cased, joined with `\u0000` (a
 * character no identity field contains).
 *
 * @category indexes
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const bucketKey = (...parts: ReadonlyArray<string | null | undefined>): string => {
  let out = ''
  for (let i = 0; i < parts.length; i++) out += (i === 0 ? '' : '\u0000') + str(parts[i]).toLowerCase()
  return out
}

export { accessTokenSlot, accessTokenEntitySlot } from './accessTokenSlot.js'

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
  /**
   * The document `deserialize` read this state from (absent for a state built otherwise):
   * lets `serialize` write what did not change without copying or sorting it again.
   * Derived data: no query reads it, and it never changes what `serialize` writes.
   */
  readonly loaded?: LoadedDocument
}

/**
 * One section as `deserialize` read it: the parsed section object (its keys and every
 * entry's keys, at every depth, already in sorted order; kept only then) and the
 * section's table entries as they were read.
 *
 * @category model
 * @since 0.1.0
 */
export interface LoadedSection {
  readonly object: Readonly<Record<string, unknown>>
  readonly entries: Hamt<unknown>
}

/**
 * The document a state was read from (see {@link CacheState.loaded}): the sections that
 * were already in sorted order, and the `unreadable` list as read.
 *
 * @category model
 * @since 0.1.0
 */
export interface LoadedDocument {
  readonly sections: { readonly [K in TableName]?: LoadedSection }
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

// Every index of an empty table is empty and counted as built, so the memo of
// `emptyCache` is never written, and caches grown by folds keep every index up to date.
const emptyTable = <E, I extends string>(spec: TableSpec<E, I>): Table<E, I> => {
  const built: IndexMemo<I> = {}
  for (const name of Object.keys(spec) as Array<I>) built[name] = emptyHamt
  return { entries: emptyHamt, spec, built }
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

const indexAdd = (idx: Index, bucket: string, key: string): Index => {
  const cur = hamtGet(idx, bucket)
  if (cur === undefined) return hamtSet(idx, bucket, key)
  if (typeof cur === 'string') return cur === key ? idx : hamtSet(idx, bucket, hamtFromEntries([[cur, true as const], [key, true as const]]))
  return hamtSet(idx, bucket, hamtSet(cur, key, true as const))
}

const indexRemove = (idx: Index, bucket: string, key: string): Index => {
  const cur = hamtGet(idx, bucket)
  if (cur === undefined) return idx
  if (typeof cur === 'string') return cur === key ? hamtRemove(idx, bucket) : idx
  const next = hamtRemove(cur, key)
  if (next === cur) return idx
  if (next.size === 0) return hamtRemove(idx, bucket)
  if (next.size === 1) for (const only of hamtKeys(next)) return hamtSet(idx, bucket, only)
  return hamtSet(idx, bucket, next)
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
  const built: IndexMemo<I> = {}
  for (const name of Object.keys(table.built) as Array<I>) {
    const before = table.built[name]
    if (before === undefined) continue
    const f = spec[name]
    const nb = f(entry)
    let idx = before
    if (old !== undefined) {
      const ob = f(old)
      if (ob === nb) {
        built[name] = idx
        continue
      }
      idx = indexRemove(idx, ob, key)
    }
    built[name] = indexAdd(idx, nb, key)
  }
  return { entries: hamtSet(table.entries, key, entry), spec: table.spec, built, scan: table.scan }
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
  const built: IndexMemo<I> = {}
  for (const name of Object.keys(table.built) as Array<I>) {
    const idx = table.built[name]
    if (idx !== undefined) built[name] = indexRemove(idx, spec[name](old), key)
  }
  return { entries: hamtRemove(table.entries, key), spec: table.spec, built, scan: table.scan }
}

/**
 * A table holding the given `[key, entry]` pairs (a later pair wins over an earlier one
 * with the same key), built in one pass, its indexes not built yet (answers every query
 * as putting the pairs one by one would). `fields` (one of {@link bucketFields}) lets its
 * first queries scan without building each entry's bucket key.
 *
 * @category tables
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const tableFromEntries = <E, I extends string>(spec: TableSpec<E, I>, pairs: Iterable<readonly [string, E]>, fields?: TableFields<E, I>): Table<E, I> => ({
  entries: hamtFromEntries(pairs),
  spec,
  built: {},
  scan: { fields, count: {} },
})

/**
 * A table over a section of a parsed document, kept as parsed (see `hamtFromRecord`):
 * every own key of `record` but the `hidden` ones (the entries that are not readable),
 * its indexes not built yet (its first queries scan: see {@link tableBuckets}; `fields` is
 * one of {@link bucketFields}; `keys`, when given, `Object.keys(record)`). What `deserialize` uses: nothing is copied. The record must
 * never be written afterwards.
 *
 * @category tables
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const tableFromRecord = <E, I extends string>(
  spec: TableSpec<E, I>,
  record: Readonly<Record<string, E>>,
  hidden: Iterable<string>,
  fields?: TableFields<E, I>,
  keys?: ReadonlyArray<string>,
): Table<E, I> => ({
  entries: hamtFromRecord(record, hidden, keys),
  spec,
  built: {},
  scan: { fields, count: {} },
})

/**
 * One index built from scratch: every entry's bucket, each bucket's keys in one set. O(n).
 *
 * @category indexes
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const buildIndex = <E>(bucketOf: (e: E) => string, entries: Hamt<E>): Index => {
  const buckets = new Map<string, string | Array<readonly [string, true]>>()
  for (const [k, e] of hamtEntries(entries)) {
    const b = bucketOf(e)
    const cur = buckets.get(b)
    if (cur === undefined) buckets.set(b, k)
    else if (typeof cur === 'string') buckets.set(b, [[cur, true], [k, true]])
    else cur.push([k, true])
  }
  return hamtFromEntries(Array.from(buckets, ([b, keys]) => [b, typeof keys === 'string' ? keys : hamtFromEntries(keys)] as const))
}

/**
 * One index of a table: the built one, or built now from the table's entries and kept
 * in its memo (O(n) the first time for that table, O(1) after; see the module comment).
 *
 * @category indexes
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const tableIndex = <E, I extends string>(table: Table<E, I>, name: I): Index => {
  const built = table.built[name]
  if (built !== undefined) return built
  const idx = buildIndex(table.spec[name], table.entries)
  table.built[name] = idx
  return idx
}

/**
 * How many queries of one index a table read by `deserialize` answers by a scan before the
 * next one builds the index. A scan of n entries costs about a fifteenth of building the
 * index (20 ms against 300 ms at 100,000 accounts), so a load, a lookup or two, a fold and
 * a save (each index read at most a few times) builds nothing, and a process that keeps
 * the cache pays about a third more than the build before its lookups are flat.
 *
 * @category indexes
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const SCANS_BEFORE_INDEX = 4

/**
 * The index when it is built, or when it is due (built now; see {@link SCANS_BEFORE_INDEX});
 * `undefined` when the next query of it is to be answered by a scan (counted here).
 *
 * @category indexes
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const tableIndexOrScan = <E, I extends string>(table: Table<E, I>, name: I): Index | undefined => {
  const built = table.built[name]
  if (built !== undefined) return built
  const scan = table.scan
  if (scan !== undefined) {
    const done = scan.count[name] ?? 0
    if (done < SCANS_BEFORE_INDEX) {
      scan.count[name] = done + 1
      return undefined
    }
  }
  return tableIndex(table, name)
}

const bucketPairs = <E>(table: Table<E, string>, set: KeySet | string | undefined): ReadonlyArray<readonly [string, E]> => {
  if (set === undefined) return []
  if (typeof set === 'string') {
    const e = hamtGet(table.entries, set)
    return e === undefined ? [] : [[set, e]]
  }
  const out: Array<readonly [string, E]> = []
  for (const k of hamtKeys(set)) {
    const e = hamtGet(table.entries, k)
    if (e !== undefined) out.push([k, e])
  }
  return out
}

/** Pairs found by a scan, in the order the index's bucket would list them (its key set's order). */
const inIndexOrder = <E>(found: ReadonlyArray<readonly [string, E]>): ReadonlyArray<readonly [string, E]> => {
  if (found.length < 2) return found
  const byKey = new Map(found)
  const out: Array<readonly [string, E]> = []
  for (const k of hamtKeys(hamtFromEntries(found.map(([k]) => [k, true as const] as const)))) out.push([k, byKey.get(k) as E])
  return out
}

/**
 * The `[key, entry]` pairs in each of several buckets of one index, bucket by bucket:
 * through the index when it is built (visits only those buckets), else by one scan of the
 * table for all of them (see {@link tableIndexOrScan}). The same pairs in the same order
 * either way.
 *
 * @category tables
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const tableBuckets = <E, I extends string>(
  table: Table<E, I>,
  index: I,
  buckets: ReadonlyArray<string>,
): ReadonlyArray<ReadonlyArray<readonly [string, E]>> => {
  const idx = tableIndexOrScan(table, index)
  return idx === undefined ? tableScanBuckets(table, index, buckets) : buckets.map((b) => bucketPairs(table as Table<E, string>, hamtGet(idx, b)))
}

/**
 * What {@link tableBuckets} answers, always by one scan of the table (O(n), no index read
 * or built, nothing counted): for a caller that has just been told by
 * {@link tableIndexOrScan} to scan.
 *
 * @category tables
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API: use the queries and folds.
 */
export const tableScanBuckets = <E, I extends string>(
  table: Table<E, I>,
  index: I,
  buckets: ReadonlyArray<string>,
): ReadonlyArray<ReadonlyArray<readonly [string, E]>> => {
  return scanMatches(table.entries, table.scan?.fields?.[index], table.spec[index], buckets).map(inIndexOrder)
}

/**
 * The `[key, entry]` pairs in one bucket of one index: through the index, visiting only
 * that bucket, or by a scan while the index is not built (see {@link tableBuckets}).
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
  const idx = tableIndexOrScan(table, index)
  return idx === undefined ? (tableScanBuckets(table, index, [bucket])[0] ?? []) : bucketPairs(table as Table<E, string>, hamtGet(idx, bucket))
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
