/**
 * Reading MSAL unified-schema JSON (written by authfold, MSAL Python, msal-node, MSAL
 * .NET, MSAL Java, ...) into a `CacheState`, rebuilding the indexes.
 *
 * Lenient where the other MSAL libraries are, strict where the document is broken:
 *
 * - Broken JSON, a top level that is not an object, a known section that is not an
 *   object, or a document nested deeper than {@link MAX_CACHE_DEPTH} levels:
 *   `Left(DecodeError)` whose `path` names the place and whose `expected` / `actual` name
 *   types, never values, so no secret leaks.
 * - `''` (an empty file) reads as the empty cache, as in MSAL Python.
 * - `null` in any optional field (`"user_assertion_hash": null`, `"refresh_on": null`)
 *   reads as absent for lookups and is written back as `null`.
 * - An entry of a known section that authfold does not understand (not an object, a
 *   credential without `secret` or `credential_type`, an account without
 *   `home_account_id` or `environment`, app metadata without `client_id` or
 *   `environment`, a known field of the wrong type, a `credential_type` that does not
 *   belong to its section, or an access token bound to request parameters authfold never
 *   sends: msal-node's `additionalCacheKeyComponents` or `requestedClaimsHash`, MSAL
 *   .NET's `ext` and its `ATExt` credential type) does not fail the load: it is kept exactly as parsed in
 *   `CacheState.unreadable`, no lookup serves it, and `serialize` writes it back under its
 *   key. MSAL Java, MSAL .NET and msal-node keep such entries the same way.
 * - Unknown top-level sections and unknown fields of entries are kept as they are and
 *   written back by `serialize`.
 * - An entry whose key does not match its fields is kept under its stored key (MSAL
 *   Python does the same); lookups use the fields, so it is found as usual, and the next
 *   fold for the same token replaces it.
 *
 * @module
 */
import { decodeError, type DecodeError, left, right } from '@authfold/core'
import type * as E from 'fp-ts/Either'
import { bucketFields, type TableFields } from './bucketScan.js'
import { accessTokenShape, accountShape, appMetadataShape, hasShape, idTokenShape, refreshTokenShape, type EntityShape } from './entityShapes.js'
import { ACCESS_TOKEN_WITH_AUTH_SCHEME, CredentialType, type SectionName } from './schema.js'
import { isSortedDeep } from './serialize.js'
import {
  emptyCache,
  specs,
  tableFromRecord,
  type CacheState,
  type LoadedDocument,
  type LoadedSection,
  type Table,
  type TableSpec,
  type UnreadableEntry,
} from './state.js'

/**
 * The deepest nesting a cache document may have, counting objects and arrays: the top
 * level is level 1, a section 2, an entry 3, an object or array in an entry's field 4.
 * MSAL caches use 4 or 5; 64 leaves room for any field another SDK adds, and keeps
 * `serialize` (which walks every value) from ever running out of stack on a loaded cache.
 * A deeper document is a `DecodeError` naming the path to the first value too deep.
 *
 * @category serialization
 * @since 0.1.0
 */
export const MAX_CACHE_DEPTH = 64

