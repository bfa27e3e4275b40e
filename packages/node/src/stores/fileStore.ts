/**
 * A token cache in one file, in MSAL's unified JSON (MSAL Python and msal-node read it),
 * shared safely by several processes on one machine: a desktop app, a CLI, its helpers.
 *
 * ### Lock protocol
 *
 * Every `update` holds a lock file (`<path>.lock` by default) for the few milliseconds of
 * its read-modify-write; `load` takes no lock, because writes are atomic.
 *
 * 1. Create the lock with `O_CREAT | O_EXCL` (`fs.open(lock, 'wx')`) and write
 *    `{ pid, host, created, token }` into it. Only one process can create it.
 * 2. If it exists, read it. It is **stale** when its owner is a process on this host that
 *    no longer runs (`process.kill(pid, 0)` fails with `ESRCH`), or when it is older than
 *    `staleLockMs` (default 10 s; an update holds it for milliseconds). A stale lock is
 *    broken under a second, short-lived `O_EXCL` file (`<lock>.break`) so two waiters
 *    never both break it: the breaker re-reads the lock, removes it only if it is still
 *    the same file with the same content, and tries again at once.
 * 3. Otherwise wait (the injected `sleep`, exponential backoff with random jitter from
 *    `retryDelayMs.initial` to `retryDelayMs.max`) and try again until `lockTimeoutMs`
 *    (default 30 s, measured with the injected clock) has passed; then fail with
 *    `CacheError('lock_timeout')` naming the lock, its owner, and what to do.
 * 4. Release: remove the lock if it still holds our random token.
 *
 * Within one process, updates to a store queue up in memory first, so 100 concurrent
 * grants make 100 short lock holds in a row, not 100 processes' worth of contention.
 *
 * ### Atomic replace
 *
 * The new content goes to a temporary file in the same directory (`O_EXCL`, mode `0600`),
 * is flushed with `fsync`, then renamed over the cache file (atomic on POSIX and NTFS);
 * the directory is fsynced too where the platform allows. A reader sees the old file or
 * the new one, never half of one, and a crash leaves the old one.
 *
 * ### A broken file
 *
 * A truncated, non-JSON or not-a-cache file (or an encrypted one that does not open) is
 * never read as empty behind the caller's back: `load` and `update` return the
 * `DecodeError` (or `CacheError('tampered')`) naming the file and what is wrong, and
 * `update` writes nothing. To recover, move or delete the file (users sign in again), or
 * restore it from a backup. With `onCorrupt: 'reset'`, `load` reads it as empty (and logs
 * a warning) and the next `update` renames it to `<path>.corrupt-<epoch ms>` before
 * starting over, so nothing is destroyed.
 *
 * @module
 */
import { promises as fsp } from 'node:fs'
import * as os from 'node:os'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import { emptyCache, type CacheState } from '@authfold/cache'
import { cacheError, silentLogger, systemClock, timerSleep, webCryptoRandom, type CacheError, type Clock, type Logger, type RandomBytes, type Sleep } from '@authfold/core'
import { decodeBlob, encodeBlob, serialQueue, type BlobPlace, type BlobTransform, type CacheStore, type CorruptPolicy, type StoreError } from '@authfold/cache'

/**
 * Options of {@link fileStore}.
 *
 * @category model
 * @since 0.1.0
 */
export interface FileStoreOptions {
  /** The cache file. Its directory is created (mode `0700`) on the first update. */
  readonly path: string
  /** The lock file. Default `<path>.lock`. */
  readonly lockPath?: string
  /** Give up waiting for the lock after this many milliseconds. Default 30,000; keep it above `staleLockMs` so a crashed owner's lock is recovered before waiters give up. */
  readonly lockTimeoutMs?: number
  /** A lock older than this is stale and is broken. Default 10,000. */
  readonly staleLockMs?: number
  /** Backoff between lock attempts: first delay and cap, in ms. Default 5 and 200. */
  readonly retryDelayMs?: { readonly initial: number; readonly max: number }
  /** A broken file: `fail` (default) or `reset` (see the module comment). */
  readonly onCorrupt?: CorruptPolicy
  /** At-rest encryption, e.g. `aesGcm(key)` from `@authfold/cache`. */
  readonly transform?: BlobTransform
  /** Mode of the cache and lock files. Default `0o600` (owner only). */
  readonly fileMode?: number
  /** Default `Date.now`. */
  readonly now?: Clock
  /** Default `setTimeout`. */
  readonly sleep?: Sleep
  /** Jitter and temporary file names. Default WebCrypto. */
  readonly random?: RandomBytes
  /** Whether a process of this host runs. Default `process.kill(pid, 0)`. */
  readonly isProcessAlive?: (pid: number) => boolean
  /** Warnings (a stale lock broken, a corrupt file reset). Default: none. */
  readonly logger?: Logger
}

