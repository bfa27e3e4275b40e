/**
 * A token cache in one file, in MSAL's unified JSON (MSAL Python and msal-node read it),
 * shared safely by several processes on one machine: a desktop app, a CLI, its helpers.
 *
 * ### Lock protocol
 *
 * Every `update` holds a lock file (`<path>.lock` by default) for its read-modify-write;
 * `load` takes no lock, because writes are atomic.
 *
 * 1. Create the lock with `O_CREAT | O_EXCL` (`fs.open(lock, 'wx')`) and write
 *    `{ pid, host, pidns, start, created, token }` into it: who owns it (process id, host
 *    name, Linux pid namespace, the process's start time from `/proc/<pid>/stat`) and a
 *    random token. Only one process can create it.
 * 2. If it exists, read it and decide whether its owner is gone:
 *    - **An owner on this machine** (same host name and pid namespace) is checked directly:
 *      the lock is stale only when that process no longer runs (`process.kill(pid, 0)`
 *      fails with `ESRCH`) or its pid now belongs to a process started at another time.
 *      **A lock whose owner runs is never broken, however old**: a slow update of a large
 *      cache, or a process stopped (`SIGSTOP`, a debugger) in the middle of one, keeps it,
 *      and waiters wait and then fail with `lock_timeout`. Breaking it would let the
 *      owner, when it resumes, write over what others wrote meanwhile.
 *    - **An owner on another machine** (a cache on a network file system), or a lock file
 *      that cannot be read, is judged by its heartbeat: the holder refreshes the lock
 *      file's modification time at each step of its update (after reading, decoding,
 *      applying the change, encoding, writing), and the lock is stale when that time is
 *      more than `staleLockMs` (default 10 s) old. Keep `staleLockMs` above the longest
 *      single step there.
 *    A stale lock is broken under a second `O_EXCL` file (`<lock>.break`, holding its own
 *    owner, judged by the same rules) so two waiters never both break it: the breaker
 *    re-reads the lock, removes it only if it is still the same file with the same content,
 *    and tries again at once.
 * 3. Otherwise wait (the injected `sleep`, exponential backoff with random jitter from
 *    `retryDelayMs.initial` to `retryDelayMs.max`) and try again until `lockTimeoutMs`
 *    (default 30 s, measured with the injected clock) has passed; then fail with
 *    `CacheError('lock_timeout')` naming the lock, its owner, and what to do.
 * 4. Before it replaces the cache file, the holder checks that the lock path is still its
 *    own lock file (same inode); if it was taken over (only a lock judged by its heartbeat
 *    can be), nothing is written and the update fails with `CacheError('conflict')`.
 * 5. Release: remove the lock if it is still our file with our random token.
 *
 * So no acknowledged update is lost to a lock broken under a live owner on this machine.
 * What remains for a cache shared across machines: an owner that stalls longer than
 * `staleLockMs` exactly between its last check (step 4) and its rename can still overwrite
 * one update made by the process that broke its lock.
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
 * ### What a change writes
 *
 * The whole cache, every time: an `update` that changes the state re-encodes all of it
 * and replaces the whole file (as above); one that changes nothing writes nothing. One
 * MSAL document in one atomically replaced file leaves no smaller unit to write; the
 * Redis store, which partitions by account, writes one partition per update.
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
import type { FileHandle } from 'node:fs/promises'
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
  /** Give up waiting for the lock after this many milliseconds. Default 30,000; keep it above `staleLockMs`. */
  readonly lockTimeoutMs?: number
  /**
   * A lock owned by a process on another machine (or unreadable) whose heartbeat is older
   * than this is stale and is broken. Default 10,000. A lock owned by a running process of
   * this machine is never broken, whatever its age (see the module comment).
   */
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
  /** Whether a process of this machine runs, and when it started. Default {@link localProcessStatus}. */
  readonly processStatus?: (pid: number) => Promise<ProcessStatus>
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
  /** The owner's pid namespace (Linux), so pids are compared only where they mean the same process. */
  readonly pidns?: string
  /** When the owner process started (see `processStart`), so a reused pid is not taken for the owner. */
  readonly start?: string
  /** Epoch milliseconds when the lock was taken. */
  readonly created: number
  /** Random, so a process releases only its own lock. */
  readonly token: string
}

