/**
 * Replaying one writer's changes onto a state another writer has moved on: the
 * optimistic-concurrency step of a cache store.
 *
 * @module
 */
import { hamtDiff } from './hamt.js'
import { dropReplacedUnreadable, specs, tablePut, tableRemove, type CacheState, type Table, type TableSpec } from './state.js'

const replay = <E, I extends string>(spec: TableSpec<E, I>, before: Table<E, I>, after: Table<E, I>, current: Table<E, I>): Table<E, I> => {
  if (before.entries === after.entries) return current
  let t = current
  for (const [k, v] of hamtDiff(before.entries, after.entries)) t = v === undefined ? tableRemove(spec, t, k) : tablePut(spec, t, k, v)
  return t
}

/**
 * Applies the changes that turned `before` into `after` (entries written, replaced or
 * removed, by cache key) onto `current`, a newer state derived from `before` by someone
 * else. Where both changed the same key, `after`'s change wins; everything else
 * `current` did is kept. Cost follows the size of the change (shared subtrees are
 * skipped), not the size of the cache.
 *
 * `rebase(before, after, before)` is `after` (up to index layout), and
 * `rebase(before, before, current)` is `current`.
 *
 * @category concurrency
 * @since 0.1.0
 */
export const rebase = (before: CacheState, after: CacheState, current: CacheState): CacheState =>
  dropReplacedUnreadable({
    accessTokens: replay(specs.accessTokens, before.accessTokens, after.accessTokens, current.accessTokens),
    refreshTokens: replay(specs.refreshTokens, before.refreshTokens, after.refreshTokens, current.refreshTokens),
    idTokens: replay(specs.idTokens, before.idTokens, after.idTokens, current.idTokens),
    accounts: replay(specs.accounts, before.accounts, after.accounts, current.accounts),
    appMetadata: replay(specs.appMetadata, before.appMetadata, after.appMetadata, current.appMetadata),
    extra: after.extra === before.extra ? current.extra : after.extra,
    unreadable: after.unreadable === before.unreadable ? current.unreadable : after.unreadable,
  })
