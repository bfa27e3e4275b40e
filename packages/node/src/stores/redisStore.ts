/**
 * A token cache in Redis, one key per partition, for web apps and APIs running on many
 * machines (as msal-node's `DistributedCachePlugin`). Redis is the distributed engine:
 * authfold adds no replication of its own.
 *
 * ### Keys and values
 *
 * A partition (see `PartitionedStore`: one per signed-in account, key = home account id;
 * one per client for app tokens, key = client id) lives at `authfold:<namespace>:<partition>`
 * as one string: MSAL's unified JSON, or its encrypted envelope when a `transform` is
 * given (bound to the Redis key, so a value copied to another partition does not open).
 *
 * ### Atomic updates: optimistic compare-and-set in Lua
 *
 * `update(f)` reads the value (`GET`), applies `f`, and writes with one `EVAL` of a short
 * script that sets the new value only if the stored one still has the SHA-1 it read
 * (`redis.sha1hex`), or is still absent. Redis runs a script atomically, so two writers
 * can never both succeed from the same read; the loser reads again and re-applies `f`
 * (exponential backoff with random jitter, up to `maxAttempts`, then
 * `CacheError('conflict')`). This needs no dedicated connection (unlike `WATCH`/`MULTI`,
 * which a shared, pipelined client connection cannot isolate), works on a Redis Cluster
 * (one key per script), and sends a 40-character hash instead of the old value back.
 * Within one process, updates of one partition also queue in memory first.
 *
 * ### Redis Cluster and replicas
 *
 * A partition is one key, so it lives in one hash slot, and the script touches only the
 * key it is given (`KEYS[1]`; it builds no key name), so the store runs unchanged on a
 * Redis Cluster: give it a cluster client (`nodeRedisCommands(createCluster(...))`), which
 * routes each command to the slot's master and follows `MOVED`/`ASK` redirections. The key
 * layout is the same as on a single Redis (no hash tag is needed for one key), so moving a
 * cache to a cluster is a copy of its keys (e.g. `MIGRATE` or `redis-cli --cluster import`).
 * (A namespace with `{...}` in it would be a hash tag and put every partition in one slot,
 * on one master: leave braces out of namespaces.)
 *
 * Redis replicates asynchronously: a master that dies right after a write may take it
 * with it when its replica is promoted. With `replicas: n`, an update is acknowledged only
 * once `WAIT n`, sent right after the `EVAL` on the connection that ran it, says `n`
 * replicas have it (otherwise `CacheError('io')`, and the caller may retry). With one
 * replica per master, the replica promoted is the one that confirmed the write, so a
 * failover loses no acknowledged write.
 *
 * ### A Redis that does not answer
 *
 * Every command is bounded by `commandTimeoutMs` (default 5 s): a Redis that is down,
 * restarting or stalled gives `CacheError('io')` in bounded time, never a call that hangs
 * (a client such as node-redis queues commands while it reconnects). A compare-and-set
 * that timed out may still be applied later; that is safe, since it applies only over the
 * value it read, and its caller was told it failed (retry reads again).
 *
 * ### The client
 *
 * The store needs only two commands, given as {@link RedisCommands}, so it works with any
 * client; {@link nodeRedisCommands} adapts a connected node-redis (`redis` on npm) client.
 * authfold itself depends on no Redis library.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import { emptyCache, type CacheState } from '@authfold/cache'
import { cacheError, describeFailure, silentLogger, timerSleep, webCryptoRandom, type CacheError, type Logger, type RandomBytes, type Sleep } from '@authfold/core'
import { decodeBlob, encodeBlob, type BlobPlace, type BlobTransform, type CacheStore, type CorruptPolicy, type PartitionedStore, type StoreError } from '@authfold/cache'

/**
 * The two Redis commands the store uses (and `EVAL` followed by `WAIT` for its `replicas`
 * option). Implementations reject (or throw) on a connection failure; the store turns
 * that into `CacheError('io')`.
 *
 * @category model
 * @since 0.1.0
 */
export interface RedisCommands {
  /** `GET key`: the value as text, `null` when the key does not exist. */
  readonly get: (key: string) => Promise<string | null>
  /** `EVAL script numkeys key... arg...`: the script's reply. */
  readonly eval: (script: string, keys: ReadonlyArray<string>, args: ReadonlyArray<string>) => Promise<unknown>
  /**
   * `EVAL` as above, then `WAIT replicas timeout` on the same connection (so the `WAIT`
   * counts the replicas that have that write): the script's reply and the `WAIT` reply.
   * Needed only with the store's `replicas` option.
   */
  readonly evalAndWait?: (
    script: string,
    keys: ReadonlyArray<string>,
    args: ReadonlyArray<string>,
    replicas: number,
    timeoutMs: number,
  ) => Promise<readonly [reply: unknown, replicas: unknown]>
}

