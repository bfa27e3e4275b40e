/**
 * Answering an index's bucket without the index: one pass over a table's entries that
 * compares, in place, the few fields a bucket key is made of (see `state.ts`). What a
 * table read by `deserialize` does for its first queries, so a process that loads a
 * cache, folds one sign-in into it and saves it never builds an index over the whole
 * table (an index costs tens of scans to build; see `tableBucket`).
 *
 * A bucket key is its fields, each lower-cased (`bucketKey`) or written exactly (`exact`),
 * joined by `\u0000`. A key split at `\u0000` into as many parts as the index has fields
 * can only be the key of entries whose fields hold no `\u0000`, so comparing each field
 * with its part (in any order: the most selective first) answers exactly "is this entry's
 * bucket key that key" without building the entry's key. A key that splits otherwise
 * falls back to building each entry's key and comparing.
 *
 * @module
 */
import { hamtFilter, type Hamt } from './hamt.js'
import {
  nonEmpty,
  type AccessTokenEntity,
  type AccountEntity,
  type AppMetadataEntity,
  type IdTokenEntity,
  type RefreshTokenEntity,
  keyIdOf,
  userAssertionHashOf,
} from './schema.js'

/**
 * One field of a bucket key: which part of the key it is (`at`), how to read it from an
 * entry (`get`), and whether the key holds it exactly (`exact`: `exact(v)`, `''` when
 * absent, else `=` and the value) or lower-cased (`str(v).toLowerCase()`).
 *
 * @category model
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API.
 */
export type BucketField<E> = readonly [at: number, get: (e: E) => unknown, exact?: true]

/**
 * The fields of every index of a table, most selective first (see {@link bucketFields}).
 *
 * @category model
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API.
 */
export type TableFields<E, I extends string> = { readonly [K in I]: ReadonlyArray<BucketField<E>> }

const home = (e: { readonly home_account_id?: string | null }): unknown => e.home_account_id
const env = (e: { readonly environment?: string | null }): unknown => e.environment
const client = (e: { readonly client_id?: string | null }): unknown => e.client_id
const homeEnv: ReadonlyArray<BucketField<{ readonly home_account_id?: string | null; readonly environment?: string | null }>> = [
  [0, home],
  [1, env],
]

/**
 * The fields of each index of `specs` (`state.ts`), in the order a scan compares them:
 * the home account first (it tells one user's entries from the rest), then the client.
 * Equal, entry for entry, to the spec's bucket key (property-tested in `bucketScan.test.ts`).
 *
 * @category indexes
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API.
 */
export const bucketFields: {
  readonly accessTokens: TableFields<AccessTokenEntity, 'slot' | 'clientHome' | 'homeEnv' | 'assertion'>
  readonly refreshTokens: TableFields<RefreshTokenEntity, 'homeEnv'>
  readonly idTokens: TableFields<IdTokenEntity, 'homeEnv'>
  readonly accounts: TableFields<AccountEntity, 'homeEnv' | 'home' | 'env' | 'username'>
  readonly appMetadata: TableFields<AppMetadataEntity, 'client'>
} = {
  accessTokens: {
    slot: [
      [1, home],
      [0, client],
      [3, (e) => e.realm],
      [2, env],
      [4, (e) => e.token_type ?? 'Bearer'],
      [5, (e) => e.credential_type ?? 'AccessToken'],
      [6, keyIdOf, true],
      [7, (e) => nonEmpty(e.ext_cache_key), true],
      [8, userAssertionHashOf, true],
    ],
    clientHome: [[1, home], [0, client]],
    homeEnv,
    assertion: [[0, userAssertionHashOf, true]],
  },
  refreshTokens: { homeEnv },
  idTokens: { homeEnv },
  accounts: {
    homeEnv,
    home: [[0, home]],
    env: [[0, env]],
    username: [[0, (e) => e.username]],
  },
  appMetadata: { client: [[0, client]] },
}

