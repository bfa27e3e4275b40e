/**
 * A bounded in-memory store: {@link memoryStore} with a maximum number of entries and/or
 * bytes, kept by evicting after every save.
 *
 * ### What counts
 *
 * Access tokens, refresh tokens, id tokens and accounts count toward the bound, each as one
 * entry and as the UTF-8 length of its cache key plus its JSON text as `serialize` writes it
 * ({@link entryBytes}). App metadata (one small entry per client and cloud, holding the FOCI
 * flag) and entries authfold cannot read (kept verbatim from a loaded cache) are neither
 * counted nor evicted.
 *
 * ### What goes first
 *
 * When a save leaves the cache over a limit, entries go in this order until it is within:
 *
 * 1. expired access tokens (`expires_on` before now), the longest expired first;
 * 2. the least recently used *owner*, all its entries at once. An account (every entry with
 *    its `home_account_id`, in every cloud: access tokens, refresh tokens, id tokens and the
 *    account itself) is one owner, so no access token outlives its account. An app token
 *    (an access token with no account, from client credentials) is an owner of its own:
 *    app tokens of distinct scopes are evicted one by one, least recently used first.
 *
 * "Used" means written by a save (a grant's answer folded in) or found by a facade's cache
 * lookup (the facades tell the store through {@link CacheStore.markUsed}). Reading accounts
 * (`getAccounts`) does not count, nor does a lookup a grant makes on its own snapshot (the
 * slow path of a call the facade could not answer synchronously, e.g. with an FMI path).
 *
 * A limit below the size of one account's entries keeps none of them: the save that wrote
 * them is then evicted at once.
 *
 * ### Cost
 *
 * The store finds what a save changed by replaying it onto the empty cache (`rebase`), so a
 * save costs the size of the change, not of the cache; evicting an owner costs the size of
 * that owner. `peek` stays the plain read of {@link memoryStore}; a facade's cache hit adds
 * one map update per token found. It uses only the cache's public functions.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { systemClock, type Clock } from '@authfold/core'
import { accessTokenKeyOf, findAccessTokens, removeAccessToken, type AccessTokenFinder, type AccessTokenLookup } from '../accessTokens.js'
import { rebase } from '../rebase.js'
import { removeAccount, removeAppTokens } from '../remove.js'
import { CredentialType, keyIdOf, nonEmpty, scopesOf, secondsOf, str, tokenTypeOf, userAssertionHashOf, type AccessTokenEntity } from '../schema.js'
import { toJsonObject } from '../serialize.js'
import { emptyCache, type CacheState } from '../state.js'
import type { CacheStore, StoreError } from './store.js'

/**
 * Options of {@link boundedStore}. Give `maxEntries`, `maxBytes` or both; a limit that is
 * left out (or not a finite number) does not bound.
 *
 * @category model
 * @since 0.1.0
 */
export interface BoundedStoreOptions {
  /** At most this many access tokens, refresh tokens, id tokens and accounts together. */
  readonly maxEntries?: number
  /** At most this many bytes of entries together, each measured by {@link entryBytes}. */
  readonly maxBytes?: number
  /** The state to start from (evicted down to the bound at once). Default: empty. */
  readonly initial?: CacheState
  /** The clock that tells expired access tokens, in milliseconds. Default: `Date.now`. */
  readonly now?: Clock
}

/** The sections that count toward the bound. */
const COUNTED: ReadonlyArray<string> = [CredentialType.ACCESS_TOKEN, CredentialType.REFRESH_TOKEN, CredentialType.ID_TOKEN, CredentialType.ACCOUNT]

/** The fields of an entry the store keeps to find it again (strings shared with the entry). */
interface Tracked {
  readonly section: string
  readonly key: string
  readonly owner: string
  readonly bytes: number
  /** `expires_on` of an access token; `undefined` for other entries. */
  readonly expiresOn: number | undefined
  readonly entry: AccessTokenEntity
}

/** An owner, a node of the list of owners in order of use (the least recently used first). */
interface Owner {
  readonly name: string
  /** `home_account_id` as written, `''` for an app token. */
  readonly home: string
  readonly ids: Set<string>
  prev: Owner | undefined
  next: Owner | undefined
}

