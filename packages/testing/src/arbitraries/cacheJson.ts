/**
 * Whole caches: "MSAL-written" cache JSON (as MSAL Python, msal-node or another SDK
 * would leave it on disk) and `CacheState`s built from it or by folding token answers.
 *
 * @module
 */
import {
  accessTokenKey,
  accountKey,
  addTokenResponse,
  appMetadataKey,
  deserialize,
  emptyCache,
  idTokenKey,
  refreshTokenKey,
  type CacheState,
} from '@authfold/cache'
import * as E from 'fp-ts/Either'
import * as fc from 'fast-check'
import {
  accessTokenEntityArb,
  accountEntityArb,
  appMetadataEntityArb,
  idTokenEntityArb,
  refreshTokenEntityArb,
  unreadableEntryArb,
} from './credentials.js'
import { tokenEventArb } from './tokenResponse.js'

/** Keys as MSAL writes them, or occasionally another SDK's layout or a wrong key. */
const keyed = <E>(entry: fc.Arbitrary<E>, keyOf: (e: E) => string): fc.Arbitrary<readonly [string, E]> =>
  fc
    .tuple(entry, fc.constantFrom('msal', 'msal', 'msal', 'msal-node', 'wrong'), fc.nat({ max: 99 }))
    .map(([e, style, n]) => [style === 'msal' ? keyOf(e) : style === 'msal-node' ? `${keyOf(e)}-` : `wrong-key-${n}`, e] as const)

/** Now and then an entry the reader cannot understand, under a key of its own. */
const unreadable = <E extends object>(entry: fc.Arbitrary<E>): fc.Arbitrary<readonly [string, unknown]> =>
  fc.tuple(unreadableEntryArb(entry), fc.nat({ max: 99 })).map(([e, n]) => [`unreadable-${n}`, e] as const)

const section = <E extends object>(entry: fc.Arbitrary<E>, keyOf: (e: E) => string, max: number): fc.Arbitrary<Readonly<Record<string, unknown>>> =>
  fc
    .tuple(fc.array(keyed(entry, keyOf), { maxLength: max }), fc.array(unreadable(entry), { maxLength: 2 }))
    .map(([pairs, bad]) => {
      const out: Record<string, unknown> = {}
      for (const [k, e] of [...pairs, ...bad]) Object.defineProperty(out, k, { value: e, enumerable: true, writable: true, configurable: true })
      return out
    })

/**
 * A parsed cache document with the five MSAL sections (some keys in msal-node's layout,
 * some deliberately wrong), unknown fields and `null`s in entries, now and then entries
 * a reader cannot understand (see `unreadableEntryArb`), and sometimes unknown top-level
 * sections. Always valid for `deserialize`, which keeps the entries it cannot read.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const msalCacheObjectArb = (maxPerSection = 12): fc.Arbitrary<Readonly<Record<string, unknown>>> =>
  fc
    .tuple(
      section(accessTokenEntityArb, accessTokenKey, maxPerSection),
      section(refreshTokenEntityArb, refreshTokenKey, maxPerSection),
      section(idTokenEntityArb, idTokenKey, maxPerSection),
      section(accountEntityArb, accountKey, maxPerSection),
      section(appMetadataEntityArb, appMetadataKey, maxPerSection),
      fc.dictionary(fc.constantFrom('customized', 'AuthorityMetadata', 'x-ms-extra'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
    )
    .map(([at, rt, idt, acct, am, extra]) => ({
      ...extra,
      AccessToken: at,
      RefreshToken: rt,
      IdToken: idt,
      Account: acct,
      AppMetadata: am,
    }))

/**
 * Cache JSON text as an MSAL SDK writes it (MSAL Python's `indent=4` or compact).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const msalCacheJsonArb = (maxPerSection = 12): fc.Arbitrary<string> =>
  fc.tuple(msalCacheObjectArb(maxPerSection), fc.boolean()).map(([o, pretty]) => JSON.stringify(o, null, pretty ? 4 : undefined))

/**
 * A `CacheState` read from MSAL-written JSON (see {@link msalCacheObjectArb}).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const deserializedCacheArb = (maxPerSection = 12): fc.Arbitrary<CacheState> =>
  msalCacheJsonArb(maxPerSection).map((json) => {
    const r = deserialize(json)
    if (E.isLeft(r)) throw new Error(`msalCacheJsonArb produced an unreadable cache: ${r.left.message}`)
    return r.right
  })

/**
 * A `CacheState` built by folding arbitrary token answers into the empty cache.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const foldedCacheArb = (maxEvents = 12): fc.Arbitrary<CacheState> =>
  fc.array(tokenEventArb, { maxLength: maxEvents }).map((events) => events.reduce((s, e) => addTokenResponse(e)(s), emptyCache))

/**
 * Any cache: read from MSAL-written JSON, built by folding, or the first with answers
 * folded on top.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const cacheStateArb = (size = 12): fc.Arbitrary<CacheState> =>
  fc.oneof(
    deserializedCacheArb(size),
    foldedCacheArb(size),
    fc
      .tuple(deserializedCacheArb(size), fc.array(tokenEventArb, { maxLength: size }))
      .map(([s, events]) => events.reduce((acc, e) => addTokenResponse(e)(acc), s)),
  )
