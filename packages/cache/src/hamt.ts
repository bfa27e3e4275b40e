/**
 * A small persistent (immutable) hash map from strings to values: a hash array mapped
 * trie (HAMT) with 32-way branching and structural sharing.
 *
 * Every write returns a new map and copies only the O(log32 n) nodes on the path to the
 * changed key, so a write into a cache of a hundred thousand entries touches about four
 * small arrays instead of copying a hundred thousand slots. Reads never allocate.
 *
 * The cache keeps its sections and its indexes in these maps; it is exported for users
 * who build their own indexes beside a `CacheState`.
 *
 * @module
 */

/** @internal */
interface Leaf<V> {
  readonly t: 0
  readonly hash: number
  readonly key: string
  readonly value: V
}

/** @internal */
interface Branch<V> {
  readonly t: 1
  readonly bitmap: number
  readonly children: ReadonlyArray<HamtNode<V>>
}

/** @internal */
interface Collision<V> {
  readonly t: 2
  readonly hash: number
  readonly entries: ReadonlyArray<Leaf<V>>
}

/**
 * A node of the trie (implementation detail, exposed only as part of {@link Hamt}).
 *
 * @category model
 * @since 0.1.0
 */
export type HamtNode<V> = Leaf<V> | Branch<V> | Collision<V>

/**
 * A plain object a map reads through (see {@link hamtFromRecord}): its own keys, less the
 * `hidden` ones, are the map's keys where the trie does not say otherwise. Never written.
 *
 * @category model
 * @since 0.1.0
 */
export interface HamtBase<V> {
  readonly record: Readonly<Record<string, V>>
  /** `Object.keys(record)`, read once (a dictionary object's keys cost a sort each time). */
  readonly keys: ReadonlyArray<string>
  /** Keys of `record` that are not in the map (removed since, or never meant to be). */
  readonly hidden: Hamt<true>
  /**
   * Derived data shared by every map over this record: its values in `keys` order, filled
   * by the first {@link hamtFilter} (a scan then reads an array, not a dictionary).
   */
  readonly memo: { values?: ReadonlyArray<V> }
}

/**
 * A persistent map from string keys to values: a trie, and optionally a plain object it
 * reads through (a section of a parsed cache document, kept as parsed instead of copied
 * into the trie; writes go to the trie, removals of the object's keys to `base.hidden`).
 *
 * @category model
 * @since 0.1.0
 */
export interface Hamt<V> {
  readonly root: HamtNode<V> | undefined
  readonly size: number
  readonly base?: HamtBase<V>
}

const BITS = 5
const MASK = 31

/**
 * FNV-1a over UTF-16 code units, kept to 30 bits: a small integer V8 stores inside the
 * leaf (a 32-bit hash above 2^30 would be a separate heap number per entry, 12 more
 * bytes and one more allocation each). Six levels of 5 bits use all 30; keys whose
 * hashes agree in all of them share a collision node.
 */
const hashOf = (key: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h ^ (h >>> 30)) & 0x3fffffff
}