/**
 * True when `str(v).toLowerCase()` is `p` (`v` a string, anything else read as `''`).
 * `toLowerCase` of a string already in lower case returns it without a copy, so for the
 * usual fields this allocates nothing (and beats a loop over its characters).
 */
const lowerIs = (v: unknown, p: string): boolean => (typeof v === 'string' ? v.toLowerCase() === p : p === '')

/** True when `exact(v)` is `p`: `''` for a value that is not a string, else `=` and the value. */
const exactIs = (v: unknown, p: string): boolean =>
  typeof v === 'string' ? p.length === v.length + 1 && p.charCodeAt(0) === 61 && p.startsWith(v, 1) : p === ''

/**
 * A test of "is this entry's bucket key `bucket`": the field comparisons above when the
 * key splits into one part per field, else the key built and compared (`keyOf`). Never
 * throws, whatever the entry holds (an unreadable one, skipped afterwards, is tested too).
 *
 * @category indexes
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API.
 */
export const bucketTest = <E>(fields: ReadonlyArray<BucketField<E>> | undefined, keyOf: (e: E) => string, bucket: string): ((e: E) => boolean) => {
  const parts = bucket.split('\u0000')
  if (fields === undefined || parts.length !== fields.length) {
    return (e) => {
      try {
        return keyOf(e) === bucket
      } catch {
        return false // an unreadable entry the key cannot be built from; never in a bucket
      }
    }
  }
  return (e) => {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as BucketField<E>
      const p = parts[f[0]] as string
      if (!fieldIs(f, e, p)) return false
    }
    return true
  }
}

/** The test of one field against its part of a bucket key. */
const fieldIs = <E>([, get, exact]: BucketField<E>, e: E, p: string): boolean => (exact === true ? exactIs(get(e), p) : lowerIs(get(e), p))

/**
 * The `[key, entry]` pairs of `m` in each of `buckets` of one index (its bucket `fields`,
 * its bucket key `keyOf`), grouped by bucket, each group in the order `hamtEntries`
 * visits them. One pass (`hamtFilter`) for all the buckets, allocating only for the pairs
 * found; when the buckets share their first field's part (a query's buckets differ in
 * environment, not in account), that field is compared once per entry. Values that are
 * not objects are skipped untested (no readable entry is one).
 *
 * @category indexes
 * @since 0.1.0
 * @internal Table plumbing of `CacheState`, not API.
 */
export const scanMatches = <V>(
  m: Hamt<V>,
  fields: ReadonlyArray<BucketField<V>> | undefined,
  keyOf: (e: V) => string,
  buckets: ReadonlyArray<string>,
): Array<Array<readonly [string, V]>> => {
  const tests = buckets.map((b) => bucketTest(fields, keyOf, b))
  const nt = tests.length
  const only = tests[0]
  const first = fields?.[0]
  const firstPart = first === undefined || buckets.length === 0 ? undefined : (buckets[0] as string).split('\u0000')[first[0]]
  const shared =
    first !== undefined &&
    firstPart !== undefined &&
    buckets.every((b) => {
      const parts = b.split('\u0000')
      return parts.length === fields?.length && parts[first[0]] === firstPart
    })
  const found = hamtFilter(m, (v) => {
    if (typeof v !== 'object' || v === null) return false
    if (shared && !fieldIs(first, v, firstPart)) return false
    if (nt === 1) return (only as (v: V) => boolean)(v)
    for (let t = 0; t < nt; t++) if ((tests[t] as (v: V) => boolean)(v)) return true
    return false
  })
  if (nt === 1) return [found]
  const out: Array<Array<readonly [string, V]>> = tests.map(() => [])
  for (const pair of found) {
    for (let t = 0; t < nt; t++) {
      if (!(tests[t] as (v: V) => boolean)(pair[1])) continue
      ;(out[t] as Array<readonly [string, V]>).push(pair)
      break
    }
  }
  return out
}
