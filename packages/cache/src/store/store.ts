/**
 * The cache store contract the facades use, partitions, the blob codec every persistent
 * store shares, and the in-memory stores.
 *
 * ### The contract
 *
 * A {@link CacheStore} has two operations:
 *
 * - `load` reads a snapshot. It takes no lock: a grant runs on the snapshot, network calls
 *   included, and holds nothing while it waits.
 * - `update(f)` is an atomic read-modify-write: it reads the newest state, applies the
 *   pure function `f`, and writes the result, with no other writer (in this process or
 *   another one) in between. `f` may run more than once (an optimistic store retries it
 *   on a conflict), so it must be pure.
 *
 * Neither throws: failures are a {@link StoreError} (`CacheError` for I/O, locks,
 * conflicts and tampering, `DecodeError` for a blob that is not a cache).
 *
 * ### Partitions
 *
 * A web app keeps one partition per signed-in account and one per client for app-only
 * tokens, as msal-node's distributed cache plugin does: the partition key is the home
 * account id (`uid.utid`), or the client id for client-credentials tokens. A
 * {@link PartitionedStore} hands out one {@link CacheStore} per key; a request builds its
 * client with `cacheStore: store.forPartition(key)`. {@link partitionKeysOf} tells which
 * partitions a state's entries belong to (for example after redeeming an authorization
 * code in a scratch state, to learn the account's key).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { deserialize } from '../deserialize.js'
import { emptyCache, type CacheState } from '../state.js'
import type { AccessTokenEntity } from '../schema.js'
import { hamtValues } from '../hamt.js'
import { serialize } from '../serialize.js'
import { cacheError, decodeError, type AuthError, type CacheError, type DecodeError } from '@authfold/core'

/**
 * What a store can fail with: a `CacheError` (`io`, `lock_timeout`, `conflict`,
 * `tampered`) or a `DecodeError` (the stored blob is not an MSAL cache).
 *
 * @category model
 * @since 0.1.0
 */
export type StoreError = CacheError | DecodeError

/**
 * Where a client keeps its cache. `load` reads a snapshot without locking; `update`
 * applies a pure function atomically: no other writer can interleave between its read and
 * its write. Both return the state they saw or wrote, never throw.
 *
 * `E` is what the store can fail with: every store here is a `CacheStore<StoreError>`,
 * which is also a `CacheStore` (failing with any `AuthError`), the type the facades take.
 *
 * @category model
 * @since 0.1.0
 */
export interface CacheStore<E extends AuthError = AuthError> {
  readonly load: () => TE.TaskEither<E, CacheState>
  readonly update: (f: (current: CacheState) => CacheState) => TE.TaskEither<E, CacheState>
  /**
   * The current state, synchronously, for a store that holds it in memory (`memoryStore`).
   * A facade answers a cache hit from it without a task; stores that must read (a file,
   * Redis) leave it out and every call goes through `load`.
   */
  readonly peek?: () => CacheState
  /**
   * Told which access tokens a facade's cache lookup found, for a store that evicts the
   * least recently used entries (`boundedStore`); other stores leave it out.
   */
  readonly markUsed?: (found: ReadonlyArray<AccessTokenEntity>) => void
}

/**
 * A store split into independent partitions, each a {@link CacheStore} of its own: one per
 * signed-in account (key: home account id) and one per client for app tokens (key: client
 * id). Updates to different partitions never contend.
 *
 * @example
 * ```ts
 * import { appPartitionKey } from '@authfold/cache'
 * import { createConfidentialClient, type ConfidentialClientConfig } from '@authfold/client'
 * import { nodeRedisCommands, redisStore, type NodeRedisClientLike } from '@authfold/node'
 *
 * declare const client: NodeRedisClientLike, config: ConfidentialClientConfig
 * const store = redisStore({ client: nodeRedisCommands(client), namespace: 'my-web-app' })
 * const app = createConfidentialClient({ ...config, cacheStore: store.forPartition(appPartitionKey(config.clientId)) })
 * ```
 * @category model
 * @since 0.1.0
 */
export interface PartitionedStore<E extends AuthError = StoreError> {
  /** The store of one partition. The same key always reaches the same data. */
  readonly forPartition: (key: string) => CacheStore<E>
}

/**
 * The partition key of an account's tokens: its home account id (`uid.utid`), as
 * msal-node's `IPartitionManager.extractKey` returns.
 *
 * @category partitions
 * @since 0.1.0
 */
export const accountPartitionKey = (account: { readonly home_account_id: string }): string => account.home_account_id

/**
 * The partition key of a client's app-only tokens (client credentials): its client id.
 *
 * @category partitions
 * @since 0.1.0
 */
export const appPartitionKey = (clientId: string): string => clientId

/**
 * The partitions a state's entries belong to, sorted: the home account id of every
 * account, refresh token and id token, and, for access tokens with no home account (app
 * tokens), their client id. A state built for one partition yields that one key.
 *
 * @category partitions
 * @since 0.1.0
 */
export const partitionKeysOf = (s: CacheState): ReadonlyArray<string> => {
  const keys = new Set<string>()
  const home = (h: string | null | undefined): void => {
    if (h !== undefined && h !== null && h !== '') keys.add(h)
  }
  for (const a of hamtValues(s.accounts.entries)) home(a.home_account_id)
  for (const r of hamtValues(s.refreshTokens.entries)) home(r.home_account_id)
  for (const i of hamtValues(s.idTokens.entries)) home(i.home_account_id)
  for (const at of hamtValues(s.accessTokens.entries)) {
    if (at.home_account_id === undefined || at.home_account_id === null || at.home_account_id === '') {
      if (typeof at.client_id === 'string' && at.client_id !== '') keys.add(appPartitionKey(at.client_id))
    } else keys.add(at.home_account_id)
  }
  return Array.from(keys).sort()
}