/**
 * What the file store knows of a process of this machine: whether it runs, and when it
 * started (an opaque token; absent where the platform does not tell), which tells a lock's
 * owner from a later process given the same pid.
 *
 * @category model
 * @since 0.1.0
 */
export interface ProcessStatus {
  readonly running: boolean
  readonly start?: string
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

/**
 * The state letter and start time of a `/proc/<pid>/stat` line (`pid (comm) state ppid
 * ...`, where `comm` may hold spaces and parentheses, so fields resume after the last
 * `)`; the start time is field 22, in clock ticks since boot), or `undefined` when the
 * line is not one.
 *
 * @category utils
 * @since 0.1.0
 */
export const parseProcStat = (line: string): { readonly state: string; readonly start: string } | undefined => {
  const close = line.lastIndexOf(')')
  if (close < 0) return undefined
  const fields = line.slice(close + 2).trim().split(' ')
  const state = fields[0]
  const start = fields[19]
  return state !== undefined && /^[A-Za-z]$/.test(state) && start !== undefined && /^\d+$/.test(start) ? { state, start } : undefined
}

/**
 * The default {@link FileStoreOptions.processStatus}: {@link processIsAlive}, and on Linux
 * `/proc/<pid>/stat`, where a zombie (`Z`) or dead (`X`) process does not run and the start
 * time is the `start` token.
 *
 * @category utils
 * @since 0.1.0
 */
export const localProcessStatus = async (pid: number): Promise<ProcessStatus> => {
  if (!processIsAlive(pid)) return { running: false }
  let stat: ReturnType<typeof parseProcStat>
  try {
    stat = parseProcStat(await fsp.readFile(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    stat = undefined
  }
  if (stat === undefined) return { running: true }
  return stat.state === 'Z' || stat.state === 'X' ? { running: false } : { running: true, start: stat.start }
}

/** This process's pid namespace on Linux (`pid:[4026531836]`), `undefined` elsewhere. */
const pidNamespace = async (): Promise<string | undefined> => {
  try {
    return await fsp.readlink('/proc/self/ns/pid')
  } catch {
    return undefined
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
    if (typeof o['pid'] !== 'number' || typeof o['host'] !== 'string' || typeof o['created'] !== 'number' || typeof o['token'] !== 'string') return undefined
    return {
      pid: o['pid'],
      host: o['host'],
      ...(typeof o['pidns'] === 'string' ? { pidns: o['pidns'] } : {}),
      ...(typeof o['start'] === 'string' ? { start: o['start'] } : {}),
      created: o['created'],
      token: o['token'],
    }
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

/** Who this process is, as written into its locks. */
interface SelfIdentity {
  readonly pidns?: string
  readonly start?: string
}

/** A lock this process holds: its content, its open file (for heartbeats) and inode. */
interface Held {
  readonly owner: LockOwner
  readonly handle: FileHandle
  readonly ino: number
}

const seconds = (ms: number): number => Math.round(ms / 1000)

const ioError = (what: string, e: unknown, advice: string): CacheError =>
  cacheError('io', `Could not ${what} (${errno(e)}). ${advice}`)

/**
 * A {@link CacheStore} in one JSON file with a cross-process lock and atomic replace (see
 * the module comment for the protocol and the corrupt-file policy). Node only.
 *
 * @example
 * ```ts
 * import { homedir } from 'node:os'
 * import { join } from 'node:path'
 * import { createPublicClient } from '@authfold/client'
 * import { fileStore } from '@authfold/node'
 *
 * declare const clientId: string
 * const cacheStore = fileStore({ path: join(homedir(), '.myapp', 'token-cache.json') })
 * const app = createPublicClient({ clientId, cacheStore })
 * ```
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
  const processStatus = options.processStatus ?? localProcessStatus
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

  // Who this process is, for its own locks and to judge others' (computed once, on first use).
  let selfIdentity: Promise<SelfIdentity> | undefined
  const self = (): Promise<SelfIdentity> =>
    (selfIdentity ??= Promise.all([pidNamespace(), processStatus(process.pid)]).then(([pidns, status]) => ({
      ...(pidns === undefined ? {} : { pidns }),
      ...(status.start === undefined ? {} : { start: status.start }),
    })))

  /** Whether the owner's pid means a process of this machine (same host name and pid namespace). */
  const onThisMachine = (o: LockOwner, me: SelfIdentity): boolean => o.host === host && (o.pidns === undefined || me.pidns === undefined || o.pidns === me.pidns)

  /**
   * Why the lock (or break file) is stale, or `undefined` when it must be left alone: an
   * owner on this machine only when it no longer runs; otherwise by heartbeat age.
   */
  const staleReason = async (o: Observed, t: number, me: SelfIdentity): Promise<string | undefined> => {
    if (o.kind === 'gone') return undefined
    const owner = o.owner
    if (owner !== undefined && onThisMachine(owner, me)) {
      if (owner.pid === process.pid) {
        // Another store of this process holds it, unless an earlier process had our pid.
        return owner.start !== undefined && me.start !== undefined && owner.start !== me.start ? `it was left by an earlier process with this pid (${owner.pid})` : undefined
      }
      const status = await processStatus(owner.pid)
      if (!status.running) return `its owner, process ${owner.pid}, is not running`
      if (owner.start !== undefined && status.start !== undefined && owner.start !== status.start) return `its owner, process ${owner.pid}, has ended (the pid now belongs to a later process)`
      return undefined
    }
    const age = t - o.mtimeMs
    if (age <= staleLockMs) return undefined
    return owner === undefined
      ? `it is unreadable and ${seconds(age)} s old (staleLockMs is ${staleLockMs})`
      : `its owner, process ${owner.pid} on ${owner.host}, has not refreshed it for ${seconds(age)} s (staleLockMs is ${staleLockMs})`
  }

  const describeOwner = (o: Observed, t: number, me: SelfIdentity): string =>
    o.kind === 'gone'
      ? 'nobody'
      : o.owner === undefined
        ? `an unreadable lock file ${seconds(t - o.mtimeMs)} s old`
        : onThisMachine(o.owner, me)
          ? `process ${o.owner.pid} on ${o.owner.host} for ${seconds(t - o.owner.created)} s; that process is running (busy with a large cache, or stopped), and a lock is never taken from a running process`
          : `process ${o.owner.pid} on ${o.owner.host} for ${seconds(t - o.owner.created)} s, last refreshed ${seconds(t - o.mtimeMs)} s ago`

  /** Writes our identity into a new `O_EXCL` file; the open handle on success, `undefined` when it exists. */
  const createExclusive = async (file: string, owner: LockOwner): Promise<FileHandle | undefined> => {
    let h: FileHandle
    try {
      h = await fsp.open(file, 'wx', fileMode)
    } catch (e) {
      if (errno(e) === 'EEXIST') return undefined
      throw e
    }
    try {
      await h.writeFile(JSON.stringify(owner), 'utf8')
      return h
    } catch (e) {
      await h.close().catch(() => undefined)
      await fsp.unlink(file).catch(() => undefined)
      throw e
    }
  }

  const newOwner = (me: SelfIdentity): LockOwner => ({ pid: process.pid, host, ...me, created: now(), token: hex(random(16)) })

  /** Removes a stale lock if it is still the one observed; true when it is gone. */
  const breakStale = async (seen: Observed, reason: string, me: SelfIdentity): Promise<boolean> => {
    let breaker: FileHandle | undefined
    try {
      breaker = await createExclusive(breakPath, newOwner(me))
    } catch {
      return false
    }
    if (breaker === undefined) {
      // Another waiter is breaking it. A break file is judged like a lock: one left by a
      // breaker that died is removed, one of a running breaker is waited for.
      try {
        const b = await observe(breakPath)
        const stale = await staleReason(b, now(), me)
        if (stale !== undefined && sameLock(b, await observe(breakPath))) await fsp.unlink(breakPath)
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
      // Remove our break file, not one another waiter made after judging ours stale.
      const ours = await breaker.stat().then((st) => st.ino).catch(() => -1)
      await breaker.close().catch(() => undefined)
      const there = await fsp.stat(breakPath).then((st) => st.ino).catch(() => -2)
      if (ours === there) await fsp.unlink(breakPath).catch(() => undefined)
    }
  }

  const acquire = async (): Promise<E.Either<CacheError, Held>> => {
    const start = now()
    const me = await self()
    let delay = initialDelay
    for (;;) {
      const owner = newOwner(me)
      try {
        const handle = await createExclusive(lockPath, owner)
        if (handle !== undefined) {
          try {
            return E.right({ owner, handle, ino: (await handle.stat()).ino })
          } catch (e) {
            await handle.close().catch(() => undefined)
            await fsp.unlink(lockPath).catch(() => undefined)
            throw e
          }
        }
      } catch (e) {
        return E.left(ioError(`create the cache lock file ${lockPath}`, e, `Check that ${nodePath.dirname(lockPath)} exists and is writable.`))
      }
      let seen: Observed
      try {
        seen = await observe(lockPath)
      } catch (e) {
        return E.left(ioError(`read the cache lock file ${lockPath}`, e, `Check its permissions, or delete it if no process uses the cache.`))
      }
      if (seen.kind === 'gone') continue
      const t = now()
      const reason = await staleReason(seen, t, me)
      if (reason !== undefined && (await breakStale(seen, reason, me))) continue
      if (t - start >= lockTimeoutMs) {
        return E.left(
          cacheError(
            'lock_timeout',
            `Timed out after ${seconds(t - start)} s waiting for the token cache lock ${lockPath}, held by ${describeOwner(seen, t, me)}. Another process is updating the cache; retry later. If that process hangs, end it (its lock is then recovered at once); if no process uses the cache, delete ${lockPath}; to wait longer, raise lockTimeoutMs.`,
          ),
        )
      }
      await sleep(jitter(delay))()
      delay = Math.min(maxDelay, delay * 2)
    }
  }

  /** Refreshes the lock's modification time: the heartbeat that tells other machines we are alive. */
  const heartbeat = async (held: Held): Promise<void> => {
    const t = new Date(now())
    await held.handle.utimes(t, t).catch(() => undefined)
  }

  /** Whether the lock path is still our lock file (it can only have been broken as stale by another machine). */
  const stillHeld = async (held: Held): Promise<boolean> => {
    try {
      return (await fsp.stat(lockPath)).ino === held.ino
    } catch {
      return false
    }
  }

  const lockLost = (): CacheError =>
    cacheError(
      'conflict',
      `The token cache lock ${lockPath} was taken over by another process while this update held it (its heartbeat was judged stale), so nothing was written. Retry the operation; if it recurs, raise staleLockMs above the time one step of an update takes.`,
    )

  const release = async (held: Held): Promise<void> => {
    try {
      const o = await observe(lockPath)
      if (o.kind === 'held' && o.ino === held.ino && o.owner?.token === held.owner.token) await fsp.unlink(lockPath)
      else log('warning', `authfold fileStore: the lock ${lockPath} was taken from this process (judged stale); raise staleLockMs if updates are slow.`, false)
    } catch {
      // Nothing to do: a lock left behind is recovered once this process has ended.
    } finally {
      await held.handle.close().catch(() => undefined)
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

  const writeAtomic = async (text: string, held: Held): Promise<E.Either<CacheError, void>> => {
    const tmp = nodePath.join(dir, `.${nodePath.basename(path)}.${process.pid}.${hex(random(6))}.tmp`)
    try {
      const h = await fsp.open(tmp, 'wx', fileMode)
      try {
        await h.writeFile(text, 'utf8')
        await h.sync()
      } finally {
        await h.close()
      }
      await heartbeat(held)
      if (!(await stillHeld(held))) {
        await fsp.unlink(tmp).catch(() => undefined)
        return E.left(lockLost())
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
    const held = lock.right
    try {
      const read = await readState()
      await heartbeat(held)
      if (E.isLeft(read)) return read
      const { state, corrupt, exists } = read.right
      if (corrupt) {
        if (!(await stillHeld(held))) return E.left(lockLost())
        const backup = `${path}.corrupt-${now()}`
        try {
          await fsp.rename(path, backup)
        } catch (e) {
          return E.left(ioError(`move the broken token cache ${path} aside`, e, 'Move or delete it by hand.'))
        }
        log('warning', `authfold fileStore: moved the broken token cache to ${backup} and started an empty one.`, false)
      }
      const next = f(state)
      await heartbeat(held)
      if (next === state && exists && !corrupt) return E.right(state)
      const blob = await encode(next)()
      await heartbeat(held)
      if (E.isLeft(blob)) return blob
      const written = await writeAtomic(blob.right, held)
      return E.isLeft(written) ? written : E.right(next)
    } finally {
      await release(held)
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
