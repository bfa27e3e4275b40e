import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import { createClient } from 'redis'
import { serialize } from '@authfold/cache'
import type { LogLevel } from '@authfold/core'
import { aesGcm, partitionKeysOf } from '@authfold/cache'
import { COMPARE_AND_SET, nodeRedisCommands, redisKey, redisStore, type RedisStoreOptions } from './redisStore.js'
import { startRedis, type TestRedis } from './redisServer.testkit.js'
import { addToken, right, tokenKeys } from './entries.testkit.js'

const WORKER = fileURLToPath(new URL('./redisStore.worker.ts', import.meta.url))

let redis: TestRedis
const newClient = () => createClient({ url: redis.url })
type Client = ReturnType<typeof newClient>
const clients: Client[] = []
const connect = async (): Promise<Client> => {
  const c = newClient()
  c.on('error', () => undefined)
  await c.connect()
  clients.push(c)
  return c
}
let main: Client

beforeAll(async () => {
  redis = await startRedis()
  main = await connect()
})
afterAll(async () => {
  await Promise.all(clients.map((c) => (c.isOpen ? c.quit() : undefined)))
  await redis.stop()
})

let n = 0
const freshNamespace = (): string => `ns${++n}`

const lines: string[] = []
const logger = (level: LogLevel, message: string): void => {
  lines.push(`${level} ${message}`)
}
const store = (namespace: string, over: Partial<RedisStoreOptions> = {}) => redisStore({ client: nodeRedisCommands(main), namespace, logger, ...over })

