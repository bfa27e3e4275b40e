/**
 * Writing a `CacheState` as MSAL's unified-schema JSON.
 *
 * @module
 */
import { hamtDiff, hamtEntries, hamtGet, type Hamt } from './hamt.js'
import { CredentialType, type SectionName } from './schema.js'
import { tableNameOf, type CacheState, type LoadedSection } from './state.js'

/**
 * A copy of a JSON value with every object's keys in sorted order (arrays keep their
 * order). Built with `Object.fromEntries`, so a key named `__proto__` stays a plain key.
 *
 * @category utils
 * @since 0.1.0
 */
export const sortKeysDeep = (v: unknown): unknown => {
  if (typeof v !== 'object' || v === null) return v
  if (Array.isArray(v)) return v.map(sortKeysDeep)
  const o = v as Readonly<Record<string, unknown>>
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(o).sort()) {
    // an own "__proto__" key (JSON.parse makes one) must stay a plain property
    if (k === '__proto__') Object.defineProperty(out, k, { value: sortKeysDeep(o[k]), enumerable: true, writable: true, configurable: true })
    else out[k] = sortKeysDeep(o[k])
  }
  return out
}

/**
 * True when every object in a JSON value, at every depth, has its keys in sorted order
 * already, so `JSON.stringify(v)` writes what `JSON.stringify(sortKeysDeep(v))` writes
 * and `serialize` can write the value itself instead of a sorted copy. Iterative in
 * practice: cache entries are one or two levels deep.
 *
 * @category utils
 * @since 0.1.0
 */
export const isSortedDeep = (v: unknown): boolean => {
  if (typeof v !== 'object' || v === null) return true
  if (Array.isArray(v)) {
    for (const x of v) if (!isSortedDeep(x)) return false
    return true
  }
  const o = v as Readonly<Record<string, unknown>>
  let prev: string | undefined
  for (const k of Object.keys(o)) {
    if (prev !== undefined && !(prev < k)) return false
    prev = k
    const x = o[k]
    if (typeof x === 'object' && x !== null && !isSortedDeep(x)) return false
  }
  return true
}

/** The value itself when it is already sorted, else a sorted copy. */
const sorted = (v: unknown): unknown => (isSortedDeep(v) ? v : sortKeysDeep(v))

