/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { rebase } from '@authfold/cache'
import { httpError, type AuthError, type GrantEnv } from '@authfold/core'
import type { Grant } from '@authfold/grants'
import type { CacheStore } from '@authfold/cache'

/**
 * Runs a grant against a store: load a snapshot, run the grant (network calls happen
 * outside any lock), then commit atomically. When another grant committed in between, this
 * grant's changes are replayed onto the newer state ({@link rebase}), so two concurrent grants
 * never lose each other's writes. A call whose `signal` fired commits nothing.
 *
 * @category utils
 * @since 0.1.0
 */
export const runGrant =
  (store: CacheStore) =>
  <A>(grant: Grant<A>, env: GrantEnv, signal?: AbortSignal): TE.TaskEither<AuthError, A> =>
    pipe(
      store.load(),
      TE.chain((before) =>
        pipe(
          grant(before)(env),
          TE.chain(([result, after]) =>
            after === before
              ? TE.right(result)
              : signal?.aborted === true
                ? TE.left(httpError('aborted', '', 'The call was cancelled before its tokens were saved; the cache is as it was.'))
                : pipe(
                  store.update((current) => (current === before ? after : rebase(before, after, current))),
                  TE.map(() => result),
                ),
          ),
        ),
      ),
    )
