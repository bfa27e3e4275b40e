/**
 * `serialize` is canonical: sections, entries and fields in sorted key order, compact, so
 * the bytes depend on the cache's content only, never on the order entries were read,
 * written or folded in.
 */
import * as E from 'fp-ts/Either'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
// Test-only: the arbitraries live in packages/testing (which depends on this package).
import { msalCacheObjectArb } from '../../testing/src/arbitraries/index.js'
import { deserialize } from './deserialize.js'
import {
  CredentialType,
  type AccessTokenEntity,
  type AccountEntity,
  type AppMetadataEntity,
  type IdTokenEntity,
  type RefreshTokenEntity,
  type SectionName,
} from './schema.js'
import { serialize } from './serialize.js'
import { emptyCache, modifyTable, specs, tablePut, type CacheState } from './state.js'

const read = (json: string): CacheState => {
  const r = deserialize(json)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

/** A deterministic shuffle driven by a seed (a 32-bit LCG; test-only). */
const shuffler = (seed: number) => {
  let x = seed >>> 0
  const next = (n: number): number => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0
    return x % n
  }
  return <A>(xs: ReadonlyArray<A>): Array<A> => {
    const out = [...xs]
    for (let i = out.length - 1; i > 0; i--) {
      const j = next(i + 1)
      const t = out[i] as A
      out[i] = out[j] as A
      out[j] = t
    }
    return out
  }
}

/** The same JSON value with every object's keys in a shuffled order (`__proto__` kept as data). */
const shuffleDeep = (v: unknown, shuffle: <A>(xs: ReadonlyArray<A>) => Array<A>): unknown => {
  if (typeof v !== 'object' || v === null) return v
  if (Array.isArray(v)) return v.map((x) => shuffleDeep(x, shuffle))
  const o = v as Readonly<Record<string, unknown>>
  const out: Record<string, unknown> = {}
  for (const k of shuffle(Object.keys(o))) Object.defineProperty(out, k, { value: shuffleDeep(o[k], shuffle), enumerable: true, writable: true, configurable: true })
  return out
}

const SECTIONS: ReadonlyArray<SectionName> = Object.values(CredentialType)

/** Writes one readable entry of a section into the state. */
const putEntry = (s: CacheState, section: SectionName, key: string, entry: unknown): CacheState => {
  switch (section) {
    case 'AccessToken':
      return modifyTable('accessTokens', (t) => tablePut(specs.accessTokens, t, key, entry as AccessTokenEntity))(s)
    case 'RefreshToken':
      return modifyTable('refreshTokens', (t) => tablePut(specs.refreshTokens, t, key, entry as RefreshTokenEntity))(s)
    case 'IdToken':
      return modifyTable('idTokens', (t) => tablePut(specs.idTokens, t, key, entry as IdTokenEntity))(s)
    case 'Account':
      return modifyTable('accounts', (t) => tablePut(specs.accounts, t, key, entry as AccountEntity))(s)
    case 'AppMetadata':
      return modifyTable('appMetadata', (t) => tablePut(specs.appMetadata, t, key, entry as AppMetadataEntity))(s)
  }
}

/** Builds a state by writing the document's readable entries one by one, in a shuffled order. */
const insertAll = (doc: Readonly<Record<string, unknown>>, shuffle: <A>(xs: ReadonlyArray<A>) => Array<A>): CacheState => {
  const loaded = read(JSON.stringify(doc))
  const isUnreadable = (section: SectionName, key: string): boolean => loaded.unreadable.some(([sec, k]) => sec === section && k === key)
  const entries = SECTIONS.flatMap((section) =>
    Object.entries(doc[section] as Readonly<Record<string, unknown>>)
      .filter(([k]) => !isUnreadable(section, k))
      .map(([k, e]) => [section, k, e] as const),
  )
  const start: CacheState = { ...emptyCache, extra: loaded.extra, unreadable: loaded.unreadable }
  return shuffle(entries).reduce((s, [section, key, entry]) => putEntry(s, section, key, entry), start)
}

describe('serialize', () => {
  it('writes sections, entries and fields in sorted key order, compact (a literal)', () => {
    const json =
      '{"RefreshToken":{"b":{"secret":"rt","credential_type":"RefreshToken","home_account_id":"h","environment":"e","client_id":"c"}},' +
      '"zeta":{"y":1,"x":[{"d":1,"c":2}]},"AccessToken":{"z":{"target":"s","secret":"at2","credential_type":"AccessToken"},' +
      '"a":{"secret":"at1","credential_type":"AccessToken","realm":null}},"Account":{},"alpha":true}'
    expect(serialize(read(json))).toBe(
      '{"AccessToken":{"a":{"credential_type":"AccessToken","realm":null,"secret":"at1"},"z":{"credential_type":"AccessToken","secret":"at2","target":"s"}},' +
        '"Account":{},"AppMetadata":{},"IdToken":{},' +
        '"RefreshToken":{"b":{"client_id":"c","credential_type":"RefreshToken","environment":"e","home_account_id":"h","secret":"rt"}},' +
        '"alpha":true,"zeta":{"x":[{"c":2,"d":1}],"y":1}}',
    )
  })

  it('is byte-identical whatever the order of sections, entries and fields in the document it was read from', () => {
    fc.assert(
      fc.property(msalCacheObjectArb(), fc.integer(), fc.integer(), (doc, seed1, seed2) => {
        const a = serialize(read(JSON.stringify(shuffleDeep(doc, shuffler(seed1)))))
        const b = serialize(read(JSON.stringify(shuffleDeep(doc, shuffler(seed2)))))
        expect(a).toBe(b)
        expect(a).toBe(serialize(read(JSON.stringify(doc))))
      }),
      { numRuns: 150 },
    )
  })

  it('is byte-identical whatever the order entries were written into the state', () => {
    fc.assert(
      fc.property(msalCacheObjectArb(), fc.integer(), (doc, seed) => {
        expect(serialize(insertAll(doc, shuffler(seed)))).toBe(serialize(read(JSON.stringify(doc))))
      }),
      { numRuns: 150 },
    )
  })

  it('writes the empty cache as the five empty sections', () => {
    expect(serialize(emptyCache)).toBe('{"AccessToken":{},"Account":{},"AppMetadata":{},"IdToken":{},"RefreshToken":{}}')
  })
})