const popcount = (x: number): number => {
  let v = x - ((x >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff
}

const frag = (hash: number, shift: number): number => (hash >>> shift) & MASK

const nodeHash = <V>(n: Leaf<V> | Collision<V>): number => n.hash

const arraySet = <A>(arr: ReadonlyArray<A>, i: number, a: A): ReadonlyArray<A> => {
  const out = arr.slice()
  out[i] = a
  return out
}

const arrayInsert = <A>(arr: ReadonlyArray<A>, i: number, a: A): ReadonlyArray<A> => {
  const out = arr.slice(0, i)
  out.push(a)
  for (let j = i; j < arr.length; j++) out.push(arr[j] as A)
  return out
}

const arrayRemove = <A>(arr: ReadonlyArray<A>, i: number): ReadonlyArray<A> => {
  const out = arr.slice(0, i)
  for (let j = i + 1; j < arr.length; j++) out.push(arr[j] as A)
  return out
}

/**
 * The empty map.
 *
 * @category constructors
 * @since 0.1.0
 */
export const emptyHamt: Hamt<never> = { root: undefined, size: 0 }

/**
 * The value stored under `key`, or `undefined`. O(log32 n), no allocation.
 *
 * @category queries
 * @since 0.1.0
 */
export const hamtGet = <V>(m: Hamt<V>, key: string): V | undefined => {
  if (m.base === undefined) return trieGet(m.root, key)
  if (m.root !== undefined) {
    const v = trieGet(m.root, key)
    if (v !== undefined) return v
  }
  return baseGet(m.base, key)
}

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key)

/** The base's value under `key` (not hidden), or `undefined`. */
const baseGet = <V>(b: HamtBase<V>, key: string): V | undefined =>
  hasOwn(b.record, key) && (b.hidden.size === 0 || trieGet(b.hidden.root, key) === undefined) ? b.record[key] : undefined

const trieGet = <V>(root: HamtNode<V> | undefined, key: string): V | undefined => {
  const hash = hashOf(key)
  let node = root
  let shift = 0
  while (node !== undefined) {
    switch (node.t) {
      case 0:
        return node.key === key ? node.value : undefined
      case 2: {
        if (node.hash !== hash) return undefined
        for (const e of node.entries) if (e.key === key) return e.value
        return undefined
      }
      case 1: {
        const bit = 1 << frag(hash, shift)
        if ((node.bitmap & bit) === 0) return undefined
        node = node.children[popcount(node.bitmap & (bit - 1))]
        shift += BITS
      }
    }
  }
  return undefined
}

/**
 * True when `key` is present.
 *
 * @category queries
 * @since 0.1.0
 */
export const hamtHas = <V>(m: Hamt<V>, key: string): boolean => hamtGet(m, key) !== undefined

const mergeNodes = <V>(shift: number, a: Leaf<V> | Collision<V>, b: Leaf<V>): HamtNode<V> => {
  const fa = frag(nodeHash(a), shift)
  const fb = frag(b.hash, shift)
  if (fa === fb) return { t: 1, bitmap: 1 << fa, children: [mergeNodes(shift + BITS, a, b)] }
  return fa < fb
    ? { t: 1, bitmap: (1 << fa) | (1 << fb), children: [a, b] }
    : { t: 1, bitmap: (1 << fa) | (1 << fb), children: [b, a] }
}

/** Returns the new node and whether a key was added (versus replaced or unchanged). */
const setNode = <V>(
  node: HamtNode<V> | undefined,
  shift: number,
  leaf: Leaf<V>,
): readonly [HamtNode<V>, boolean] => {
  if (node === undefined) return [leaf, true]
  switch (node.t) {
    case 0: {
      if (node.key === leaf.key) return node.value === leaf.value ? [node, false] : [leaf, false]
      if (node.hash === leaf.hash) return [{ t: 2, hash: leaf.hash, entries: [node, leaf] }, true]
      return [mergeNodes(shift, node, leaf), true]
    }
    case 2: {
      if (node.hash !== leaf.hash) return [mergeNodes(shift, node, leaf), true]
      const i = node.entries.findIndex((e) => e.key === leaf.key)
      if (i < 0) return [{ t: 2, hash: node.hash, entries: [...node.entries, leaf] }, true]
      if (node.entries[i]?.value === leaf.value) return [node, false]
      return [{ t: 2, hash: node.hash, entries: arraySet(node.entries, i, leaf) }, false]
    }
    case 1: {
      const bit = 1 << frag(leaf.hash, shift)
      const idx = popcount(node.bitmap & (bit - 1))
      if ((node.bitmap & bit) === 0) {
        return [{ t: 1, bitmap: node.bitmap | bit, children: arrayInsert(node.children, idx, leaf) }, true]
      }
      const child = node.children[idx]
      const [next, added] = setNode(child, shift + BITS, leaf)
      if (next === child) return [node, false]
      return [{ t: 1, bitmap: node.bitmap, children: arraySet(node.children, idx, next) }, added]
    }
  }
}

/**
 * A new map with `key` bound to `value`. Returns the same map (by reference) when the
 * key already holds that exact value. O(log32 n) time and allocation.
 *
 * @category combinators
 * @since 0.1.0
 */
export const hamtSet = <V>(m: Hamt<V>, key: string, value: V): Hamt<V> => {
  if (m.base !== undefined) {
    const old = hamtGet(m, key)
    if (old === value) return m
    const [root] = setNode(m.root, 0, { t: 0, hash: hashOf(key), key, value })
    return { root, size: old === undefined ? m.size + 1 : m.size, base: m.base }
  }
  const [root, added] = setNode(m.root, 0, { t: 0, hash: hashOf(key), key, value })
  if (root === m.root) return m
  return { root, size: added ? m.size + 1 : m.size }
}

const NOT_FOUND = Symbol('not found')

const removeNode = <V>(
  node: HamtNode<V>,
  shift: number,
  hash: number,
  key: string,
): HamtNode<V> | undefined | typeof NOT_FOUND => {
  switch (node.t) {
    case 0:
      return node.key === key ? undefined : NOT_FOUND
    case 2: {
      if (node.hash !== hash) return NOT_FOUND
      const i = node.entries.findIndex((e) => e.key === key)
      if (i < 0) return NOT_FOUND
      const rest = arrayRemove(node.entries, i)
      return rest.length === 1 ? rest[0] : { t: 2, hash: node.hash, entries: rest }
    }
    case 1: {
      const bit = 1 << frag(hash, shift)
      if ((node.bitmap & bit) === 0) return NOT_FOUND
      const idx = popcount(node.bitmap & (bit - 1))
      const child = node.children[idx] as HamtNode<V>
      const next = removeNode(child, shift + BITS, hash, key)
      if (next === NOT_FOUND) return NOT_FOUND
      if (next === undefined) {
        const bitmap = node.bitmap & ~bit
        if (bitmap === 0) return undefined
        const children = arrayRemove(node.children, idx)
        const only = children[0]
        if (children.length === 1 && only !== undefined && only.t !== 1) return only
        return { t: 1, bitmap, children }
      }
      if (node.children.length === 1 && next.t !== 1) return next
      return { t: 1, bitmap: node.bitmap, children: arraySet(node.children, idx, next) }
    }
  }
}

/**
 * A new map without `key`; the same map (by reference) when the key is absent.
 *
 * @category combinators
 * @since 0.1.0
 */
export const hamtRemove = <V>(m: Hamt<V>, key: string): Hamt<V> => {
  if (m.base !== undefined) {
    if (hamtGet(m, key) === undefined) return m
    const next = m.root === undefined ? NOT_FOUND : removeNode(m.root, 0, hashOf(key), key)
    const root = next === NOT_FOUND ? m.root : next
    const base = hasOwn(m.base.record, key) ? { ...m.base, hidden: hamtSet(m.base.hidden, key, true as const) } : m.base
    return { root, size: m.size - 1, base }
  }
  if (m.root === undefined) return m
  const next = removeNode(m.root, 0, hashOf(key), key)
  if (next === NOT_FOUND) return m
  return { root: next, size: m.size - 1 }
}

function* walk<V>(node: HamtNode<V> | undefined): Generator<readonly [string, V]> {
  if (node === undefined) return
  switch (node.t) {
    case 0:
      yield [node.key, node.value]
      return
    case 2:
      for (const e of node.entries) yield [e.key, e.value]
      return
    case 1:
      for (const c of node.children) yield* walk(c)
  }
}

/**
 * Every `[key, value]` pair, in hash order (not insertion order; sort when you need a
 * stable order).
 *
 * @category queries
 * @since 0.1.0
 */
export const hamtEntries = <V>(m: Hamt<V>): IterableIterator<readonly [string, V]> => (m.base === undefined ? walk(m.root) : walkWithBase(m))

function* walkWithBase<V>(m: Hamt<V>): Generator<readonly [string, V]> {
  const b = m.base
  if (b !== undefined) {
    for (const k of b.keys) {
      if (b.hidden.size > 0 && trieGet(b.hidden.root, k) !== undefined) continue
      if (m.root !== undefined && trieGet(m.root, k) !== undefined) continue
      yield [k, b.record[k] as V]
    }
  }
  yield* walk(m.root)
}

/**
 * The `[key, value]` pairs whose value passes `test`, in the order of {@link hamtEntries}:
 * one pass with no allocation per pair visited (a scan of a map read through a parsed
 * object tests each of the object's own values first, hidden or rewritten ones included,
 * and checks that the map still holds the key only for those that pass). O(n).
 *
 * @category queries
 * @since 0.1.0
 */
export const hamtFilter = <V>(m: Hamt<V>, test: (v: V) => boolean): Array<readonly [string, V]> => {
  const out: Array<readonly [string, V]> = []
  const b = m.base
  if (b !== undefined) {
    const keys = b.keys
    let values = b.memo.values
    if (values === undefined) {
      const record = b.record
      values = keys.map((k) => record[k] as V)
      b.memo.values = values
    }
    for (let i = 0; i < keys.length; i++) {
      const v = values[i] as V
      if (!test(v)) continue
      const k = keys[i] as string
      if (b.hidden.size > 0 && trieGet(b.hidden.root, k) !== undefined) continue
      if (m.root !== undefined && trieGet(m.root, k) !== undefined) continue
      out.push([k, v])
    }
  }
  // the trie of a loaded map holds only what was written since: few entries
  for (const pair of walk(m.root)) if (test(pair[1])) out.push(pair)
  return out
}

/**
 * Every key, in hash order.
 *
 * @category queries
 * @since 0.1.0
 */
export function* hamtKeys<V>(m: Hamt<V>): IterableIterator<string> {
  for (const [k] of hamtEntries(m)) yield k
}

/**
 * Every value, in hash order.
 *
 * @category queries
 * @since 0.1.0
 */
export function* hamtValues<V>(m: Hamt<V>): IterableIterator<V> {
  for (const [, v] of hamtEntries(m)) yield v
}

const collect = <V>(node: HamtNode<V> | undefined): Map<string, V> => {
  const m = new Map<string, V>()
  for (const [k, v] of walk(node)) m.set(k, v)
  return m
}

const diffNodes = <V>(
  a: HamtNode<V> | undefined,
  b: HamtNode<V> | undefined,
  out: Array<readonly [string, V | undefined]>,
): void => {
  if (a === b) return
  if (a !== undefined && b !== undefined && a.t === 1 && b.t === 1) {
    const all = a.bitmap | b.bitmap
    for (let f = 0; f < 32; f++) {
      const bit = 1 << f
      if ((all & bit) === 0) continue
      const ca = (a.bitmap & bit) === 0 ? undefined : a.children[popcount(a.bitmap & (bit - 1))]
      const cb = (b.bitmap & bit) === 0 ? undefined : b.children[popcount(b.bitmap & (bit - 1))]
      diffNodes(ca, cb, out)
    }
    return
  }
  const ma = collect(a)
  const mb = collect(b)
  for (const [k, v] of mb) if (ma.get(k) !== v || !ma.has(k)) out.push([k, v])
  for (const k of ma.keys()) if (!mb.has(k)) out.push([k, undefined])
}

/**
 * What changed from `a` to `b`: `[key, value]` for keys added or re-bound (by
 * reference), `[key, undefined]` for keys removed. Subtrees the two maps share are
 * skipped, so the cost follows the size of the change, not of the maps.
 *
 * @category queries
 * @since 0.1.0
 */
export const hamtDiff = <V>(a: Hamt<V>, b: Hamt<V>): ReadonlyArray<readonly [string, V | undefined]> => {
  const out: Array<readonly [string, V | undefined]> = []
  if (a.base === undefined && b.base === undefined) {
    diffNodes(a.root, b.root, out)
    return out
  }
  if (a === b) return out
  if (a.base !== undefined && b.base !== undefined && a.base.record === b.base.record) {
    // one document under both: only keys either trie or either hidden set touched can differ
    const touched = new Set<string>()
    const trie: Array<readonly [string, V | undefined]> = []
    diffNodes(a.root, b.root, trie)
    for (const [k] of trie) touched.add(k)
    const hidden: Array<readonly [string, true | undefined]> = []
    diffNodes(a.base.hidden.root, b.base.hidden.root, hidden)
    for (const [k] of hidden) touched.add(k)
    for (const k of touched) {
      const vb = hamtGet(b, k)
      if (hamtGet(a, k) !== vb) out.push([k, vb])
    }
    return out
  }
  const ma = new Map(hamtEntries(a))
  const mb = new Map(hamtEntries(b))
  for (const [k, v] of mb) if (ma.get(k) !== v || !ma.has(k)) out.push([k, v])
  for (const k of ma.keys()) if (!mb.has(k)) out.push([k, undefined])
  return out
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Inserts into nodes this build created itself, mutating them in place. */
const insertOwned = <V>(node: HamtNode<V> | undefined, shift: number, leaf: Leaf<V>, added: { n: number }): HamtNode<V> => {
  if (node === undefined) {
    added.n++
    return leaf
  }
  switch (node.t) {
    case 0:
      if (node.key === leaf.key) return leaf
      added.n++
      if (node.hash === leaf.hash) return { t: 2, hash: leaf.hash, entries: [node, leaf] }
      return mergeNodes(shift, node, leaf)
    case 2: {
      if (node.hash !== leaf.hash) {
        added.n++
        return mergeNodes(shift, node, leaf)
      }
      const entries = node.entries as Array<Leaf<V>>
      const i = entries.findIndex((e) => e.key === leaf.key)
      if (i < 0) {
        added.n++
        entries.push(leaf)
      } else entries[i] = leaf
      return node
    }
    case 1: {
      const b = node as Mutable<Branch<V>>
      const children = b.children as Array<HamtNode<V>>
      const bit = 1 << frag(leaf.hash, shift)
      const idx = popcount(b.bitmap & (bit - 1))
      if ((b.bitmap & bit) === 0) {
        added.n++
        children.splice(idx, 0, leaf)
        b.bitmap |= bit
      } else {
        children[idx] = insertOwned(children[idx], shift + BITS, leaf, added)
      }
      return node
    }
  }
}

/**
 * A map holding the given pairs (a later pair wins over an earlier one with the same
 * key), built in one pass with no intermediate versions: several times faster than
 * repeated {@link hamtSet} for loading a large cache.
 *
 * @category constructors
 * @since 0.1.0
 */
export const hamtFromEntries = <V>(entries: Iterable<readonly [string, V]>): Hamt<V> => {
  const added = { n: 0 }
  let root: HamtNode<V> | undefined
  for (const [key, value] of entries) root = insertOwned(root, 0, { t: 0, hash: hashOf(key), key, value }, added)
  return { root, size: added.n }
}

/**
 * A map that reads through a plain object instead of copying it: its own keys but the
 * `hidden` ones, bound to their values (`keys`, when given, must be `Object.keys(record)`:
 * what a caller that has just read them passes). O(n) to count the keys, nothing copied; reads
 * and writes then cost what they cost in a trie (writes go to the trie; the object is
 * never written, so keep it unchanged). What `deserialize` uses for a section of the
 * parsed document: no second copy of a hundred thousand entries.
 *
 * @category constructors
 * @since 0.1.0
 */
export const hamtFromRecord = <V>(record: Readonly<Record<string, V>>, hidden: Iterable<string> = [], keys: ReadonlyArray<string> = Object.keys(record)): Hamt<V> => {
  const h = hamtFromEntries(Array.from(hidden, (k) => [k, true as const] as const).filter(([k]) => hasOwn(record, k)))
  return { root: undefined, size: keys.length - h.size, base: { record, keys, hidden: h, memo: {} } }
}
