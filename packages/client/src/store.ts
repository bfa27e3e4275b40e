/**
 * The cache store contract the facades use, and the in-memory store.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { emptyCache, type CacheState } from '@authfold/cache'
import type { AuthError } from '@authfold/core'

/**
 * Where a client keeps its cache. `update` applies a pure function atomically: no other
 * writer can interleave between its read and its write.
 *
 * @category model
 * @since 0.1.0
 */
export interface CacheStore {
  readonly load: () => TE.TaskEither<AuthError, CacheState>
  readonly update: (f: (current: CacheState) => CacheState) => TE.TaskEither<AuthError, CacheState>
}

/**
 * A store in memory: the only mutable reference lives in this closure.
 *
 * @category stores
 * @since 0.1.0
 */
export const memoryStore = (initial: CacheState = emptyCache): CacheStore => {
  let state = initial
  return {
    load: () => TE.right(state),
    update: (f) =>
      TE.fromIO(() => {
        state = f(state)
        return state
      }),
  }
}
