import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fork, spawn } from 'node:child_process'
import { promises as fsp } from 'node:fs'
import * as os from 'node:os'
import * as nodePath from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import { cacheSize, deserialize, emptyCache, serialize } from '@authfold/cache'
import type { LogLevel } from '@authfold/core'
import { aesGcm } from '@authfold/cache'
import { fileStore, localProcessStatus, parseProcStat, processIsAlive, type FileStoreOptions } from './fileStore.js'
import { addToken, right, tokenKeys } from './entries.testkit.js'

const WORKER = fileURLToPath(new URL('./fileStore.worker.ts', import.meta.url))

let root: string
beforeAll(async () => {
  root = await fsp.mkdtemp(nodePath.join(os.tmpdir(), 'authfold-filestore-'))
})
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true })
})

let n = 0
const freshPath = (): string => nodePath.join(root, `case-${++n}`, 'cache.json')

/** A pid that belonged to a process which has exited. */
const deadPid = async (): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    child.on('error', reject)
    child.on('exit', () => resolve(child.pid ?? -1))
  })

/** A process that runs until stopped. */
const sleeper = async (): Promise<{ readonly pid: number; readonly stop: () => Promise<void> }> => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
  await new Promise((resolve, reject) => {
    child.on('spawn', resolve)
    child.on('error', reject)
  })
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  return {
    pid: child.pid ?? -1,
    stop: async () => {
      child.kill('SIGKILL')
      await exited
    },
  }
}

/** A clock that only moves when the store sleeps: lock timeouts without wall-clock time. */
const virtualTime = (start = 1_700_000_000_000) => {
  let t = start
  const slept: number[] = []
  return {
    now: () => t,
    sleep: (ms: number) => () => {
      slept.push(ms)
      t += ms
      return Promise.resolve()
    },
    slept,
  }
}

const lines: string[] = []
const logger = (level: LogLevel, message: string): void => {
  lines.push(`${level} ${message}`)
}

const store = (path: string, over: Partial<FileStoreOptions> = {}) => fileStore({ path, logger, ...over })

