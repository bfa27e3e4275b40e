/**
 * Reading MSAL unified-schema JSON (written by authfold, MSAL Python, msal-node, MSAL
 * .NET, ...) into a `CacheState`, rebuilding the indexes.
 *
 * - Broken JSON, a top level that is not an object, a known section that is not an
 *   object, an entry that is not an object or lacks a required field (`secret` and
 *   `credential_type` for credentials, `home_account_id` and `environment` for accounts,
 *   `client_id` and `environment` for app metadata) or has a known field of the wrong
 *   type: `Left(DecodeError)` whose `path` names the place (`AccessToken.<key>.secret`)
 *   and whose `expected` / `actual` name types, never values, so no secret leaks.
 * - `''` (an empty file) reads as the empty cache, as in MSAL Python.
 * - Unknown top-level sections and unknown fields of entries are kept as they are and
 *   written back by `serialize`.
 * - An entry whose key does not match its fields is kept under its stored key (MSAL
 *   Python does the same); lookups use the fields, so it is found as usual, and the next
 *   fold for the same token replaces it.
 *
 * @module
 */
import { decodeError, type DecodeError } from '@authfold/core'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { AccessTokenEntityCodec, AccountEntityCodec, AppMetadataEntityCodec, IdTokenEntityCodec, RefreshTokenEntityCodec } from './entityCodecs.js'
import { CredentialType, type SectionName } from './schema.js'
import { emptyCache, specs, tableFromEntries, type CacheState, type Table, type TableSpec } from './state.js'

const typeName = (v: unknown): string =>
  v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`

const isObject = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v)

const HINT = 'Repair or delete the cache blob; the state in memory is unchanged.'

const fieldError = (section: string, key: string, errors: t.Errors): DecodeError => {
  const first = errors[0]
  const ctx = first?.context ?? []
  const path: Array<string> = [section, key]
  for (let i = 1; i < ctx.length; i++) {
    const parent = ctx[i - 1]?.type
    const c = ctx[i]
    if (c === undefined || parent instanceof t.IntersectionType || parent instanceof t.UnionType) continue
    path.push(c.key)
  }
  let j = ctx.length - 1
  while (j > 0 && ctx[j - 1]?.type instanceof t.UnionType) j--
  const expected = ctx[j]?.type.name ?? 'a valid entry'
  return decodeError('invalid_shape', 'cache', path.join('.'), expected, typeName(first?.value), HINT)
}

const readSection = <A, I extends string>(
  name: SectionName,
  value: unknown,
  codec: t.Decoder<unknown, unknown> & { readonly is: (u: unknown) => boolean },
  spec: TableSpec<A, I>,
  table: Table<A, I>,
): E.Either<DecodeError, Table<A, I>> => {
  if (value === undefined) return E.right(table)
  if (!isObject(value)) {
    return E.left(decodeError('invalid_shape', 'cache', name, `an object of ${name} entries by key`, typeName(value), HINT))
  }
  const pairs: Array<readonly [string, A]> = []
  for (const key of Object.keys(value)) {
    const entry = value[key]
    if (!isObject(entry)) {
      return E.left(decodeError('invalid_shape', 'cache', `${name}.${key}`, `a ${name} entry object`, typeName(entry), HINT))
    }
    // `is` checks the same rules without building io-ts's error contexts; decode runs only
    // to describe a failure.
    if (!codec.is(entry)) {
      const r = codec.decode(entry)
      if (E.isLeft(r)) return E.left(fieldError(name, key, r.left))
    }
    // The codec only validates: keep the parsed object itself, unknown fields included.
    pairs.push([key, entry as unknown as A])
  }
  return E.right(tableFromEntries(spec, pairs))
}

const KNOWN: ReadonlySet<string> = new Set(Object.values(CredentialType))

/**
 * Reads a parsed JSON value as a cache (see the module comment for the rules).
 *
 * @category serialization
 * @since 0.1.0
 */
export const fromJsonObject = (json: unknown): E.Either<DecodeError, CacheState> => {
  if (!isObject(json)) {
    return E.left(decodeError('invalid_shape', 'cache', '', 'a JSON object of MSAL cache sections', typeName(json), HINT))
  }
  const s = emptyCache
  const at = readSection(CredentialType.ACCESS_TOKEN, json[CredentialType.ACCESS_TOKEN], AccessTokenEntityCodec, specs.accessTokens, s.accessTokens)
  if (E.isLeft(at)) return at
  const rt = readSection(CredentialType.REFRESH_TOKEN, json[CredentialType.REFRESH_TOKEN], RefreshTokenEntityCodec, specs.refreshTokens, s.refreshTokens)
  if (E.isLeft(rt)) return rt
  const idt = readSection(CredentialType.ID_TOKEN, json[CredentialType.ID_TOKEN], IdTokenEntityCodec, specs.idTokens, s.idTokens)
  if (E.isLeft(idt)) return idt
  const acc = readSection(CredentialType.ACCOUNT, json[CredentialType.ACCOUNT], AccountEntityCodec, specs.accounts, s.accounts)
  if (E.isLeft(acc)) return acc
  const am = readSection(CredentialType.APP_METADATA, json[CredentialType.APP_METADATA], AppMetadataEntityCodec, specs.appMetadata, s.appMetadata)
  if (E.isLeft(am)) return am
  const extra = Object.keys(json)
    .filter((k) => !KNOWN.has(k))
    .sort()
    .map((k) => [k, json[k]] as const)
  return E.right({
    accessTokens: at.right,
    refreshTokens: rt.right,
    idTokens: idt.right,
    accounts: acc.right,
    appMetadata: am.right,
    extra,
  })
}

/**
 * Reads MSAL unified-schema JSON into a cache with fresh indexes; a `Left(DecodeError)`
 * naming the path and the expected type when the text is not a cache (see the module
 * comment). Never throws. O(n log n).
 *
 * @category serialization
 * @since 0.1.0
 * @see MSAL Python `SerializableTokenCache.deserialize`
 */
export const deserialize = (json: string): E.Either<DecodeError, CacheState> => {
  if (json.trim() === '') return E.right(emptyCache)
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return E.left(decodeError('invalid_json', 'cache', '', 'JSON text', 'text that is not valid JSON', HINT))
  }
  return fromJsonObject(parsed)
}