/**
 * The content of a lock file.
 *
 * @category model
 * @since 0.1.0
 */
export interface LockOwner {
  readonly pid: number
  readonly host: string
  /** Epoch milliseconds when the lock was taken. */
  readonly created: number
  /** Random, so a process releases only its own lock. */
  readonly token: string
}

/**
 * Whether a process of this host is running: `process.kill(pid, 0)` succeeds, or fails
 * only for lack of permission (`EPERM`: it runs under another user).
 *
 * @category utils
 * @since 0.1.0
 */
export const processIsAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return errno(e) === 'EPERM'
  }
}

const errno = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { readonly code?: unknown }).code === 'string' ? (e as { readonly code: string }).code : 'unknown'

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

const decodeOwner = (raw: string): LockOwner | undefined => {
  try {
    const v: unknown = JSON.parse(raw)
    if (typeof v !== 'object' || v === null) return undefined
    const o = v as Readonly<Record<string, unknown>>
    return typeof o['pid'] === 'number' && typeof o['host'] === 'string' && typeof o['created'] === 'number' && typeof o['token'] === 'string'
      ? { pid: o['pid'], host: o['host'], created: o['created'], token: o['token'] }
      : undefined
  } catch {
    return undefined
  }
}

/** What is at the lock path: nothing, or a file (its identity, content and owner if readable). */
type Observed = { readonly kind: 'gone' } | { readonly kind: 'held'; readonly ino: number; readonly mtimeMs: number; readonly raw: string; readonly owner: LockOwner | undefined }

const observe = async (lockPath: string): Promise<Observed> => {
  try {
    const st = await fsp.stat(lockPath)
    const raw = await fsp.readFile(lockPath, 'utf8')
    return { kind: 'held', ino: st.ino, mtimeMs: st.mtimeMs, raw, owner: decodeOwner(raw) }
  } catch (e) {
    if (errno(e) === 'ENOENT') return { kind: 'gone' }
    throw e
  }
}

const sameLock = (a: Observed, b: Observed): boolean =>
  a.kind === 'held' && b.kind === 'held' && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.raw === b.raw

const describeOwner = (o: Observed, now: number): string =>
  o.kind === 'gone'
    ? 'nobody'
    : o.owner === undefined
      ? `an unreadable lock file ${Math.round((now - o.mtimeMs) / 1000)} s old`
      : `process ${o.owner.pid} on ${o.owner.host} for ${Math.round((now - o.owner.created) / 1000)} s`

const ioError = (what: string, e: unknown, advice: string): CacheError =>
  cacheError('io', `Could not ${what} (${errno(e)}). ${advice}`)

/**
 * A {@link CacheStore} in one JSON file with a cross-process lock and atomic replace (see
 * the module comment for the protocol and the corrupt-file policy). Node only.
 *
 * @example
 * const cacheStore = fileStore({ path: join(homedir(), '.myapp', 'token-cache.json') })
 * const app = createPublicClient({ clientId, cacheStore })
 * @category stores
 * @since 0.1.0
 * @see msal-extensions `FilePersistence` with `CrossPlatformLock`
 */
