/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { serialize } from '@authfold/cache'
import type { AuthError } from '@authfold/core'
import type { ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * The client's token cache as MSAL's unified-schema JSON, which MSAL Python's
 * `SerializableTokenCache.deserialize` and msal-node's `deserialize` read.
 *
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `SerializableTokenCache.serialize`
 */
export const serializeCache =
  (ctx: ClientContext) =>
  (options?: CallOptions): TE.TaskEither<AuthError, string> =>
    ctx.call(options, () => pipe(ctx.store.load(), TE.map((state) => serialize(state))))