describe('fileStore', () => {
  it('starts empty, writes MSAL unified JSON with mode 0600, and reads it back', async () => {
    const path = freshPath()
    const s = store(path)
    expect(cacheSize(right(await s.load()()))).toBe(0)
    const written = right(await s.update(addToken('a'))())
    expect(tokenKeys(written)).toEqual(['a'])
    const text = await fsp.readFile(path, 'utf8')
    expect(Object.keys(JSON.parse(text) as object).sort()).toEqual(['AccessToken', 'Account', 'AppMetadata', 'IdToken', 'RefreshToken'])
    expect(text).toBe(serialize(written))
    expect(tokenKeys(right(await store(path).load()()))).toEqual(['a'])
    if (process.platform !== 'win32') expect((await fsp.stat(path)).mode & 0o777).toBe(0o600)
    // no lock, break file or temporary file is left behind
    expect(await fsp.readdir(nodePath.dirname(path))).toEqual(['cache.json'])
  })

  it('does not rewrite the file when the update changes nothing', async () => {
    const path = freshPath()
    const s = store(path)
    right(await s.update(addToken('a'))())
    const before = await fsp.stat(path)
    right(await s.update((x) => x)())
    expect((await fsp.stat(path)).ino).toBe(before.ino)
  })

  it('loses nothing when 100 updates of one process run at once', async () => {
    const path = freshPath()
    const s = store(path)
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => s.update(addToken(`k${i}`))()))
    expect(results.every(E.isRight)).toBe(true)
    expect(tokenKeys(right(await s.load()())).length).toBe(100)
  })

  it('loses nothing when 4 processes make 25 updates each at once, and the file is valid JSON throughout', async () => {
    const path = freshPath()
    await fsp.mkdir(nodePath.dirname(path), { recursive: true })
    const reader = store(path)
    let done = false
    let reads = 0
    const failures: string[] = []
    const readLoop = (async () => {
      while (!done) {
        const r = await reader.load()()
        reads++
        if (E.isLeft(r)) failures.push(r.left.message)
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    const run = (id: number) =>
      new Promise<{ readonly code: number | null; readonly stderr: string }>((resolve, reject) => {
        const child = fork(WORKER, [path, String(id), '25'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
        let stderr = ''
        child.stderr?.on('data', (d: Buffer) => {
          stderr += d.toString()
        })
        child.on('error', reject)
        child.on('exit', (code) => resolve({ code, stderr }))
      })
    const exits = await Promise.all([1, 2, 3, 4].map(run))
    done = true
    await readLoop
    expect(exits).toEqual([1, 2, 3, 4].map(() => ({ code: 0, stderr: '' })))
    expect(failures).toEqual([])
    expect(reads).toBeGreaterThan(0)
    const keys = tokenKeys(right(deserialize(await fsp.readFile(path, 'utf8'))))
    expect(keys).toHaveLength(100)
    expect(keys).toEqual([1, 2, 3, 4].flatMap((w) => Array.from({ length: 25 }, (_, i) => `w${w}-${i}`)).sort())
    expect((await fsp.readdir(nodePath.dirname(path))).sort()).toEqual(['cache.json'])
  }, 120_000)

  describe('the lock', () => {
    it('recovers a lock left by a process that is no longer running', async () => {
      const path = freshPath()
      await fsp.mkdir(nodePath.dirname(path), { recursive: true })
      const pid = await deadPid()
      expect(processIsAlive(pid)).toBe(false)
      await fsp.writeFile(`${path}.lock`, JSON.stringify({ pid, host: os.hostname(), created: Date.now(), token: 'dead' }))
      lines.length = 0
      const time = virtualTime()
      right(await store(path, time).update(addToken('after-crash'))())
      expect(tokenKeys(right(await store(path).load()()))).toEqual(['after-crash'])
      expect(lines.join('\n')).toContain(`process ${pid}, is not running`)
      expect(time.slept).toEqual([])
      await expect(fsp.access(`${path}.lock`)).rejects.toMatchObject({ code: 'ENOENT' })
    })

    it('many waiters on one stale lock: it is broken once and no update is lost', async () => {
      const path = freshPath()
      await fsp.mkdir(nodePath.dirname(path), { recursive: true })
      const pid = await deadPid()
      await fsp.writeFile(`${path}.lock`, JSON.stringify({ pid, host: os.hostname(), created: Date.now(), token: 'dead' }))
      lines.length = 0
      // separate store instances share no in-memory queue: they contend through the lock file
      const stores = Array.from({ length: 5 }, () => store(path))
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => stores[i % 5]!.update(addToken(`s${i}`))()))
      expect(results.filter(E.isLeft)).toEqual([])
      expect(tokenKeys(right(await store(path).load()()))).toHaveLength(50)
      expect(lines.filter((l) => l.includes('removed the stale lock'))).toHaveLength(1)
      expect(await fsp.readdir(nodePath.dirname(path))).toEqual(['cache.json'])
    })

    it('never breaks a lock whose owner runs on this machine, however old it is: waiters end in lock_timeout; once the owner has ended it is recovered at once', async () => {
      const path = freshPath()
      await fsp.mkdir(nodePath.dirname(path), { recursive: true })
      const owner = await sleeper()
      try {
        const hourAgo = Date.now() - 3_600_000
        await fsp.writeFile(`${path}.lock`, JSON.stringify({ pid: owner.pid, host: os.hostname(), created: hourAgo, token: 'alive' }))
        await fsp.utimes(`${path}.lock`, new Date(hourAgo), new Date(hourAgo))
        const time = virtualTime(Date.now())
        const r = await store(path, { ...time, staleLockMs: 1_000, lockTimeoutMs: 5_000 }).update(addToken('x'))()
        expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'lock_timeout' } })
        if (E.isLeft(r)) {
          expect(r.left.message).toMatch(new RegExp(`process ${owner.pid} on ${os.hostname()} for 360\\d s`))
          expect(r.left.message).toContain('never taken from a running process')
          expect(r.left.message).toContain('If that process hangs, end it')
        }
        await expect(fsp.access(path)).rejects.toMatchObject({ code: 'ENOENT' })
      } finally {
        await owner.stop()
      }
      lines.length = 0
      const time = virtualTime(Date.now())
      right(await store(path, { ...time, staleLockMs: 1_000 }).update(addToken('x'))())
      expect(time.slept).toEqual([])
      expect(lines.join('\n')).toContain(`its owner, process ${owner.pid}, is not running`)
    })

    it('recovers a lock whose pid now belongs to a later process (another start time), and one an earlier process with our own pid left', async () => {
      const path = freshPath()
      await fsp.mkdir(nodePath.dirname(path), { recursive: true })
      const host = os.hostname()
      const processStatus = async (pid: number) => ({ running: true, start: pid === process.pid ? 'now' : 'later' })
      await fsp.writeFile(`${path}.lock`, JSON.stringify({ pid: 4242, host, start: 'earlier', created: Date.now(), token: 'reused' }))
      lines.length = 0
      right(await store(path, { processStatus }).update(addToken('a'))())
      expect(lines.join('\n')).toContain('its owner, process 4242, has ended (the pid now belongs to a later process)')
      await fsp.writeFile(`${path}.lock`, JSON.stringify({ pid: process.pid, host, start: 'before', created: Date.now(), token: 'mine-before' }))
      right(await store(path, { processStatus }).update(addToken('b'))())
      expect(lines.join('\n')).toContain(`it was left by an earlier process with this pid (${process.pid})`)
      // same pid and start: another store of this very process holds it, so it is waited for
      await fsp.writeFile(`${path}.lock`, JSON.stringify({ pid: process.pid, host, start: 'now', created: Date.now() - 3_600_000, token: 'mine' }))
      const r = await store(path, { processStatus, ...virtualTime(Date.now()), staleLockMs: 10, lockTimeoutMs: 1_000 }).update(addToken('c'))()
      expect(r).toMatchObject({ _tag: 'Left', left: { code: 'lock_timeout' } })
      expect(tokenKeys(right(await store(path).load()()))).toEqual(['a', 'b'])
    })

    it('a lock of another machine is broken only when its heartbeat (mtime) is older than staleLockMs, whatever it says of its age', async () => {
      const path = freshPath()
      const lockPath = `${path}.lock`
      await fsp.mkdir(nodePath.dirname(path), { recursive: true })
      const t0 = Date.now()
      await fsp.writeFile(lockPath, JSON.stringify({ pid: process.pid, host: 'other-host', created: t0 - 3_600_000, token: 'remote' }))
      await fsp.utimes(lockPath, new Date(t0), new Date(t0))
      // the owner keeps its heartbeat: every wait, the lock's mtime moves to "now"
      const beating = virtualTime(t0)
      const sleep = (ms: number) => async () => {
        await beating.sleep(ms)()
        await fsp.utimes(lockPath, new Date(beating.now()), new Date(beating.now()))
      }
      const r = await store(path, { now: beating.now, sleep, staleLockMs: 2_000, lockTimeoutMs: 30_000 }).update(addToken('x'))()
      expect(r).toMatchObject({ _tag: 'Left', left: { code: 'lock_timeout' } })
      if (E.isLeft(r)) expect(r.left.message).toMatch(/on other-host for 363\d s, last refreshed 0 s ago/)
      // the heartbeat stops: broken once it is staleLockMs old
      lines.length = 0
      const silent = virtualTime(beating.now())
      right(await store(path, { ...silent, staleLockMs: 2_000, lockTimeoutMs: 30_000 }).update(addToken('x'))())
      expect(silent.now() - beating.now()).toBeGreaterThan(2_000)
      expect(silent.now() - beating.now()).toBeLessThan(2_500)
      expect(lines.join('\n')).toContain('its owner, process')
      expect(lines.join('\n')).toContain('on other-host, has not refreshed it for 2 s (staleLockMs is 2000)')
      expect(tokenKeys(right(await store(path).load()()))).toEqual(['x'])
    })

    it('a pid of another pid namespace on this host (a container sharing the file) is not looked up here: its lock is judged by its heartbeat', async () => {
      const path = freshPath()
      await fsp.mkdir(nodePath.dirname(path), { recursive: true })
      const ours = await fsp.readlink('/proc/self/ns/pid').catch(() => undefined)
      const dead = await deadPid()
      await fsp.writeFile(`${path}.lock`, JSON.stringify({ pid: dead, host: os.hostname(), pidns: 'pid:[1]', created: Date.now(), token: 'container' }))
      const time = virtualTime(Date.now())
      const r = await store(path, { ...time, staleLockMs: 60_000, lockTimeoutMs: 1_000 }).update(addToken('x'))()
      // without pid namespaces (not Linux) the pid is all there is, and it is not running
      expect(r).toMatchObject(ours === undefined ? { _tag: 'Right' } : { _tag: 'Left', left: { code: 'lock_timeout' } })
    })

    it('a break file left by a breaker that died is removed, and the stale lock is then broken', async () => {
      const path = freshPath()
      await fsp.mkdir(nodePath.dirname(path), { recursive: true })
      const dead = await deadPid()
      const owner = { pid: dead, host: os.hostname(), created: Date.now(), token: 'dead' }
      await fsp.writeFile(`${path}.lock`, JSON.stringify(owner))
      await fsp.writeFile(`${path}.lock.break`, JSON.stringify({ ...owner, token: 'dead-breaker' }))
      right(await store(path, virtualTime(Date.now())).update(addToken('x'))())
      expect(await fsp.readdir(nodePath.dirname(path))).toEqual(['cache.json'])
    })

    it('a holder whose lock was taken over writes nothing and fails with conflict', async () => {
      const path = freshPath()
      const lockPath = `${path}.lock`
      right(await store(path).update(addToken('before'))())
      const before = await fsp.readFile(path, 'utf8')
      const thief = JSON.stringify({ pid: process.pid, host: 'other-host', created: Date.now(), token: 'thief' })
      // the seal step runs under the lock: there, another machine "breaks" it and takes it
      const transform = {
        seal: (plain: string) => async () => {
          await fsp.unlink(lockPath)
          await fsp.writeFile(lockPath, thief)
          return E.right(plain)
        },
        open: (blob: string) => async () => E.right(blob),
      }
      const r = await store(path, { transform }).update(addToken('lost'))()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'conflict' } })
      if (E.isLeft(r)) expect(r.left.message).toContain('nothing was written')
      expect(await fsp.readFile(path, 'utf8')).toBe(before)
      // the thief's lock is left alone, and no temporary file remains
      expect(await fsp.readFile(lockPath, 'utf8')).toBe(thief)
      expect((await fsp.readdir(nodePath.dirname(path))).sort()).toEqual(['cache.json', 'cache.json.lock'])
    })

    it('refreshes its heartbeat (the lock mtime, on the injected clock) at each step of an update', async () => {
      const path = freshPath()
      const lockPath = `${path}.lock`
      const t = 1_000_000_000_000
      const seen: number[] = []
      const transform = {
        seal: (plain: string) => async () => {
          seen.push((await fsp.stat(lockPath)).mtimeMs)
          return E.right(plain)
        },
        open: (blob: string) => async () => E.right(blob),
      }
      right(await store(path, { transform, now: () => t }).update(addToken('x'))())
      expect(seen).toEqual([t])
    })

    it('the default process status: this process runs with its /proc start time, an ended one does not', async () => {
      const me = await localProcessStatus(process.pid)
      expect(me.running).toBe(true)
      const stat = await fsp.readFile('/proc/self/stat', 'utf8').catch(() => undefined)
      expect(me.start).toBe(stat === undefined ? undefined : parseProcStat(stat)?.start)
      expect(await localProcessStatus(await deadPid())).toEqual({ running: false })
    })

    it('parseProcStat reads the state and start time after a command name with spaces and parentheses', () => {
      const fields = Array.from({ length: 50 }, (_, i) => String(i + 3))
      fields[0] = 'S'
      expect(parseProcStat(`123 (a) b (c)) ${fields.join(' ')}`)).toEqual({ state: 'S', start: '22' })
      expect(parseProcStat('garbage')).toBeUndefined()
      expect(parseProcStat('1 (x) S 1 2')).toBeUndefined()
    })

    it('recovers an unreadable (empty) lock file by its age', async () => {
      const path = freshPath()
      await fsp.mkdir(nodePath.dirname(path), { recursive: true })
      await fsp.writeFile(`${path}.lock`, '')
      const mtime = (await fsp.stat(`${path}.lock`)).mtimeMs
      const time = virtualTime(mtime)
      right(await store(path, { ...time, staleLockMs: 1_000 }).update(addToken('x'))())
      expect(lines.join('\n')).toContain('it is unreadable')
    })

    it('times out on a live lock with lock_timeout saying what to do, and writes nothing', async () => {
      const path = freshPath()
      await fsp.mkdir(nodePath.dirname(path), { recursive: true })
      const time = virtualTime()
      const lock = JSON.stringify({ pid: process.pid, host: os.hostname(), created: time.now(), token: 'live' })
      await fsp.writeFile(`${path}.lock`, lock)
      const r = await store(path, { ...time, lockTimeoutMs: 2_000, staleLockMs: 60_000 }).update(addToken('x'))()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'lock_timeout' } })
      if (E.isLeft(r)) {
        expect(r.left.message).toContain(`${path}.lock`)
        expect(r.left.message).toContain(`process ${process.pid}`)
        expect(r.left.message).toContain(`delete ${path}.lock`)
        expect(r.left.message).toContain('lockTimeoutMs')
      }
      // exponential backoff from 5 ms capped at 200 ms, with jitter in [d/2, d]
      expect(time.slept.length).toBeGreaterThan(5)
      for (const ms of time.slept) expect(ms).toBeLessThanOrEqual(200)
      await expect(fsp.access(path)).rejects.toMatchObject({ code: 'ENOENT' })
      expect(await fsp.readFile(`${path}.lock`, 'utf8')).toBe(lock)
    })

    it('waits for a lock that is released and then proceeds', async () => {
      const path = freshPath()
      await fsp.mkdir(nodePath.dirname(path), { recursive: true })
      await fsp.writeFile(`${path}.lock`, JSON.stringify({ pid: process.pid, host: os.hostname(), created: Date.now(), token: 'held' }))
      let sleeps = 0
      const sleep = () => async () => {
        if (++sleeps === 3) await fsp.unlink(`${path}.lock`)
      }
      right(await store(path, { sleep }).update(addToken('x'))())
      expect(sleeps).toBe(3)
    })
  })

  describe('a broken file', () => {
    const brokenFile = async () => {
      const path = freshPath()
      const s = store(path)
      right(await s.update(addToken('a'))())
      right(await s.update(addToken('b'))())
      const full = await fsp.readFile(path, 'utf8')
      const truncated = full.slice(0, Math.floor(full.length / 2))
      await fsp.writeFile(path, truncated)
      return { path, truncated }
    }

    it('a truncated file: load names the file and the problem and never reads it as empty', async () => {
      const { path } = await brokenFile()
      const r = await store(path).load()()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', code: 'invalid_json', subject: `token cache at ${path}` } })
      if (E.isLeft(r)) {
        expect(r.left.message).toContain(path)
        expect(r.left.message).toContain('not valid JSON')
        expect(r.left.message).toContain(`move or delete ${path}`)
        expect(r.left.message).toContain("onCorrupt: 'reset'")
      }
    })

    it('update refuses to overwrite it by default (onCorrupt: fail)', async () => {
      const { path, truncated } = await brokenFile()
      const r = await store(path).update(addToken('c'))()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', code: 'invalid_json' } })
      expect(await fsp.readFile(path, 'utf8')).toBe(truncated)
      await expect(fsp.access(`${path}.lock`)).rejects.toMatchObject({ code: 'ENOENT' })
    })

    it('a file that is JSON but not a cache is refused with the path of the bad field', async () => {
      const path = freshPath()
      await fsp.mkdir(nodePath.dirname(path), { recursive: true })
      // An entry the reader does not understand is kept, not refused (MSAL Java/.NET do the same); a section that is not an object is refused.
      await fsp.writeFile(path, JSON.stringify({ AccessToken: [{ credential_type: 'AccessToken' }] }))
      const r = await store(path).load()()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', code: 'invalid_shape', path: 'AccessToken' } })
    })

    it("onCorrupt: 'reset' reads it as empty with a warning and moves it aside on the next update", async () => {
      const { path, truncated } = await brokenFile()
      const time = virtualTime()
      const s = store(path, { onCorrupt: 'reset', now: time.now })
      lines.length = 0
      expect(cacheSize(right(await s.load()()))).toBe(0)
      expect(lines.join('\n')).toContain("onCorrupt: 'reset'")
      expect(tokenKeys(right(await s.update(addToken('c'))()))).toEqual(['c'])
      expect(await fsp.readFile(`${path}.corrupt-${time.now()}`, 'utf8')).toBe(truncated)
      expect(tokenKeys(right(await store(path).load()()))).toEqual(['c'])
    })

    it('an empty file is the empty cache, as in MSAL Python', async () => {
      const path = freshPath()
      await fsp.mkdir(nodePath.dirname(path), { recursive: true })
      await fsp.writeFile(path, '')
      expect(right(await store(path).load()())).toBe(emptyCache)
    })

    it('a directory that cannot be created is an io error naming it', async () => {
      const blocker = nodePath.join(root, `blocker-${++n}`)
      await fsp.writeFile(blocker, 'a file, not a directory')
      const r = await store(nodePath.join(blocker, 'sub', 'cache.json')).update(addToken('x'))()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
      if (E.isLeft(r)) expect(r.left.message).toContain(nodePath.join(blocker, 'sub'))
    })

    it('an update function that throws is an io error, and the lock is released', async () => {
      const path = freshPath()
      const r = await store(path).update(() => {
        throw new Error('boom')
      })()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
      await expect(fsp.access(`${path}.lock`)).rejects.toMatchObject({ code: 'ENOENT' })
      right(await store(path).update(addToken('x'))())
    })
  })

  describe('with at-rest encryption', () => {
    const key = new Uint8Array(32).fill(7)

    it('writes an envelope, reads it back, and refuses a reader without the key or with another key', async () => {
      const path = freshPath()
      const s = store(path, { transform: aesGcm(key) })
      right(await s.update(addToken('secret-token'))())
      const text = await fsp.readFile(path, 'utf8')
      expect(text.startsWith('authfold.aesgcm.1.')).toBe(true)
      expect(text).not.toContain('secret-token')
      expect(tokenKeys(right(await s.load()()))).toEqual(['secret-token'])
      const noKey = await store(path).load()()
      expect(noKey).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'tampered' } })
      if (E.isLeft(noKey)) expect(noKey.left.message).toContain('aesGcm(key)')
      const otherKey = await store(path, { transform: aesGcm(new Uint8Array(32).fill(8)) }).update(addToken('x'))()
      expect(otherKey).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'tampered' } })
      expect(await fsp.readFile(path, 'utf8')).toBe(text)
      // the file can move: its context is not its path
      const moved = nodePath.join(nodePath.dirname(path), 'moved.json')
      await fsp.copyFile(path, moved)
      expect(tokenKeys(right(await store(moved, { transform: aesGcm(key) }).load()()))).toEqual(['secret-token'])
    })

    it('migrates a plain cache with allowPlaintext', async () => {
      const path = freshPath()
      right(await store(path).update(addToken('plain'))())
      expect(await store(path, { transform: aesGcm(key) }).load()()).toMatchObject({ _tag: 'Left', left: { code: 'tampered' } })
      const s = store(path, { transform: aesGcm(key, { allowPlaintext: true }) })
      right(await s.update(addToken('more'))())
      expect((await fsp.readFile(path, 'utf8')).startsWith('authfold.aesgcm.1.')).toBe(true)
      expect(tokenKeys(right(await store(path, { transform: aesGcm(key) }).load()()))).toEqual(['more', 'plain'])
    })
  })
})