/**
 * The part of a node-redis (v4 and later) client that {@link nodeRedisCommands} uses;
 * `createClient()` from `redis` or `@redis/client` satisfies it.
 *
 * @category model
 * @since 0.1.0
 */
export interface NodeRedisClientLike {
  get(key: string): Promise<unknown>
  eval(script: string, options: { keys: Array<string>; arguments: Array<string> }): Promise<unknown>
  /** Raw commands (`WAIT`, for the store's `replicas` option). Not a client pool: `WAIT` must follow `EVAL` on its connection. */
  sendCommand?(args: Array<string>): Promise<unknown>
}

/**
 * The part of a node-redis cluster client that {@link nodeRedisCommands} uses;
 * `createCluster()` from `redis` or `@redis/client` 6 satisfies it (tested with 6.3.1).
 *
 * @category model
 * @since 0.1.0
 */
export interface NodeRedisClusterLike {
  get(key: string): Promise<unknown>
  eval(script: string, options: { keys: Array<string>; arguments: Array<string> }): Promise<unknown>
  /** The connection to the master of `key`'s slot (where `EVAL` and then `WAIT` run with `replicas`). */
  getNodeClientForKey(key: string): Promise<{
    eval(script: string, options: { keys: Array<string>; arguments: Array<string> }): Promise<unknown>
    sendCommand(args: Array<string>): Promise<unknown>
  }>
}

const isCluster = (client: NodeRedisClientLike | NodeRedisClusterLike): client is NodeRedisClusterLike => 'getNodeClientForKey' in client

const waitCommand = (replicas: number, timeoutMs: number): Array<string> => ['WAIT', String(replicas), String(timeoutMs)]

/** A `MOVED` or `ASK` reply: the slot is served elsewhere (a failover, a resharding). */
const isRedirect = (e: unknown): boolean => e instanceof Error && /^(MOVED|ASK) /.test(e.message)

/**
 * `EVAL` then `WAIT` on one connection. On a cluster, both go to the connection to the
 * key's master as the client knows it; when that node answers `MOVED`/`ASK` (the script
 * did not run there), the `EVAL` goes through the cluster client, which follows the
 * redirection and refreshes its slot map, and the `WAIT` to the key's master it now knows.
 */
const evalAndWaitOf = (client: NodeRedisClientLike | NodeRedisClusterLike): RedisCommands['evalAndWait'] => {
  if (isCluster(client))
    return async (script, keys, args, replicas, timeoutMs) => {
      const options = { keys: [...keys], arguments: [...args] }
      const key = keys[0] ?? ''
      const node = await client.getNodeClientForKey(key)
      const ran = await node.eval(script, options).then(
        (reply) => ({ reply, node }),
        async (e: unknown) => {
          if (!isRedirect(e)) throw e
          const reply = await client.eval(script, options)
          return { reply, node: await client.getNodeClientForKey(key) }
        },
      )
      return [ran.reply, await ran.node.sendCommand(waitCommand(replicas, timeoutMs))] as const
    }
  const send = client.sendCommand?.bind(client)
  if (send === undefined) return undefined
  return async (script, keys, args, replicas, timeoutMs) => {
    const reply = await client.eval(script, { keys: [...keys], arguments: [...args] })
    return [reply, await send(waitCommand(replicas, timeoutMs))] as const
  }
}

/**
 * Adapts a connected node-redis client, or cluster client (`createCluster`, which routes
 * each key to its slot's master and follows `MOVED`/`ASK`), to {@link RedisCommands}. A
 * `GET` reply that is neither text nor nil (a client set to return buffers) is refused
 * with a clear error. With the store's `replicas`, `WAIT` runs right after the `EVAL` on the
 * connection that ran it (on a cluster, the one to the key's master, not every shard).
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { nodeRedisCommands, redisStore } from '@authfold/node'
 *
 * const client = await createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }).connect()
 * const store = redisStore({ client: nodeRedisCommands(client), namespace: 'my-app' })
 * ```
 * @category adapters
 * @since 0.1.0
 */