describe('redisStore against a real redis-server', () => {
  it('keeps each partition as MSAL JSON under authfold:<namespace>:<partition>', async () => {
    const ns = freshNamespace()
    const s = store(ns)
    const alice = s.forPartition('uid-a.utid')
    expect(tokenKeys(right(await alice.load()()))).toEqual([])
    const written = right(await alice.update(addToken('a1', 'uid-a.utid'))())
    expect(await main.get(redisKey(ns, 'uid-a.utid'))).toBe(serialize(written))
    expect(redisKey(ns, 'uid-a.utid')).toBe(`authfold:${ns}:uid-a.utid`)
    expect(partitionKeysOf(written)).toEqual(['uid-a.utid'])
    // another partition and another namespace see nothing of it
    expect(tokenKeys(right(await s.forPartition('uid-b.utid').load()()))).toEqual([])
    expect(tokenKeys(right(await store(freshNamespace()).forPartition('uid-a.utid').load()()))).toEqual([])
    expect(tokenKeys(right(await store(ns).forPartition('uid-a.utid').load()()))).toEqual(['a1'])
  })

  it('loses nothing when 100 updates of one partition run at once through 10 separate connections', async () => {
    const ns = freshNamespace()
    const connections = await Promise.all(Array.from({ length: 10 }, () => connect()))
    const stores = connections.map((c) => redisStore({ client: nodeRedisCommands(c), namespace: ns }).forPartition('app'))
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => stores[i % 10]!.update(addToken(`t${i}`))()))
    expect(results.filter(E.isLeft)).toEqual([])
    const keys = tokenKeys(right(await store(ns).forPartition('app').load()()))
    expect(keys).toEqual(Array.from({ length: 100 }, (_, i) => `t${i}`).sort())
  })

  it('loses nothing when 3 processes make 20 updates each to one partition at once', async () => {
    const ns = freshNamespace()
    const run = (id: number) =>
      new Promise<{ readonly code: number | null; readonly stderr: string }>((resolve, reject) => {
        const child = fork(WORKER, [redis.url, ns, String(id), '20'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
        let stderr = ''
        child.stderr?.on('data', (d: Buffer) => {
          stderr += d.toString()
        })
        child.on('error', reject)
        child.on('exit', (code) => resolve({ code, stderr }))
      })
    const exits = await Promise.all([1, 2, 3].map(run))
    expect(exits).toEqual([1, 2, 3].map(() => ({ code: 0, stderr: '' })))
    const keys = tokenKeys(right(await store(ns).forPartition('shared').load()()))
    expect(keys).toEqual([1, 2, 3].flatMap((w) => Array.from({ length: 20 }, (_, i) => `p${w}-${i}`)).sort())
  }, 120_000)

  it('the compare-and-set script writes only over the value it read', async () => {
    const key = redisKey(freshNamespace(), 'p')
    const cmd = nodeRedisCommands(main)
    expect(await cmd.eval(COMPARE_AND_SET, [key], ['', 'v1', ''])).toBe(1)
    expect(await cmd.eval(COMPARE_AND_SET, [key], ['', 'v2', ''])).toBe(0)
    const { createHash } = await import('node:crypto')
    const sha = (s: string) => createHash('sha1').update(s).digest('hex')
    expect(await cmd.eval(COMPARE_AND_SET, [key], [sha('other'), 'v2', ''])).toBe(0)
    expect(await cmd.eval(COMPARE_AND_SET, [key], [sha('v1'), 'v2', '60000'])).toBe(1)
    expect(await main.get(key)).toBe('v2')
    expect(await main.pTTL(key)).toBeGreaterThan(0)
  })

  it('sets a TTL on every write when ttlMs is given', async () => {
    const ns = freshNamespace()
    right(await store(ns, { ttlMs: 3_600_000 }).forPartition('p').update(addToken('x'))())
    const pttl = await main.pTTL(redisKey(ns, 'p'))
    expect(pttl).toBeGreaterThan(0)
    expect(pttl).toBeLessThanOrEqual(3_600_000)
    right(await store(ns).forPartition('q').update(addToken('x'))())
    expect(await main.pTTL(redisKey(ns, 'q'))).toBe(-1)
  })

  describe('a value that is not a cache', () => {
    it('is a DecodeError naming the key, and update does not overwrite it', async () => {
      const ns = freshNamespace()
      const key = redisKey(ns, 'p')
      await main.set(key, 'this is not JSON {')
      const r = await store(ns).forPartition('p').load()()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', code: 'invalid_json' } })
      if (E.isLeft(r)) {
        expect(r.left.message).toContain(`Redis key ${key}`)
        expect(r.left.message).toContain(`DEL ${key}`)
      }
      expect(await store(ns).forPartition('p').update(addToken('x'))()).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError' } })
      expect(await main.get(key)).toBe('this is not JSON {')
      await main.set(key, JSON.stringify({ Account: [] }))
      expect(await store(ns).forPartition('p').load()()).toMatchObject({ _tag: 'Left', left: { code: 'invalid_shape', path: 'Account' } })
    })

    it("onCorrupt: 'reset' reads it as empty and the next update replaces it", async () => {
      const ns = freshNamespace()
      await main.set(redisKey(ns, 'p'), '\u0000garbage')
      const s = store(ns, { onCorrupt: 'reset' }).forPartition('p')
      lines.length = 0
      expect(tokenKeys(right(await s.load()()))).toEqual([])
      expect(tokenKeys(right(await s.update(addToken('x'))()))).toEqual(['x'])
      expect(lines.join('\n')).toContain('replaced the broken value')
      expect(tokenKeys(right(await store(ns).forPartition('p').load()()))).toEqual(['x'])
    })
  })

  describe('failures are values', () => {
    it('a closed connection is CacheError io, not a crash', async () => {
      const c = await connect()
      await c.quit()
      const s = redisStore({ client: nodeRedisCommands(c), namespace: freshNamespace() }).forPartition('p')
      const r = await s.load()()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
      if (E.isLeft(r)) expect(r.left.message).toContain('Check that the client is connected')
      expect(await s.update(addToken('x'))()).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
    })

    it('a key that always changes under us ends in CacheError conflict after maxAttempts', async () => {
      const inner = nodeRedisCommands(main)
      let evals = 0
      const slept: number[] = []
      const s = redisStore({
        client: { get: inner.get, eval: async () => ++evals && 0 },
        namespace: freshNamespace(),
        maxAttempts: 7,
        sleep: (ms) => async () => {
          slept.push(ms)
        },
      }).forPartition('p')
      const r = await s.update(addToken('x'))()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'conflict' } })
      if (E.isLeft(r)) expect(r.left.message).toContain('after 7 attempts')
      expect(evals).toBe(7)
      expect(slept).toHaveLength(6)
      for (const ms of slept) expect(ms).toBeLessThanOrEqual(100)
    })

    it('every command runs under commandTimeoutMs: one that never answers is CacheError io, one that answers cancels its timer', async () => {
      const started: number[] = []
      let cancelled = 0
      const fire: Array<() => void> = []
      const timeout = (ms: number, onTimeout: () => void) => {
        started.push(ms)
        fire.push(onTimeout)
        return () => {
          cancelled++
        }
      }
      const inner = nodeRedisCommands(main)
      const ns = freshNamespace()
      right(await redisStore({ client: inner, namespace: ns, commandTimeoutMs: 1234, timeout }).forPartition('p').update(addToken('x'))())
      expect(started).toEqual([1234, 1234])
      expect(cancelled).toBe(2)
      const silent = redisStore({ client: { get: () => new Promise(() => undefined), eval: inner.eval }, namespace: ns, commandTimeoutMs: 1234, timeout }).forPartition('p')
      const pending = silent.load()()
      await new Promise((resolve) => setImmediate(resolve))
      fire[fire.length - 1]?.()
      const r = await pending
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
      if (E.isLeft(r)) expect(r.left.message).toContain(`Redis GET of ${redisKey(ns, 'p')} got no answer within 1234 ms (commandTimeoutMs)`)
    })

    it('an update function that throws is CacheError io and the partition keeps working', async () => {
      const s = store(freshNamespace()).forPartition('p')
      const r = await s.update(() => {
        throw new Error('boom')
      })()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
      expect(tokenKeys(right(await s.update(addToken('x'))()))).toEqual(['x'])
    })
  })

  describe('replicas (WAIT before acknowledging)', () => {
    it('on a Redis with no replica, replicas: 1 refuses the write as CacheError io after replicaTimeoutMs (the value is written, not acknowledged)', async () => {
      const ns = freshNamespace()
      const started = Date.now()
      const r = await store(ns, { replicas: 1, replicaTimeoutMs: 200 }).forPartition('p').update(addToken('x'))()
      expect(Date.now() - started).toBeGreaterThanOrEqual(190)
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
      if (E.isLeft(r)) expect(r.left.message).toBe(`Redis wrote ${redisKey(ns, 'p')} but only 0 of 1 replicas confirmed it within 200 ms (replicas, replicaTimeoutMs), so a failover could lose it. Retry the operation (it applies again over what is stored); check the replicas' links (INFO replication).`)
      expect(tokenKeys(right(await store(ns).forPartition('p').load()()))).toEqual(['x'])
      // replicas: 0 (the default) sends no WAIT
      right(await store(ns, { replicas: 0 }).forPartition('p').update(addToken('y'))())
    })

    it('a client without evalAndWait cannot honour replicas: CacheError io saying so', async () => {
      const inner = nodeRedisCommands(main)
      const r = await redisStore({ client: { get: inner.get, eval: inner.eval }, namespace: freshNamespace(), replicas: 1 }).forPartition('p').update(addToken('x'))()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
      if (E.isLeft(r)) expect(r.left.message).toContain('replicas: 1 but its client has no evalAndWait function')
    })
  })

  describe('with at-rest encryption', () => {
    const key = new Uint8Array(32).fill(3)
    it('stores an envelope bound to its key: a value copied to another partition does not open', async () => {
      const ns = freshNamespace()
      const s = store(ns, { transform: aesGcm(key) })
      right(await s.forPartition('victim').update(addToken('v'))())
      right(await s.forPartition('attacker').update(addToken('a'))())
      const stored = await main.get(redisKey(ns, 'attacker'))
      expect(stored?.startsWith('authfold.aesgcm.1.')).toBe(true)
      await main.set(redisKey(ns, 'victim'), stored ?? '')
      expect(await s.forPartition('victim').load()()).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'tampered' } })
      expect(tokenKeys(right(await s.forPartition('attacker').load()()))).toEqual(['a'])
    })
  })
})