export const fileStore = (options: FileStoreOptions): CacheStore<StoreError> => {
  const path = nodePath.resolve(options.path)
  const dir = nodePath.dirname(path)
  const lockPath = options.lockPath === undefined ? `${path}.lock` : nodePath.resolve(options.lockPath)
  const breakPath = `${lockPath}.break`
  const lockTimeoutMs = options.lockTimeoutMs ?? 30_000
  const staleLockMs = options.staleLockMs ?? 10_000
  const initialDelay = options.retryDelayMs?.initial ?? 5
  const maxDelay = options.retryDelayMs?.max ?? 200
  const onCorrupt = options.onCorrupt ?? 'fail'
  const fileMode = options.fileMode ?? 0o600
  const now = options.now ?? systemClock
  const sleep = options.sleep ?? timerSleep
  const random = options.random ?? webCryptoRandom
  const isAlive = options.isProcessAlive ?? processIsAlive
  const log = options.logger ?? silentLogger
  const host = os.hostname()
  const queue = serialQueue()

  const place: BlobPlace = {
    where: path,
    // Not the path: an encrypted cache file keeps opening after it is moved.
    context: 'authfold-file-cache',
    advice:
      onCorrupt === 'fail'
        ? `Nothing was written. To recover, move or delete ${path} (users sign in again) or restore it from a backup; or create the store with onCorrupt: 'reset' to move a broken file aside automatically.`
        : `It will be moved aside on the next update.`,
    ...(options.transform === undefined ? {} : { transform: options.transform }),
  }
  const decode = decodeBlob(place)
  const encode = encodeBlob(place)

  const jitter = (ms: number): number => {
    const b = random(2)
    const r = ((b[0] ?? 0) * 256 + (b[1] ?? 0)) / 65536
    return Math.max(1, Math.round(ms / 2 + (ms / 2) * r))
  }

  const staleReason = (o: Observed, t: number): string | undefined => {
    if (o.kind === 'gone') return undefined
    if (o.owner !== undefined) {
      if (o.owner.host === host && o.owner.pid !== process.pid && !isAlive(o.owner.pid)) return `its owner, process ${o.owner.pid}, is not running`
      if (t - o.owner.created > staleLockMs) return `it is ${Math.round((t - o.owner.created) / 1000)} s old (staleLockMs is ${staleLockMs})`
      return undefined
    }
    return t - o.mtimeMs > staleLockMs ? `it is unreadable and ${Math.round((t - o.mtimeMs) / 1000)} s old` : undefined
  }

  /** Removes a stale lock if it is still the one observed; true when it is gone. */
  const breakStale = async (seen: Observed, reason: string): Promise<boolean> => {
    try {
      const h = await fsp.open(breakPath, 'wx', fileMode)
      await h.close()
    } catch (e) {
      if (errno(e) !== 'EEXIST') return false
      // Another waiter is breaking it; a breaker that died leaves its file behind.
      try {
        const st = await fsp.stat(breakPath)
        if (now() - st.mtimeMs > staleLockMs) await fsp.unlink(breakPath)
      } catch {
        // gone already
      }
      return false
    }
    try {
      const again = await observe(lockPath)
      if (again.kind === 'gone') return true
      if (!sameLock(seen, again)) return false
      await fsp.unlink(lockPath)
      log('warning', `authfold fileStore: removed the stale lock ${lockPath}: ${reason}.`, false)
      return true
    } catch {
      return false
    } finally {
      await fsp.unlink(breakPath).catch(() => undefined)
    }
  }

  const acquire = async (): Promise<E.Either<CacheError, LockOwner>> => {
    const start = now()
    let delay = initialDelay
    for (;;) {
      const owner: LockOwner = { pid: process.pid, host, created: now(), token: hex(random(16)) }
      try {
        const h = await fsp.open(lockPath, 'wx', fileMode)
        try {
          await h.writeFile(JSON.stringify(owner), 'utf8')
        } finally {
          await h.close()
        }
        return E.right(owner)
      } catch (e) {
        if (errno(e) !== 'EEXIST') {
          return E.left(ioError(`create the cache lock file ${lockPath}`, e, `Check that ${nodePath.dirname(lockPath)} exists and is writable.`))
        }
      }
      let seen: Observed
      try {
        seen = await observe(lockPath)
      } catch (e) {
        return E.left(ioError(`read the cache lock file ${lockPath}`, e, `Check its permissions, or delete it if no process uses the cache.`))
      }
      if (seen.kind === 'gone') continue
      const t = now()
      const reason = staleReason(seen, t)
      if (reason !== undefined && (await breakStale(seen, reason))) continue
      if (t - start >= lockTimeoutMs) {
        return E.left(
          cacheError(
            'lock_timeout',
            `Timed out after ${Math.round((t - start) / 1000)} s waiting for the token cache lock ${lockPath}, held by ${describeOwner(seen, t)}. Another process is updating the cache; retry later. If no other process uses it, delete ${lockPath}; to wait longer, raise lockTimeoutMs.`,
          ),
        )
      }
      await sleep(jitter(delay))()
      delay = Math.min(maxDelay, delay * 2)
    }
  }

  const release = async (owner: LockOwner): Promise<void> => {
    try {
      const o = await observe(lockPath)
      if (o.kind === 'held' && o.owner?.token === owner.token) await fsp.unlink(lockPath)
      else log('warning', `authfold fileStore: the lock ${lockPath} was taken from this process (it was judged stale); raise staleLockMs if updates are slow.`, false)
    } catch {
      // Nothing to do: a lock left behind is recovered as stale.
    }
  }

  /** The file's text, or `undefined` when there is no file. */
  const readFile = async (): Promise<E.Either<CacheError, string | undefined>> => {
    try {
      return E.right(await fsp.readFile(path, 'utf8'))
    } catch (e) {
      return errno(e) === 'ENOENT' ? E.right(undefined) : E.left(ioError(`read the token cache ${path}`, e, 'Check the file permissions.'))
    }
  }

  const writeAtomic = async (text: string): Promise<E.Either<CacheError, void>> => {
    const tmp = nodePath.join(dir, `.${nodePath.basename(path)}.${process.pid}.${hex(random(6))}.tmp`)
    try {
      const h = await fsp.open(tmp, 'wx', fileMode)
      try {
        await h.writeFile(text, 'utf8')
        await h.sync()
      } finally {
        await h.close()
      }
      await renameWithRetry(tmp, path)
    } catch (e) {
      await fsp.unlink(tmp).catch(() => undefined)
      return E.left(ioError(`write the token cache ${path}`, e, `Check that ${dir} is writable and the disk is not full; the previous cache is unchanged.`))
    }
    try {
      const d = await fsp.open(dir, 'r')
      try {
        await d.sync()
      } finally {
        await d.close()
      }
    } catch {
      // Directories cannot be fsynced everywhere (Windows); the rename is still atomic.
    }
    return E.right(undefined)
  }

  // Windows refuses a rename over a file another process has open for a moment.
  const renameWithRetry = async (from: string, to: string, attempt = 0): Promise<void> => {
    try {
      await fsp.rename(from, to)
    } catch (e) {
      if (attempt < 5 && (errno(e) === 'EPERM' || errno(e) === 'EBUSY' || errno(e) === 'EACCES')) {
        await sleep(jitter(initialDelay * 2 ** attempt))()
        return renameWithRetry(from, to, attempt + 1)
      }
      throw e
    }
  }

  const readState = async (): Promise<E.Either<StoreError, { readonly state: CacheState; readonly corrupt: boolean; readonly exists: boolean }>> => {
    const text = await readFile()
    if (E.isLeft(text)) return text
    if (text.right === undefined) return E.right({ state: emptyCache, corrupt: false, exists: false })
    const decoded = await decode(text.right)()
    if (E.isRight(decoded)) return E.right({ state: decoded.right, corrupt: false, exists: true })
    if (onCorrupt === 'fail' || decoded.left.code === 'io') return decoded
    log('warning', `authfold fileStore: ${decoded.left.message} Reading it as an empty cache (onCorrupt: 'reset').`, false)
    return E.right({ state: emptyCache, corrupt: true, exists: true })
  }

  const locked = async (f: (current: CacheState) => CacheState): Promise<E.Either<StoreError, CacheState>> => {
    try {
      await fsp.mkdir(dir, { recursive: true, mode: 0o700 })
    } catch (e) {
      return E.left(ioError(`create the directory ${dir}`, e, 'Check the path and permissions.'))
    }
    const lock = await acquire()
    if (E.isLeft(lock)) return lock
    try {
      const read = await readState()
      if (E.isLeft(read)) return read
      const { state, corrupt, exists } = read.right
      if (corrupt) {
        const backup = `${path}.corrupt-${now()}`
        try {
          await fsp.rename(path, backup)
        } catch (e) {
          return E.left(ioError(`move the broken token cache ${path} aside`, e, 'Move or delete it by hand.'))
        }
        log('warning', `authfold fileStore: moved the broken token cache to ${backup} and started an empty one.`, false)
      }
      const next = f(state)
      if (next === state && exists && !corrupt) return E.right(state)
      const blob = await encode(next)()
      if (E.isLeft(blob)) return blob
      const written = await writeAtomic(blob.right)
      return E.isLeft(written) ? written : E.right(next)
    } finally {
      await release(lock.right)
    }
  }

  const guard =
    <A>(run: () => Promise<E.Either<StoreError, A>>): TE.TaskEither<StoreError, A> =>
    () =>
      run().catch((e: unknown) => E.left(cacheError('io', `The token cache ${path} failed unexpectedly (${e instanceof Error ? e.message : String(e)}).`)))

  return {
    load: () => guard(async () => E.map((r: { readonly state: CacheState }) => r.state)(await readState())),
    update: (f) => guard(() => queue(() => locked(f))),
  }
}