/**
 * A reversible transformation of a serialized cache before it is stored, such as
 * at-rest encryption (`aesGcm`). `context` names where the blob lives (a file path, a
 * Redis key); an implementation may bind the blob to it (AES-GCM uses it as additional
 * authenticated data, so a blob copied to another partition does not open).
 *
 * @category model
 * @since 0.1.0
 */
export interface BlobTransform {
  /** Turns serialized JSON into the stored blob. */
  readonly seal: (plain: string, context: string) => TE.TaskEither<CacheError, string>
  /** Turns a stored blob back into serialized JSON; `tampered` when it does not open. */
  readonly open: (blob: string, context: string) => TE.TaskEither<CacheError, string>
}

/**
 * What a persistent store does with a stored blob that is not a cache (truncated, not
 * JSON, tampered, encrypted with another key): `fail` (the default) refuses to read or
 * overwrite it and says how to fix it; `reset` reads it as the empty cache and, on the
 * next update, moves it aside (the file store keeps a backup) and starts over.
 *
 * @category model
 * @since 0.1.0
 */
export type CorruptPolicy = 'fail' | 'reset'

/**
 * Where a persistent store keeps one blob, for {@link decodeBlob} and {@link encodeBlob}.
 *
 * @category model
 * @since 0.1.0
 */
export interface BlobPlace {
  /** Names the blob in messages: a file path, a Redis key. Never a secret. */
  readonly where: string
  /** What a {@link BlobTransform} binds the blob to (see {@link BlobTransform}). */
  readonly context: string
  /** How to recover when the blob cannot be read; appended to error messages. */
  readonly advice: string
  readonly transform?: BlobTransform
}

/**
 * Reads a stored blob: opens it with the place's transform when there is one, then
 * deserializes it. Errors say which blob and how to recover; a sealed blob read without a
 * transform is `tampered` with a message asking for the key.
 *
 * @category serialization
 * @since 0.1.0
 */
export const decodeBlob =
  (place: BlobPlace) =>
  (blob: string): TE.TaskEither<StoreError, CacheState> =>
    pipe(
      place.transform === undefined ? TE.right(blob) : place.transform.open(blob, place.context),
      TE.mapLeft((e): StoreError => cacheError(e.code, e.code === 'tampered' ? `${e.message} (${place.where}) ${place.advice}` : `${e.message} (${place.where})`)),
      TE.chainEitherK((json): E.Either<StoreError, CacheState> =>
        place.transform === undefined && isSealed(json)
          ? E.left(
              cacheError(
                'tampered',
                `The token cache at ${place.where} is encrypted, but this store was created without a key: pass the key it was written with (transform: aesGcm(key)). ${place.advice}`,
              ),
            )
          : pipe(
              deserialize(json),
              E.mapLeft((d) =>
                decodeError(d.code, `token cache at ${place.where}`, d.path, d.expected, d.actual, `The stored cache is left as it is. ${place.advice}`),
              ),
            ),
      ),
    )

/**
 * Writes a state as a stored blob: serializes it, then seals it with the place's
 * transform when there is one.
 *
 * @category serialization
 * @since 0.1.0
 */
export const encodeBlob =
  (place: BlobPlace) =>
  (s: CacheState): TE.TaskEither<CacheError, string> =>
    place.transform === undefined ? TE.right(serialize(s)) : place.transform.seal(serialize(s), place.context)

/**
 * The prefix of every authfold-encrypted blob (see `aesGcm`); its version follows.
 *
 * @category serialization
 * @since 0.1.0
 */
export const SEALED_PREFIX = 'authfold.aesgcm.'

/**
 * True when a blob looks like an authfold-encrypted envelope.
 *
 * @category serialization
 * @since 0.1.0
 */
export const isSealed = (blob: string): boolean => blob.startsWith(SEALED_PREFIX)

/**
 * A store in memory: the only mutable reference lives in this closure. `update` runs `f`
 * synchronously, so it is atomic within the process.
 *
 * @category stores
 * @since 0.1.0
 */
export const memoryStore = (initial: CacheState = emptyCache): CacheStore<StoreError> => {
  let state = initial
  return {
    load: () => TE.right(state),
    peek: () => state,
    update: (f) =>
      TE.fromIO(() => {
        state = f(state)
        return state
      }),
  }
}

/**
 * A {@link PartitionedStore} in memory: one {@link memoryStore} per key, created on first
 * use. For tests and single-process servers.
 *
 * @category stores
 * @since 0.1.0
 */
export const partitionedMemoryStore = (): PartitionedStore => {
  const partitions = new Map<string, CacheStore<StoreError>>()
  return {
    forPartition: (key) => {
      const found = partitions.get(key)
      if (found !== undefined) return found
      const created = memoryStore()
      partitions.set(key, created)
      return created
    },
  }
}

/**
 * Serializes the calls of one process: `run(task)` starts `task` only after every task
 * given before it has settled. Persistent stores use one per partition so concurrent
 * updates in one process queue up in memory instead of contending for the file lock or
 * the Redis compare-and-set.
 *
 * @category utils
 * @since 0.1.0
 */
export const serialQueue = (): (<A>(task: () => Promise<A>) => Promise<A>) => {
  let tail: Promise<unknown> = Promise.resolve()
  return <A>(task: () => Promise<A>): Promise<A> => {
    const run = tail.then(task, task)
    tail = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }
}
