import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { promises as fsp } from 'node:fs'
import * as os from 'node:os'
import * as nodePath from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import { deserialize, emptyCache, serialize, type CacheState } from '@authfold/cache'
import { addToken, tokenKeys } from './entries.testkit.js'
import { startWorker, waitFor, type Worker } from './workers.testkit.js'

const WORKER = fileURLToPath(new URL('./fileStore.worker.ts', import.meta.url))

let root: string
beforeAll(async () => {
  root = await fsp.mkdtemp(nodePath.join(os.tmpdir(), 'authfold-filelock-'))
})
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true })
})

let n = 0
const freshPath = async (): Promise<string> => {
  const dir = nodePath.join(root, `case-${++n}`)
  await fsp.mkdir(dir, { recursive: true })
  return nodePath.join(dir, 'cache.json')
}

const baseCache = (entries: number): CacheState => {
  let s = emptyCache
  for (let i = 0; i < entries; i++) s = addToken(`base-${i}`)(s)
  return s
}

const finalKeys = async (path: string): Promise<ReadonlySet<string>> => {
  const r = deserialize(await fsp.readFile(path, 'utf8'))
  if (E.isLeft(r)) throw new Error(`the cache file is not valid at the end: ${r.left.message}`)
  return new Set(tokenKeys(r.right))
}

/** The pid named by the lock file now, if any. */
const lockPid = async (lockPath: string): Promise<number | undefined> => {
  try {
    const v: unknown = JSON.parse(await fsp.readFile(lockPath, 'utf8'))
    return typeof v === 'object' && v !== null && typeof (v as { readonly pid?: unknown }).pid === 'number' ? (v as { readonly pid: number }).pid : undefined
  } catch {
    return undefined
  }
}

const ackCount = (ws: ReadonlyArray<Worker>): number => ws.reduce((k, w) => k + w.acks.length, 0)

/** Every key a worker acknowledged that is not in the final file. */
const lostAcks = (ws: ReadonlyArray<Worker>, final: ReadonlySet<string>): ReadonlyArray<string> => ws.flatMap((w) => w.acks.filter((k) => !final.has(k)))

