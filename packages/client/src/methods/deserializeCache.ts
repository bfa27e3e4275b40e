/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { deserialize } from '@authfold/cache'
import type { AuthError } from '@authfold/core'
import type { ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Replaces the client's token cache with one in MSAL's unified schema (written by
 * authfold, MSAL Python or msal-node). JSON that is not such a cache is a `DecodeError`
 * naming what is wrong, and the cache stays as it was.
 *
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `SerializableTokenCache.deserialize`
 */
export const deserializeCache =
  (ctx: ClientContext) =>
  (json: string, options?: CallOptions): TE.TaskEither<AuthError, void> =>
    ctx.call(options, (_env, signal) =>
      pipe(
        TE.fromEither(deserialize(json)),
        TE.chainW((state) => (signal.aborted ? TE.right(state) : ctx.store.update(() => state))),
        TE.map(() => undefined),
      ),
    )