export const nodeRedisCommands = (client: NodeRedisClientLike | NodeRedisClusterLike): RedisCommands => {
  const evalAndWait = evalAndWaitOf(client)
  return {
    get: async (key) => {
      const v = await client.get(key)
      if (v === null || typeof v === 'string') return v
      throw new TypeError('the Redis client returned a GET reply that is not text; create it without buffer replies')
    },
    eval: (script, keys, args) => client.eval(script, { keys: [...keys], arguments: [...args] }),
    ...(evalAndWait === undefined ? {} : { evalAndWait }),
  }
}

/**
 * Options of {@link redisStore}.
 *
 * @category model
 * @since 0.1.0
 */
export interface RedisStoreOptions {
  readonly client: RedisCommands
  /** Separates apps sharing a Redis: keys are `authfold:<namespace>:<partition>`. Default `default`. */
  readonly namespace?: string
  /** Compare-and-set attempts before `CacheError('conflict')`. Default 50. */
  readonly maxAttempts?: number
  /** Backoff between attempts: first delay and cap, in ms. Default 2 and 100. */
  readonly retryDelayMs?: { readonly initial: number; readonly max: number }
  /**
   * Acknowledge a write only once this many replicas have it (`WAIT`), so that a failover
   * (a replica promoted after its master died) loses no acknowledged write; fewer within
   * `replicaTimeoutMs` is `CacheError('io')`. Needs a client with `evalAndWait`. Default 0 (no wait).
   */
  readonly replicas?: number
  /** How long `WAIT` waits for the replicas, in ms. Default 1,000 (at most `commandTimeoutMs`). */
  readonly replicaTimeoutMs?: number
  /** Expire a partition this many ms after its last write (`SET ... PX`). Default: never. */
  readonly ttlMs?: number
  /** A value that is not a cache: `fail` (default) or `reset` (overwritten by the next update). */
  readonly onCorrupt?: CorruptPolicy
  /** At-rest encryption, e.g. `aesGcm(key)` from `@authfold/cache`. */
  readonly transform?: BlobTransform
  /** Give up on a Redis command after this many ms with `CacheError('io')`. Default 5,000. */
  readonly commandTimeoutMs?: number
  /** Default `setTimeout`. */
  readonly sleep?: Sleep
  /** Starts the timer of a command's timeout. Default {@link timerTimeout}. */
  readonly timeout?: Timeout
  /** Jitter. Default WebCrypto. */
  readonly random?: RandomBytes
  /** Warnings (a corrupt value reset). Default: none. */
  readonly logger?: Logger
}

/**
 * Starts a timer that calls `onTimeout` after `ms` and returns the function that cancels
 * it (a command that answers in time leaves no timer behind).
 *
 * @category model
 * @since 0.1.0
 */
export type Timeout = (ms: number, onTimeout: () => void) => () => void

/**
 * The default {@link Timeout}: `setTimeout`, cancelled with `clearTimeout`.
 *
 * @category utils
 * @since 0.1.0
 */
export const timerTimeout: Timeout = (ms, onTimeout) => {
  const t = setTimeout(onTimeout, ms)
  return () => clearTimeout(t)
}

/**
 * Runs `run` and settles with its result, or with `Left(onTimeout())` when it has not
 * settled after `ms`; a late result or rejection is then ignored.
 */
const within =
  (timeout: Timeout, ms: number) =>
  <L, A>(run: () => Promise<A>, onError: (e: unknown) => L, onTimeout: () => L): Promise<E.Either<L, A>> =>
    new Promise((resolve) => {
      let settled = false
      const settle = (r: E.Either<L, A>): void => {
        if (settled) return
        settled = true
        cancel()
        resolve(r)
      }
      const cancel = timeout(ms, () => settle(E.left(onTimeout())))
      Promise.resolve()
        .then(run)
        .then(
          (a) => settle(E.right(a)),
          (e: unknown) => settle(E.left(onError(e))),
        )
    })

/**
 * The Redis key of a partition: `authfold:<namespace>:<partition>`.
 *
 * @category partitions
 * @since 0.1.0
 */
export const redisKey = (namespace: string, partition: string): string => `authfold:${namespace}:${partition}`

/**
 * The compare-and-set script: `KEYS[1]` the partition, `ARGV[1]` the SHA-1 hex of the value
 * read (`''` when it was absent), `ARGV[2]` the new value, `ARGV[3]` a TTL in ms (`''` for
 * none). Returns 1 when written, 0 when the value had changed.
 *
 * @category internals
 * @since 0.1.0
 */