const utf8Length = (s: string): number => {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/**
 * The size an entry counts for in {@link BoundedStoreOptions.maxBytes}: the UTF-8 length of
 * its cache key plus that of its JSON text (`JSON.stringify` of the entry as `toJsonObject`
 * writes it).
 *
 * @category utils
 * @since 0.1.0
 */
export const entryBytes = (key: string, entry: unknown): number => utf8Length(key) + utf8Length(JSON.stringify(entry) ?? '')

const lower = (v: string | null | undefined): string => str(v).toLowerCase()

/**
 * The owner an entry is evicted with (see the module comment): `account` and the lower-cased
 * home account id for every entry of an account; for an app token (no home account), the
 * token itself, named by every field its lookup matches on.
 *
 * @category utils
 * @since 0.1.0
 */
export const evictionOwnerOf = (section: string, e: AccessTokenEntity): string => {
  const home = lower(e.home_account_id)
  if (home !== '' || section !== CredentialType.ACCESS_TOKEN) return `account\u0000${home}`
  return [
    'app',
    lower(e.client_id),
    lower(e.environment),
    lower(e.realm),
    lower(e.credential_type),
    lower(tokenTypeOf(e)),
    str(keyIdOf(e)),
    str(nonEmpty(e.ext_cache_key)),
    str(userAssertionHashOf(e)),
    scopesOf(e.target)
      .map((s) => s.toLowerCase())
      .sort()
      .join(' '),
  ].join('\u0000')
}

/** An id for one entry: its section and key. */
const idOf = (section: string, key: string): string => `${section}\u0000${key}`

/**
 * The readable, counted entries `after` has written over `before` (new or replaced), as
 * `[section, key, entry]`: `after`'s changes replayed onto the empty cache, then written out.
 * Costs the size of the change.
 */
const writtenEntries = (before: CacheState, after: CacheState): ReadonlyArray<readonly [string, string, AccessTokenEntity]> => {
  if (before === after) return []
  const delta = rebase(before, after, emptyCache)
  const json = toJsonObject(delta)
  const unreadable = new Set(delta.unreadable.map(([section, key]) => idOf(section, key)))
  const out: Array<readonly [string, string, AccessTokenEntity]> = []
  for (const section of COUNTED) {
    const entries = json[section]
    if (typeof entries !== 'object' || entries === null) continue
    for (const [key, entry] of Object.entries(entries as Readonly<Record<string, unknown>>)) {
      if (!unreadable.has(idOf(section, key))) out.push([section, key, entry as AccessTokenEntity])
    }
  }
  return out
}

// A binary min-heap of [expires_on, id] for the access tokens, so the most expired one is
// found without a scan. Nodes whose entry changed or left are skipped when they surface.
type HeapNode = readonly [number, string]
const heapPush = (h: Array<HeapNode>, node: HeapNode): void => {
  h.push(node)
  let i = h.length - 1
  while (i > 0) {
    const p = (i - 1) >> 1
    const hp = h[p] as HeapNode
    if (hp[0] <= node[0]) break
    h[i] = hp
    i = p
  }
  h[i] = node
}
const heapPop = (h: Array<HeapNode>): void => {
  const last = h.pop()
  if (last === undefined || h.length === 0) return
  let i = 0
  for (;;) {
    const l = 2 * i + 1
    if (l >= h.length) break
    const r = l + 1
    const c = r < h.length && (h[r] as HeapNode)[0] < (h[l] as HeapNode)[0] ? r : l
    const hc = h[c] as HeapNode
    if (hc[0] >= last[0]) break
    h[i] = hc
    i = c
  }
  h[i] = last
}

const queryOf = (t: Tracked, home: string) => ({
  clientId: str(t.entry.client_id),
  environments: [str(t.entry.environment)],
  realm: str(t.entry.realm),
  homeAccountId: home,
  scopes: scopesOf(t.entry.target),
  tokenType: tokenTypeOf(t.entry),
  ...(keyIdOf(t.entry) === undefined ? {} : { keyId: keyIdOf(t.entry) as string }),
  ...(nonEmpty(t.entry.ext_cache_key) === undefined ? {} : { extCacheKey: t.entry.ext_cache_key as string }),
  ...(userAssertionHashOf(t.entry) === undefined ? {} : { userAssertionHash: userAssertionHashOf(t.entry) as string }),
})

/** Removes one tracked access token: found by its fields, matched by its key. */
const removeTrackedAccessToken =
  (t: Tracked) =>
  (s: CacheState): CacheState => {
    const home = str(t.entry.home_account_id)
    for (const e of findAccessTokens(queryOf(t, home))(s)) if (accessTokenKeyOf(e)(s) === t.key) return removeAccessToken(e)(s)
    // not found by a lookup (a token of a type no lookup serves): remove its whole bucket
    return home === ''
      ? removeAppTokens({ clientId: str(t.entry.client_id), environments: [str(t.entry.environment)], realm: str(t.entry.realm) })(s)
      : removeAccount({ clientId: str(t.entry.client_id), homeAccountId: home, environment: str(t.entry.environment) })(s)
  }

/** Removes every entry of an account: `removeAccount` for each app and cloud it has entries of. */
const removeAccountEverywhere =
  (home: string, tracked: ReadonlyArray<Tracked>) =>
  (s: CacheState): CacheState => {
    const seen = new Set<string>()
    let out = s
    for (const t of tracked) {
      const clientId = str(t.entry.client_id)
      const environment = str(t.entry.environment)
      const k = `${clientId.toLowerCase()}\u0000${environment.toLowerCase()}`
      if (seen.has(k)) continue
      seen.add(k)
      out = removeAccount({ clientId, homeAccountId: home, environment })(out)
    }
    return out
  }

/**
 * An in-memory {@link CacheStore} holding at most `maxEntries` entries and/or `maxBytes`
 * bytes after every save: over a limit, it evicts expired access tokens first, then the
 * least recently used account (all its entries) or app token (see the module comment for
 * the rules). Lookups on what it keeps answer as the unbounded cache would. Use it as
 * `cacheStore` of `createConfidentialClient` / `createPublicClient`.
 *
 * @example
 * ```ts
 * import { boundedStore } from '@authfold/cache'
 *
 * const cacheStore = boundedStore({ maxEntries: 10_000, maxBytes: 16 * 1024 * 1024 })
 * ```
 * @category stores
 * @since 0.1.0
 */
export const boundedStore = (options: BoundedStoreOptions): CacheStore<StoreError> => {
  const maxEntries = Number.isFinite(options.maxEntries) ? (options.maxEntries as number) : Infinity
  const maxBytes = Number.isFinite(options.maxBytes) ? (options.maxBytes as number) : Infinity
  const now = options.now ?? systemClock
  const entries = new Map<string, Tracked>()
  const owners = new Map<string, Owner>()
  // owners in order of use, a doubly linked list (a touch is a few pointer writes)
  let oldest: Owner | undefined
  let newest: Owner | undefined
  const unlink = (o: Owner): void => {
    if (o.prev === undefined) oldest = o.next
    else o.prev.next = o.next
    if (o.next === undefined) newest = o.prev
    else o.next.prev = o.prev
    o.prev = undefined
    o.next = undefined
  }
  const append = (o: Owner): void => {
    o.prev = newest
    o.next = undefined
    if (newest === undefined) oldest = o
    else newest.next = o
    newest = o
  }
  const expiries: Array<HeapNode> = []
  const ownerOfFound = new WeakMap<AccessTokenEntity, string>()
  let bytes = 0

  const touch = (owner: string): void => {
    const o = owners.get(owner)
    if (o === undefined || o === newest) return
    unlink(o)
    append(o)
  }

  const forget = (id: string): void => {
    const t = entries.get(id)
    if (t === undefined) return
    entries.delete(id)
    bytes -= t.bytes
    const o = owners.get(t.owner)
    if (o === undefined) return
    o.ids.delete(id)
    if (o.ids.size === 0) {
      owners.delete(t.owner)
      unlink(o)
    }
  }

  const record = (section: string, key: string, entry: AccessTokenEntity): void => {
    const id = idOf(section, key)
    forget(id)
    const owner = evictionOwnerOf(section, entry)
    const expiresOn = section === CredentialType.ACCESS_TOKEN ? secondsOf(entry.expires_on) : undefined
    const t: Tracked = { section, key, owner, bytes: entryBytes(key, entry), expiresOn, entry }
    entries.set(id, t)
    bytes += t.bytes
    const known = owners.get(owner)
    const o: Owner = known ?? { name: owner, home: str(entry.home_account_id), ids: new Set<string>(), prev: undefined, next: undefined }
    o.ids.add(id)
    if (known === undefined) {
      owners.set(owner, o)
      append(o)
    } else touch(owner)
    if (expiresOn !== undefined) heapPush(expiries, [expiresOn, id])
  }

  /** Brings the bookkeeping from `before` to `after`: removed entries forgotten, written ones recorded as just used. */
  const follow = (before: CacheState, after: CacheState): void => {
    if (before === after) return
    const written = writtenEntries(before, after)
    const kept = new Set(written.map(([section, key]) => idOf(section, key)))
    for (const [section, key] of writtenEntries(after, before)) if (!kept.has(idOf(section, key))) forget(idOf(section, key))
    for (const [section, key, entry] of written) record(section, key, entry)
    if (expiries.length > 2 * entries.size + 64) {
      expiries.length = 0
      for (const [id, t] of entries) if (t.expiresOn !== undefined) heapPush(expiries, [t.expiresOn, id])
    }
  }

  const over = (): boolean => entries.size > maxEntries || bytes > maxBytes

  /** The most expired access token, if one expired before `nowSeconds`. */
  const expiredVictim = (nowSeconds: number): Tracked | undefined => {
    for (;;) {
      const top = expiries[0]
      if (top === undefined) return undefined
      const t = entries.get(top[1])
      if (t === undefined || t.expiresOn !== top[0]) {
        heapPop(expiries)
        continue
      }
      return top[0] < nowSeconds ? t : undefined
    }
  }

  /** Evicts until within the bound; entries that no removal reaches are forgotten. */
  const evict = (s: CacheState): CacheState => {
    const nowSeconds = now() / 1000
    let current = s
    while (over()) {
      const expired = expiredVictim(nowSeconds)
      let victims: ReadonlyArray<Tracked>
      let next: CacheState
      if (expired !== undefined) {
        victims = [expired]
        next = removeTrackedAccessToken(expired)(current)
      } else {
        const o = oldest
        if (o === undefined) break
        victims = Array.from(o.ids, (id) => entries.get(id)).filter((t): t is Tracked => t !== undefined)
        next =
          o.home === '' && victims.every((t) => t.section === CredentialType.ACCESS_TOKEN && str(t.entry.home_account_id) === '')
            ? victims.reduce((acc, t) => removeTrackedAccessToken(t)(acc), current)
            : removeAccountEverywhere(o.home, victims)(current)
      }
      follow(current, next)
      // what no removal reached (it cannot be in the cache as a readable entry) is not counted
      for (const t of victims) forget(idOf(t.section, t.key))
      current = next
    }
    return current
  }

  const initial = options.initial ?? emptyCache
  follow(emptyCache, initial)
  let state = evict(initial)

  return {
    load: () => TE.right(state),
    peek: () => state,
    update: (f) =>
      TE.fromIO(() => {
        const next = f(state)
        follow(state, next)
        state = evict(next)
        return state
      }),
    markUsed: (found) => {
      for (const e of found) {
        let owner = ownerOfFound.get(e)
        if (owner === undefined) {
          owner = evictionOwnerOf(CredentialType.ACCESS_TOKEN, e)
          ownerOfFound.set(e, owner)
        }
        touch(owner)
      }
    },
  }
}

/**
 * A lookup that tells `store` what it found (`markUsed`), so a store that evicts by
 * recency ({@link boundedStore}) counts cache hits as use; `find` itself when the store
 * does not ask. The facades build their lookup with it.
 *
 * @category stores
 * @since 0.1.0
 */
export const reportingFinder = (find: AccessTokenFinder, store: CacheStore): AccessTokenFinder => {
  if (store.markUsed === undefined) return find
  const lookup = reportingLookup((q, s) => find(q)(s), store)
  return (q) => (s) => lookup(q, s)
}

/**
 * {@link reportingFinder} for an uncurried lookup (and what it is built on): tells `store`
 * what `lookup` found (`markUsed`), or is `lookup` itself when the store does not ask.
 *
 * @category stores
 * @since 0.1.0
 */
export const reportingLookup = (lookup: AccessTokenLookup, store: CacheStore): AccessTokenLookup => {
  const markUsed = store.markUsed
  if (markUsed === undefined) return lookup
  return (q, s) => {
    const found = lookup(q, s)
    if (found.length > 0) markUsed(found)
    return found
  }
}
