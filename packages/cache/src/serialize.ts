/**
 * Writing a `CacheState` as MSAL's unified-schema JSON.
 *
 * @module
 */
import { hamtEntries, hamtGet, type Hamt } from './hamt.js'
import { CredentialType, type SectionName } from './schema.js'
import type { CacheState } from './state.js'

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

const byKey = ([a]: readonly [string, unknown], [b]: readonly [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * One section: its readable entries (through `edit`) and the unreadable entries of that
 * section exactly as read (a readable entry under the same key wins), in key order.
 */
const sectionObject = <E>(
  s: CacheState,
  name: SectionName,
  m: Hamt<E>,
  edit: (e: Readonly<Record<string, unknown>>) => unknown = (e) => e,
): unknown => {
  const pairs: Array<readonly [string, unknown]> = Array.from(hamtEntries(m), ([k, e]) => [k, edit(e as Readonly<Record<string, unknown>>)] as const)
  for (const [section, k, e] of s.unreadable) if (section === name && hamtGet(m, k) === undefined) pairs.push([k, e])
  return Object.fromEntries(pairs.sort(byKey).map(([k, e]) => [k, sortKeysDeep(e)]))
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
 * section as it was read. Indexes are not written.
 *
 * @category serialization
 * @since 0.1.0
 */
export const toJsonObject = (s: CacheState, options: SerializeOptions = {}): Readonly<Record<string, unknown>> => {
  // Sections come out of sectionObject already sorted, entry by entry; only the unknown
  // sections still need their keys sorted, and then the top level.
  const sections = new Map<string, unknown>(s.extra.map(([k, v]) => [k, sortKeysDeep(v)]))
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
 * strings. O(n log n). See {@link SerializeOptions} for the one field the SDKs write
 * differently.
 *
 * @category serialization
 * @since 0.1.0
 * @see MSAL Python `SerializableTokenCache.serialize`
 */
export const serialize = (s: CacheState, options: SerializeOptions = {}): string => JSON.stringify(toJsonObject(s, options))