export const COMPARE_AND_SET = `local cur = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if cur then return 0 end
elseif (not cur) or redis.sha1hex(cur) ~= ARGV[1] then
  return 0
end
if ARGV[3] == '' then
  redis.call('SET', KEYS[1], ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1`

const sha1hex = (s: string): string => createHash('sha1').update(s, 'utf8').digest('hex')


/**
 * A {@link PartitionedStore} in Redis (see the module comment for keys, atomicity and the
 * client). `forPartition(key)` is cheap; a web app calls it per request.
 *
 * @example
 * ```ts
 * import { createConfidentialClient, type ConfidentialClientConfig } from '@authfold/client'
 * import { nodeRedisCommands, redisStore, type NodeRedisClientLike } from '@authfold/node'
 *
 * declare const client: NodeRedisClientLike, config: ConfidentialClientConfig, session: { homeAccountId: string }
 * const store = redisStore({ client: nodeRedisCommands(client), namespace: 'my-web-app' })
 * const app = createConfidentialClient({ ...config, cacheStore: store.forPartition(session.homeAccountId) })
 * ```
 * @category stores
 * @since 0.1.0
 * @see msal-node `DistributedCachePlugin`
 */
export const redisStore = (options: RedisStoreOptions): PartitionedStore<StoreError> => {
  const client = options.client
  const namespace = options.namespace ?? 'default'
  const maxAttempts = Math.max(1, options.maxAttempts ?? 50)
  const initialDelay = options.retryDelayMs?.initial ?? 2
  const maxDelay = options.retryDelayMs?.max ?? 100
  const ttl = options.ttlMs === undefined ? '' : String(Math.max(1, Math.round(options.ttlMs)))
  const onCorrupt = options.onCorrupt ?? 'fail'
  const sleep = options.sleep ?? timerSleep
  const commandTimeoutMs = Math.max(1, options.commandTimeoutMs ?? 5_000)
  const bounded = within(options.timeout ?? timerTimeout, commandTimeoutMs)
  const replicas = Math.max(0, Math.floor(options.replicas ?? 0))
  const replicaTimeoutMs = Math.max(1, Math.min(commandTimeoutMs, Math.round(options.replicaTimeoutMs ?? 1_000)))
  const random = options.random ?? webCryptoRandom
  const log = options.logger ?? silentLogger
  // One queue tail per busy partition; a partition's entry goes when its queue drains.
  const tails = new Map<string, Promise<unknown>>()

  const queued = <A>(key: string, task: () => Promise<A>): Promise<A> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(task, task)
    const tail = run.then(
      () => undefined,
      () => undefined,
    )
    tails.set(key, tail)
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key)
    })
    return run
  }

  const jitter = (ms: number): number => {
    const b = random(2)
    return Math.max(1, Math.round(ms / 2 + ((ms / 2) * ((b[0] ?? 0) * 256 + (b[1] ?? 0))) / 65536))
  }

  const partition = (name: string): CacheStore<StoreError> => {
    const key = redisKey(namespace, name)
    const place: BlobPlace = {
      where: `Redis key ${key}`,
      context: key,
      advice:
        onCorrupt === 'fail'
          ? `Nothing was written. To recover, delete the key (DEL ${key}; the account signs in again), or create the store with onCorrupt: 'reset' to overwrite a broken value on the next update.`
          : 'The next update overwrites it.',
      ...(options.transform === undefined ? {} : { transform: options.transform }),
    }
    const decode = decodeBlob(place)
    const encode = encodeBlob(place)
    const ioError = (command: string, e: unknown): CacheError =>
      cacheError('io', `Redis ${command} of ${key} failed (${describeFailure(e)}). Check that the client is connected and Redis is reachable; the cache is unchanged.`)
    const timedOut = (command: string): CacheError =>
      cacheError(
        'io',
        `Redis ${command} of ${key} got no answer within ${commandTimeoutMs} ms (commandTimeoutMs): Redis is down, restarting or overloaded. Retry later; check that Redis is reachable.`,
      )

    const read = async (): Promise<E.Either<StoreError, { readonly raw: string | null; readonly state: CacheState; readonly corrupt: boolean }>> => {
      const got = await bounded(
        () => client.get(key),
        (e) => ioError('GET', e),
        () => timedOut('GET'),
      )
      if (E.isLeft(got)) return got
      const raw = got.right
      if (raw === null) return E.right({ raw, state: emptyCache, corrupt: false })
      const decoded = await decode(raw)()
      if (E.isRight(decoded)) return E.right({ raw, state: decoded.right, corrupt: false })
      if (onCorrupt === 'fail' || decoded.left.code === 'io') return decoded
      log('warning', `authfold redisStore: ${decoded.left.message} Reading it as an empty cache (onCorrupt: 'reset').`, false)
      return E.right({ raw, state: emptyCache, corrupt: true })
    }

    /**
     * The compare-and-set: its reply, and with `replicas` how many replicas have the write
     * (`EVAL` then `WAIT` on one connection).
     */
    const compareAndSet = async (args: ReadonlyArray<string>): Promise<E.Either<StoreError, readonly [unknown, number]>> => {
      if (replicas === 0)
        return E.map((reply: unknown) => [reply, 0] as const)(
          await bounded(
            () => client.eval(COMPARE_AND_SET, [key], args),
            (e) => ioError('EVAL (compare-and-set)', e),
            () => timedOut('EVAL (compare-and-set)'),
          ),
        )
      const evalAndWait = client.evalAndWait
      if (evalAndWait === undefined)
        return E.left(
          cacheError(
            'io',
            `The Redis store was created with replicas: ${replicas} but its client has no evalAndWait function; use nodeRedisCommands, or add evalAndWait (EVAL then WAIT on one connection) to the RedisCommands given.`,
          ),
        )
      return E.map(([reply, got]: readonly [unknown, unknown]) => [reply, Number(got)] as const)(
        await bounded(
          () => evalAndWait(COMPARE_AND_SET, [key], args, replicas, replicaTimeoutMs),
          (e) => ioError('EVAL (compare-and-set) and WAIT', e),
          () => timedOut('EVAL (compare-and-set) and WAIT'),
        ),
      )
    }

    /** With `replicas`, Right once enough replicas have the write `WAIT` counted. */
    const replicated = (got: number): E.Either<StoreError, number> => {
      if (replicas === 0 || got >= replicas) return E.right(got)
      return E.left(
        cacheError(
          'io',
          `Redis wrote ${key} but only ${Number.isFinite(got) ? got : 0} of ${replicas} replicas confirmed it within ${replicaTimeoutMs} ms (replicas, replicaTimeoutMs), so a failover could lose it. Retry the operation (it applies again over what is stored); check the replicas' links (INFO replication).`,
        ),
      )
    }

    const attempt = async (f: (current: CacheState) => CacheState, n: number, delay: number): Promise<E.Either<StoreError, CacheState>> => {
      const r = await read()
      if (E.isLeft(r)) return r
      const { raw, state, corrupt } = r.right
      const next = f(state)
      if (next === state && raw !== null && !corrupt) return E.right(state)
      const blob = await encode(next)()
      if (E.isLeft(blob)) return blob
      const evaluated = await compareAndSet([raw === null ? '' : sha1hex(raw), blob.right, ttl])
      if (E.isLeft(evaluated)) return evaluated
      const [reply, got] = evaluated.right
      if (reply === 1 || reply === '1') {
        if (corrupt) log('warning', `authfold redisStore: replaced the broken value of ${key} with a new cache.`, false)
        const confirmed = replicated(got)
        return E.isLeft(confirmed) ? confirmed : E.right(next)
      }
      if (n >= maxAttempts) {
        return E.left(
          cacheError(
            'conflict',
            `Gave up updating Redis key ${key} after ${maxAttempts} attempts: other writers changed it every time. Retry the operation; if it persists, raise maxAttempts or look for a process rewriting the key in a loop.`,
          ),
        )
      }
      await sleep(jitter(delay))()
      return attempt(f, n + 1, Math.min(maxDelay, delay * 2))
    }

    const guard =
      <A>(run: () => Promise<E.Either<StoreError, A>>): TE.TaskEither<StoreError, A> =>
      () =>
        run().catch((e: unknown) => E.left(cacheError('io', `The token cache at Redis key ${key} failed unexpectedly (${describeFailure(e)}).`)))

    return {
      load: () => guard(async () => E.map((x: { readonly state: CacheState }) => x.state)(await read())),
      update: (f) => guard(() => queued(key, () => attempt(f, 1, initialDelay))),
    }
  }

  return { forPartition: partition }
}