describe('fileStore lock under real processes', () => {
  it('a lock held longer than staleLockMs by a live process is never taken from it: 3 processes x 3 updates on a 20,000-entry file with staleLockMs 300 lose nothing', async () => {
    const path = await freshPath()
    await fsp.writeFile(path, serialize(baseCache(20_000)))
    const started = Date.now()
    const opts = JSON.stringify({ staleLockMs: 300, lockTimeoutMs: 50_000 })
    const workers = [1, 2, 3].map((id) => startWorker(WORKER, [path, String(id), '3', opts]))
    const exits = await Promise.all(workers.map((w) => w.exited))
    const final = await finalKeys(path)
    const lost = lostAcks(workers, final)
    console.info(
      `lock/defect 3: ${ackCount(workers)} writes acknowledged, ${lost.length} lost, ${final.size} entries, ${Date.now() - started} ms (3 processes, 20,000-entry file, staleLockMs 300)`,
    )
    expect(lost).toEqual([])
    expect(exits.map((x) => x.code)).toEqual([0, 0, 0])
    expect(ackCount(workers)).toBe(9)
    expect(final.size).toBe(20_009)
    expect(await fsp.readdir(nodePath.dirname(path))).toEqual(['cache.json'])
  }, 60_000)

  it('8 processes x 100 concurrent updates, one killed (SIGKILL) and one stopped (SIGSTOP) longer than staleLockMs while holding the lock: no acknowledged write lost, a valid file at the end', async () => {
    const path = await freshPath()
    const lockPath = `${path}.lock`
    const staleLockMs = 300
    const started = Date.now()
    const opts = JSON.stringify({ staleLockMs, lockTimeoutMs: 30_000, concurrent: true })
    const workers = Array.from({ length: 8 }, (_, i) => startWorker(WORKER, [path, String(i + 1), '100', opts]))
    const byPid = new Map(workers.map((w) => [w.pid, w] as const))
    try {
      // The current holder of the lock, among the workers still in play.
      const holder = async (skip: ReadonlySet<number>): Promise<Worker | undefined> => {
        const pid = await lockPid(lockPath)
        return pid === undefined || skip.has(pid) ? undefined : byPid.get(pid)
      }

      /** Stops the current lock holder; keeps it stopped if it still holds the lock, else resumes it and tries another. */
      const stopHolder = async (skip: ReadonlySet<number>): Promise<{ readonly worker: Worker; readonly at: number } | undefined> => {
        for (let attempt = 0; attempt < 50; attempt++) {
          let w: Worker | undefined
          if (!(await waitFor(async () => (w = await holder(skip)) !== undefined, 5_000)) || w === undefined) return undefined
          const at = Date.now()
          w.child.kill('SIGSTOP')
          await new Promise((resolve) => setTimeout(resolve, 20))
          if ((await lockPid(lockPath)) === w.pid) return { worker: w, at }
          w.child.kill('SIGCONT')
        }
        return undefined
      }

      // SIGKILL a process while it holds the lock: the others must recover the lock of a dead owner.
      expect(await waitFor(() => ackCount(workers) >= 100, 40_000)).toBe(true)
      const victim = await stopHolder(new Set())
      if (victim === undefined) throw new Error('could not catch a process holding the lock')
      const killed = victim.worker
      killed.child.kill('SIGKILL')
      await killed.exited
      const ackedAtKill = ackCount(workers)

      expect(await waitFor(() => ackCount(workers) >= ackedAtKill + 100, 40_000)).toBe(true)
      // SIGSTOP another one while it holds the lock, for longer than staleLockMs.
      const paused = await stopHolder(new Set([killed.pid]))
      if (paused === undefined) throw new Error('could not catch a process holding the lock')
      const stopped = paused.worker
      const stoppedAt = paused.at
      const stopMs = staleLockMs * 5
      await new Promise((resolve) => setTimeout(resolve, stopMs))
      // Nobody took the lock from the stopped (but alive) process, so nobody wrote meanwhile
      // (by the workers' clocks; an ack printed just as the stop was sent is not counted).
      const stillHolds = (await lockPid(lockPath)) === stopped.pid
      const contAt = Date.now()
      stopped.child.kill('SIGCONT')
      const ackedWhileStopped = workers.reduce((k, w) => k + w.ackTimes.filter((t) => t > stoppedAt + 100 && t < contAt).length, 0)

      const exits = await Promise.all(workers.map((w) => w.exited))
      const final = await finalKeys(path)
      const lost = lostAcks(workers, final)
      const acked = ackCount(workers)
      console.info(
        `lock/load: ${acked} writes acknowledged, ${lost.length} lost, ${final.size} entries in the file; process ${killed.pid} killed holding the lock after ${killed.acks.length} acks, process ${stopped.pid} stopped ${stopMs} ms while holding it (${ackedWhileStopped} acks meanwhile); ${Date.now() - started} ms`,
      )
      expect(lost).toEqual([])
      expect(stillHolds).toBe(true)
      expect(ackedWhileStopped).toBe(0)
      for (const [i, w] of workers.entries()) {
        if (w === killed) expect(exits[i]?.signal).toBe('SIGKILL')
        else {
          expect(exits[i]).toMatchObject({ code: 0, signal: null })
          expect(w.failures).toEqual([])
          expect(w.acks).toHaveLength(100)
        }
      }
      expect(acked).toBe(700 + killed.acks.length)
      // Only keys the workers were asked to write, each of the survivors' in full.
      const universe = new Set(workers.flatMap((_, i) => Array.from({ length: 100 }, (__, k) => `w${i + 1}-${k}`)))
      expect([...final].filter((k) => !universe.has(k))).toEqual([])
      // No lock left; at most the killed process's temporary file.
      const left = (await fsp.readdir(nodePath.dirname(path))).filter((f) => f !== 'cache.json')
      expect(left.filter((f) => !f.startsWith(`.cache.json.${killed.pid}.`))).toEqual([])
    } finally {
      for (const w of workers) {
        if (w.child.exitCode === null && w.child.signalCode === null) {
          w.child.kill('SIGCONT')
          w.child.kill('SIGKILL')
        }
      }
    }
  }, 90_000)
})