const typeName = (v: unknown): string =>
  v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`

/**
 * True for a JSON object (not `null`, not an array).
 *
 * @category serialization
 * @since 0.1.0
 * @internal Shared by `deserialize` and the app-token table, not API.
 */
export const isObject = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v)

const HINT = 'Repair or delete the cache blob; the state in memory is unchanged.'

const notACache = (json: unknown): DecodeError => decodeError('invalid_shape', 'cache', '', 'a JSON object of MSAL cache sections', typeName(json), HINT)

const notASection = (name: SectionName, value: unknown): DecodeError =>
  decodeError('invalid_shape', 'cache', name, `an object of ${name} entries by key`, typeName(value), HINT)

interface Frame {
  readonly value: object
  readonly depth: number
  readonly key: string
  readonly parent: Frame | undefined
}

const pathOf = (f: Frame | undefined): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (let c = f; c !== undefined; c = c.parent) out.push(c.key)
  return out.reverse()
}

const holdsContainer = (o: object): boolean => {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) return true
  return false
}

/**
 * The path (below `at`) to the first object or array nested deeper than
 * {@link MAX_CACHE_DEPTH}, when `value` sits at level `depth`; `undefined` when it is
 * within the limit. Iterative, so it never exhausts the stack whatever the input.
 */
const tooDeep = (value: unknown, depth: number, at: ReadonlyArray<string>): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined
  if (depth < MAX_CACHE_DEPTH && !holdsContainer(value)) return undefined // the common case: an entry of strings
  const stack: Array<Frame> = [{ value, depth, key: at.join('.'), parent: undefined }]
  for (let f = stack.pop(); f !== undefined; f = stack.pop()) {
    if (f.depth > MAX_CACHE_DEPTH) return pathOf(f).join('.')
    const o = f.value as Readonly<Record<string, unknown>>
    for (const k of Object.keys(o)) {
      const v = o[k]
      if (typeof v === 'object' && v !== null) stack.push({ value: v, depth: f.depth + 1, key: k, parent: f })
    }
  }
  return undefined
}

const depthError = (path: string): DecodeError =>
  decodeError('invalid_shape', 'cache', path, `at most ${MAX_CACHE_DEPTH} levels of nested objects and arrays`, 'a value nested deeper', HINT)

/**
 * One pass over an entry's keys: `flat` (no object or array in any field) with its keys in
 * sorted order, `unsorted` (flat, keys out of order), or `nested` (look deeper). A value
 * that is not an object is `flat`.
 */
const flatAndSorted = (v: unknown): 'flat' | 'unsorted' | 'nested' => {
  if (typeof v !== 'object' || v === null) return 'flat'
  if (Array.isArray(v)) return 'nested'
  const o = v as Readonly<Record<string, unknown>>
  let out: 'flat' | 'unsorted' = 'flat'
  let prev: string | undefined
  // for-in allocates no key array; an inherited enumerable key (a polluted prototype) can
  // only make the entry look unsorted or nested, which costs speed, never correctness
  for (const k in o) {
    const x = o[k]
    if (typeof x === 'object' && x !== null) return 'nested'
    if (prev !== undefined && !(prev < k)) out = 'unsorted'
    prev = k
  }
  return out
}

const nonEmptyValue = (v: unknown): boolean =>
  typeof v === 'string' ? v !== '' : typeof v === 'object' && v !== null && Object.keys(v).length > 0

/**
 * Fields by which another SDK binds an access token to request parameters authfold does
 * not send: msal-node's `additionalCacheKeyComponents` (attribute tokens) and
 * `requestedClaimsHash` (a claims request), MSAL .NET's `ext` (its cache key components).
 * Those SDKs serve such a token only to a request with the same components, so authfold,
 * which never has them, must not serve it at all.
 */
const BOUND: ReadonlyArray<string> = ['additionalCacheKeyComponents', 'requestedClaimsHash', 'ext']

/**
 * Does an entry that passed its shape check belong to its section? Credentials must carry their
 * section's `credential_type` (`AccessToken` or msal-node's `AccessToken_With_AuthScheme`
 * for access tokens; case-insensitive), and an access token must not be bound (see `BOUND`).
 * With the shape check, what makes an entry readable (served, replaced by folds).
 *
 * @category serialization
 * @since 0.1.0
 * @internal Shared by `deserialize` and the app-token table, not API.
 */
export const belongs = (name: SectionName, entry: Readonly<Record<string, unknown>>): boolean => {
  if (name === CredentialType.ACCOUNT || name === CredentialType.APP_METADATA) return true
  const ct = entry['credential_type']
  if (typeof ct !== 'string') return false
  // the common case first: the section's own name as MSAL writes it, an access token unbound
  if (ct === name) return name !== CredentialType.ACCESS_TOKEN || !(nonEmptyValue(entry['additionalCacheKeyComponents']) || nonEmptyValue(entry['requestedClaimsHash']) || nonEmptyValue(entry['ext']))
  const c = ct.toLowerCase()
  if (name !== CredentialType.ACCESS_TOKEN) return c === name.toLowerCase()
  return (
    (c === CredentialType.ACCESS_TOKEN.toLowerCase() || c === ACCESS_TOKEN_WITH_AUTH_SCHEME.toLowerCase()) &&
    !BOUND.some((f) => nonEmptyValue(entry[f]))
  )
}

interface Section<A, I extends string> {
  readonly table: Table<A, I>
  readonly unreadable: ReadonlyArray<UnreadableEntry>
  /** The section as read, when its keys and its entries' keys were all in sorted order. */
  readonly loaded: LoadedSection | undefined
}

const readSection = <A, I extends string>(
  name: SectionName,
  value: unknown,
  shape: EntityShape,
  spec: TableSpec<A, I>,
  fields: TableFields<A, I>,
  table: Table<A, I>,
): E.Either<DecodeError, Section<A, I>> => {
  if (value === undefined) return right({ table, unreadable: [], loaded: undefined })
  if (!isObject(value)) return left(notASection(name, value))
  const unreadable: Array<UnreadableEntry> = []
  const fits = hasShape(shape)
  let inOrder = true
  let prev: string | undefined
  const keys = Object.keys(value)
  for (const key of keys) {
    const entry = value[key]
    // one look at the entry's keys: are they in order, and is it flat (the common case)?
    const look = flatAndSorted(entry)
    if (look === 'nested') {
      // Level 3: the top level is 1, the section 2.
      const deep = tooDeep(entry, 3, [name, key])
      if (deep !== undefined) return left(depthError(deep))
    }
    if (inOrder && ((prev !== undefined && !(prev < key)) || look === 'unsorted' || (look === 'nested' && !isSortedDeep(entry)))) inOrder = false
    prev = key
    // The shape only validates: the table reads the parsed section itself, unknown fields
    // included, and hides the entries it cannot read.
    if (!(isObject(entry) && fits(entry) && belongs(name, entry))) unreadable.push([name, key, entry])
  }
  const t = tableFromRecord(spec, value as Readonly<Record<string, A>>, unreadable.map(([, k]) => k), fields, keys)
  return right({ table: t, unreadable, loaded: inOrder ? { object: value, entries: t.entries } : undefined })
}

const KNOWN: ReadonlySet<string> = /*#__PURE__*/ new Set(Object.values(CredentialType))

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Reads a parsed JSON value as a cache (see the module comment for the rules).
 *
 * @category serialization
 * @since 0.1.0
 */
export const fromJsonObject = (json: unknown): E.Either<DecodeError, CacheState> => {
  if (!isObject(json)) return left(notACache(json))
  const s = emptyCache
  const at = readSection(CredentialType.ACCESS_TOKEN, json[CredentialType.ACCESS_TOKEN], accessTokenShape, specs.accessTokens, bucketFields.accessTokens, s.accessTokens)
  if (at._tag === 'Left') return at
  const rt = readSection(CredentialType.REFRESH_TOKEN, json[CredentialType.REFRESH_TOKEN], refreshTokenShape, specs.refreshTokens, bucketFields.refreshTokens, s.refreshTokens)
  if (rt._tag === 'Left') return rt
  const idt = readSection(CredentialType.ID_TOKEN, json[CredentialType.ID_TOKEN], idTokenShape, specs.idTokens, bucketFields.idTokens, s.idTokens)
  if (idt._tag === 'Left') return idt
  const acc = readSection(CredentialType.ACCOUNT, json[CredentialType.ACCOUNT], accountShape, specs.accounts, bucketFields.accounts, s.accounts)
  if (acc._tag === 'Left') return acc
  const am = readSection(CredentialType.APP_METADATA, json[CredentialType.APP_METADATA], appMetadataShape, specs.appMetadata, bucketFields.appMetadata, s.appMetadata)
  if (am._tag === 'Left') return am
  const extra = Object.keys(json)
    .filter((k) => !KNOWN.has(k))
    .sort(byKey)
    .map((k) => [k, json[k]] as const)
  for (const [k, v] of extra) {
    const deep = tooDeep(v, 2, [k])
    if (deep !== undefined) return left(depthError(deep))
  }
  const unreadable = [...at.right.unreadable, ...rt.right.unreadable, ...idt.right.unreadable, ...acc.right.unreadable, ...am.right.unreadable]
  const sections: { -readonly [K in keyof LoadedDocument['sections']]: LoadedDocument['sections'][K] } = {}
  if (at.right.loaded !== undefined) sections.accessTokens = at.right.loaded
  if (rt.right.loaded !== undefined) sections.refreshTokens = rt.right.loaded
  if (idt.right.loaded !== undefined) sections.idTokens = idt.right.loaded
  if (acc.right.loaded !== undefined) sections.accounts = acc.right.loaded
  if (am.right.loaded !== undefined) sections.appMetadata = am.right.loaded
  return right({
    accessTokens: at.right.table,
    refreshTokens: rt.right.table,
    idTokens: idt.right.table,
    accounts: acc.right.table,
    appMetadata: am.right.table,
    extra,
    unreadable,
    loaded: { sections, unreadable },
  })
}

/**
 * Reads MSAL unified-schema JSON into a cache with fresh indexes; a `Left(DecodeError)`
 * naming the path and the expected type when the text is not a cache (see the module
 * comment). Never throws. O(n): the state reads through the parsed sections (see the
 * `state` module), and no index is built until a query asks for it.
 *
 * @category serialization
 * @since 0.1.0
 * @see MSAL Python `SerializableTokenCache.deserialize`
 */
export const deserialize = (json: string): E.Either<DecodeError, CacheState> => {
  if (json.trim() === '') return right(emptyCache)
  const parsed = parseCacheJson(json)
  return parsed._tag === 'Left' ? parsed : fromJsonObject(parsed.right)
}

/**
 * `JSON.parse` as `deserialize` runs it: broken JSON is a `Left(DecodeError)` that names
 * no value. Never throws.
 *
 * @category serialization
 * @since 0.1.0
 * @internal Shared by `deserialize` and the app-token table, not API.
 */
export const parseCacheJson = (json: string): E.Either<DecodeError, unknown> => {
  try {
    return right(JSON.parse(json))
  } catch {
    return left(decodeError('invalid_json', 'cache', '', 'JSON text', 'text that is not valid JSON', HINT))
  }
}

/**
 * The error {@link fromJsonObject} gives for a parsed document, without reading it into a
 * state: a top level or a known section that is not an object, or nesting deeper than
 * {@link MAX_CACHE_DEPTH} (checked in the same order, so the same error); `undefined` for
 * a document `fromJsonObject` reads. What a reader that keeps the document as it is needs.
 *
 * @category serialization
 * @since 0.1.0
 * @internal Shared by `deserialize` and the app-token table, not API.
 */
export const cacheDocumentError = (json: unknown): DecodeError | undefined => {
  if (!isObject(json)) return notACache(json)
  for (const name of Object.values(CredentialType)) {
    const section = json[name]
    if (section === undefined) continue
    if (!isObject(section)) return notASection(name, section)
    for (const key of Object.keys(section)) {
      const deep = tooDeep(section[key], 3, [name, key])
      if (deep !== undefined) return depthError(deep)
    }
  }
  for (const k of Object.keys(json).filter((k) => !KNOWN.has(k)).sort(byKey)) {
    const deep = tooDeep(json[k], 2, [k])
    if (deep !== undefined) return depthError(deep)
  }
  return undefined
}
