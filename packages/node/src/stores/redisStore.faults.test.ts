import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { promises as fsp } from 'node:fs'
import * as os from 'node:os'
import * as nodePath from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import { createClient } from 'redis'
import { deserialize } from '@authfold/cache'
import { nodeRedisCommands, redisKey, redisStore } from './redisStore.js'
import { startRedis, type TestRedis } from './redisServer.testkit.js'
import { addToken, right, tokenKeys } from './entries.testkit.js'
import { startWorker, waitFor, type Worker } from './workers.testkit.js'

const WORKER = fileURLToPath(new URL('./redisStore.worker.ts', import.meta.url))

let root: string
beforeAll(async () => {
  root = await fsp.mkdtemp(nodePath.join(os.tmpdir(), 'authfold-redisfaults-'))
})
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true })
})

const connect = async (url: string) => {
  const c = createClient({ url })
  c.on('error', () => undefined)
  await c.connect()
  return c
}

const ackCount = (ws: ReadonlyArray<Worker>): number => ws.reduce((k, w) => k + w.acks.length, 0)

/** A worker's closing figures: store calls made, and the slowest single update (see the worker). */
const statsOf = (w: Worker): { readonly calls: number; readonly maxGapMs: number } => {
  const line = w.notes.find((l) => l.startsWith('stats '))
  return line === undefined ? { calls: 0, maxGapMs: Infinity } : (JSON.parse(line.slice(6)) as { readonly calls: number; readonly maxGapMs: number })
}

describe('redisStore when Redis fails', () => {
  it('a Redis that does not answer (stopped) gives CacheError io within commandTimeoutMs, not a hung call; it works again once Redis answers', async () => {
    const redis = await startRedis()
    const client = await connect(redis.url)
    try {
      const store = redisStore({ client: nodeRedisCommands(client), namespace: 'stalled', commandTimeoutMs: 300 }).forPartition('p')
      right(await store.update(addToken('before'))())
      process.kill(redis.pid, 'SIGSTOP')
      try {
        for (const call of [store.load(), store.update(addToken('during'))]) {
          const started = Date.now()
          const r = await call()
          const took = Date.now() - started
          expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
          if (E.isLeft(r)) expect(r.left.message).toContain('got no answer within 300 ms (commandTimeoutMs)')
          expect(took).toBeGreaterThanOrEqual(290)
          expect(took).toBeLessThan(1_500)
        }
      } finally {
        process.kill(redis.pid, 'SIGCONT')
      }
      right(await store.update(addToken('after'))())
      expect(tokenKeys(right(await store.load()()))).toEqual(['after', 'before'])
    } finally {
      await client.quit().catch(() => undefined)
      await redis.stop()
    }
  })

  it('8 processes x 100 concurrent updates of one partition while redis-server is killed (SIGKILL) and restarted: typed errors while it is down, no stuck call, no acknowledged write lost', async () => {
    const dataDir = await fsp.mkdtemp(nodePath.join(root, 'data-'))
    let redis: TestRedis = await startRedis({ dataDir })
    const namespace = 'restart'
    const commandTimeoutMs = 1_000
    const started = Date.now()
    const opts = JSON.stringify({ concurrent: true, retryForMs: 45_000, commandTimeoutMs })
    const workers = Array.from({ length: 8 }, (_, i) => startWorker(WORKER, [redis.url, namespace, String(i + 1), '100', opts]))
    try {
      expect(await waitFor(() => ackCount(workers) >= 200, 40_000)).toBe(true)
      const ackedAtKill = ackCount(workers)
      const killedAt = Date.now()
      await redis.kill()
      const deadAt = Date.now()
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      const restartAt = Date.now()
      redis = await startRedis({ port: redis.port, dataDir })
      const downMs = Date.now() - killedAt

      const exits = await Promise.all(workers.map((w) => w.exited))
      const client = await connect(redis.url)
      const raw = await client.get(redisKey(namespace, 'shared'))
      await client.quit()
      const state = deserialize(raw ?? '')
      if (E.isLeft(state)) throw new Error(`the stored value is not a valid cache: ${state.left.message}`)
      const final = new Set(tokenKeys(state.right))
      const lost = workers.flatMap((w) => w.acks.filter((k) => !final.has(k)))
      const failures = workers.flatMap((w) => w.failures)
      const codes = new Map<string, number>()
      for (const f of failures) {
        const code = f.split(' ')[2] ?? '?'
        codes.set(code, (codes.get(code) ?? 0) + 1)
      }
      // By the workers' clocks: what happened between Redis's death and its restart.
      const between = (ts: ReadonlyArray<number>, from: number, to: number): number => ts.filter((t) => t >= from && t < to).length
      // A reply Redis sent just before it died may be read (and stamped) a little later on a
      // busy machine: acks count as "while down" from 1 s after its death.
      const ackedWhileDown = workers.reduce((k, w) => k + between(w.ackTimes, deadAt + 1_000, restartAt), 0)
      const failedWhileDown = workers.reduce((k, w) => k + between(w.failureTimes, deadAt, restartAt), 0)
      // A process counts as working through the outage when it was writing before the kill (an
      // ack before it: its updates all start at once, so the ones left were in flight) and
      // acknowledged a write after Redis came back. One still starting up (8 Node processes on
      // a busy 2-core machine) sent nothing while Redis was down, and has nothing to see.
      const failedAfterKillBy = workers
        .filter((w) => between(w.ackTimes, 0, killedAt) > 0 && between(w.ackTimes, restartAt, Infinity) > 0)
        .map((w) => between(w.failureTimes, killedAt, Infinity))
      const stats = workers.map(statsOf)
      const slowestMs = Math.max(...stats.map((s) => s.maxGapMs))
      console.info(
        `redis/restart: ${ackCount(workers)} writes acknowledged, ${lost.length} lost, ${final.size} entries stored; redis-server killed after ${ackedAtKill} acks and down ${downMs} ms (${ackedWhileDown} acks, ${failedWhileDown} typed failures meanwhile); failures by code ${JSON.stringify(Object.fromEntries(codes))}; ${stats.reduce((k, s) => k + s.calls, 0)} store calls, slowest update ${slowestMs} ms; ${Date.now() - started} ms; per process [acks before the kill, failures after it, acks after the restart] ${JSON.stringify(workers.map((w) => [between(w.ackTimes, 0, killedAt), between(w.failureTimes, killedAt, Infinity), between(w.ackTimes, restartAt, Infinity)]))}`,
      )
      expect(lost).toEqual([])
      expect(exits.map((x) => x.code)).toEqual(workers.map(() => 0))
      expect(ackCount(workers)).toBe(800)
      expect(final.size).toBe(800)
      // While it was down: nothing acknowledged, typed store errors (bounded by
      // commandTimeoutMs), and every process still writing after the restart saw the outage as
      // errors (one that had finished all its writes before the kill has nothing to see).
      expect(ackedWhileDown).toBe(0)
      expect(failedWhileDown).toBeGreaterThan(0)
      expect(failedAfterKillBy.length).toBeGreaterThan(0)
      expect(failedAfterKillBy.filter((k) => k === 0)).toEqual([])
      expect(codes.get('io') ?? 0).toBeGreaterThan(0)
      expect([...codes.keys()].filter((c) => c !== 'io' && c !== 'conflict')).toEqual([])
      // No stuck call: each update returned within a bounded time (its compare-and-set rounds, or one timeout).
      expect(slowestMs).toBeLessThan(10_000)
    } finally {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL')
      await redis.stop()
    }
  }, 90_000)
})