const byKey = ([a]: readonly [string, unknown], [b]: readonly [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0)

type Edit = (e: Readonly<Record<string, unknown>>) => unknown

/**
 * One section from scratch: its readable entries (through `edit`) and the unreadable
 * entries of that section exactly as read (a readable entry under the same key wins), in
 * key order. O(n log n): every key is sorted.
 */
const sectionFromScratch = <E>(s: CacheState, name: SectionName, m: Hamt<E>, edit: Edit | undefined): unknown => {
  const pairs: Array<readonly [string, unknown]> = Array.from(hamtEntries(m), ([k, e]) => [k, edit === undefined ? e : edit(e as Readonly<Record<string, unknown>>)] as const)
  for (const [section, k, e] of s.unreadable) if (section === name && hamtGet(m, k) === undefined) pairs.push([k, e])
  return Object.fromEntries(pairs.sort(byKey).map(([k, e]) => [k, sorted(e)]))
}

/**
 * One section written over the section it was read from: the loaded keys are in order
 * already, so only the keys added since are sorted and merged in; entries still the ones
 * read are written as they are, and with nothing else changed (the unreadable list, the
 * app-token form) only the keys that changed are looked up in the map. O(n + c log c) for
 * c keys added.
 */
const sectionOverLoaded = <E>(s: CacheState, name: SectionName, m: Hamt<E>, base: LoadedSection, edit: Edit | undefined): unknown => {
  const unchanged = s.loaded !== undefined && s.unreadable === s.loaded.unreadable
  if (unchanged && edit === undefined && (m as Hamt<unknown>) === base.entries) return base.object
  const own = (k: string): boolean => Object.prototype.hasOwnProperty.call(base.object, k)
  const unreadable = new Map<string, unknown>()
  if (!unchanged) for (const [section, k, e] of s.unreadable) if (section === name) unreadable.set(k, e)
  const added = new Set<string>()
  // keys whose entry changed since the load; with the unreadable list unchanged too, every
  // other key is written as it was read (its entry, or the unreadable value it held then)
  const touched = new Set<string>()
  for (const [k, v] of hamtDiff(base.entries as Hamt<E>, m)) {
    touched.add(k)
    if (v !== undefined && !own(k)) added.add(k)
  }
  for (const k of unreadable.keys()) if (!own(k)) added.add(k)
  const extra = Array.from(added).sort()
  const read = base.entries.base
  const keys = read !== undefined && read.record === base.object ? read.keys : Object.keys(base.object)
  const asRead = unchanged && edit === undefined
  const pairs: Array<readonly [string, unknown]> = []
  const emit = (k: string): void => {
    const was = base.object[k]
    const e = hamtGet(m, k)
    if (e !== undefined) {
      const v = edit === undefined ? e : edit(e as Readonly<Record<string, unknown>>)
      pairs.push([k, v === was ? v : sorted(v)])
      return
    }
    // no readable entry under k: the unreadable one, if any (with the list unchanged since
    // the load, that is the loaded value under a key that held no readable entry then)
    const u = unchanged ? (hamtGet(base.entries, k) === undefined ? was : undefined) : unreadable.get(k)
    if (u !== undefined) pairs.push([k, u === was ? u : sorted(u)])
  }
  let j = 0
  for (const k of keys) {
    for (; j < extra.length && (extra[j] as string) < k; j++) emit(extra[j] as string)
    if (asRead && !touched.has(k)) pairs.push([k, base.object[k]])
    else emit(k)
  }
  for (; j < extra.length; j++) emit(extra[j] as string)
  return Object.fromEntries(pairs)
}

/** One section: over the section it was read from when there is one, else from scratch. */
const sectionObject = <E>(s: CacheState, name: SectionName, m: Hamt<E>, edit?: Edit): unknown => {
  const base = s.loaded?.sections[tableNameOf(name)]
  return base === undefined ? sectionFromScratch(s, name, m, edit) : sectionOverLoaded(s, name, m, base, edit)
}

/**
 * Options of {@link serialize}.
 *
 * @category serialization
 * @since 0.1.0
 */
export interface SerializeOptions {
  /**
   * The `home_account_id` written for application tokens (access tokens of no account).
   * The two SDKs disagree and each finds only its own form: MSAL Python writes `null` and
   * its `acquire_token_silent(account=None)` / `acquire_token_for_client` look for `null`;
   * msal-node writes `""` and its `acquireTokenByClientCredential` looks for a string `""`.
   * Default `null` (MSAL Python's); pass `''` for a cache msal-node will read. authfold
   * reads both.
   */
  readonly appTokenHomeAccountId?: null | ''
}

const withAppTokenHomeAccountId =
  (value: null | '') =>
  (e: Readonly<Record<string, unknown>>): unknown =>
    e['home_account_id'] === null || e['home_account_id'] === undefined || e['home_account_id'] === '' ? { ...e, home_account_id: value } : e

/**
 * The cache as a plain JSON object: the five MSAL sections (always present, possibly
 * empty) with their unreadable entries as they were read, and every unknown top-level
 * section as it was read. Indexes are not written. A section that nobody changed since
 * `deserialize` read it in sorted order is the parsed section object itself, shared with
 * the state: read the result, never modify it.
 *
 * @category serialization
 * @since 0.1.0
 */
export const toJsonObject = (s: CacheState, options: SerializeOptions = {}): Readonly<Record<string, unknown>> => {
  // Sections come out of sectionObject already sorted, entry by entry; only the unknown
  // sections still need their keys sorted, and then the top level.
  const sections = new Map<string, unknown>(s.extra.map(([k, v]) => [k, sorted(v)]))
  sections.set(
    CredentialType.ACCESS_TOKEN,
    options.appTokenHomeAccountId === undefined
      ? sectionObject(s, CredentialType.ACCESS_TOKEN, s.accessTokens.entries)
      : sectionObject(s, CredentialType.ACCESS_TOKEN, s.accessTokens.entries, withAppTokenHomeAccountId(options.appTokenHomeAccountId)),
  )
  sections.set(CredentialType.REFRESH_TOKEN, sectionObject(s, CredentialType.REFRESH_TOKEN, s.refreshTokens.entries))
  sections.set(CredentialType.ID_TOKEN, sectionObject(s, CredentialType.ID_TOKEN, s.idTokens.entries))
  sections.set(CredentialType.ACCOUNT, sectionObject(s, CredentialType.ACCOUNT, s.accounts.entries))
  sections.set(CredentialType.APP_METADATA, sectionObject(s, CredentialType.APP_METADATA, s.appMetadata.entries))
  return Object.fromEntries([...sections].sort(byKey))
}

/**
 * The cache as MSAL unified-schema JSON that MSAL Python (`SerializableTokenCache.deserialize`)
 * and msal-node (`TokenCache.deserialize`) read. Deterministic: sections, entries and
 * fields in sorted key order, compact (no indentation), so equal states give equal
 * strings. O(n log n) for a state built by folds; for a state read by `deserialize`, O(n)
 * plus the sorting of what was added since (sections read in sorted order and unchanged
 * are written as read, with no copy). See {@link SerializeOptions} for the one field the SDKs write
 * differently.
 *
 * @category serialization
 * @since 0.1.0
 * @see MSAL Python `SerializableTokenCache.serialize`
 */
export const serialize = (s: CacheState, options: SerializeOptions = {}): string => JSON.stringify(toJsonObject(s, options))
