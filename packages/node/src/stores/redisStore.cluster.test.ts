import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { createClient, createCluster } from 'redis'
import { appPartitionKey, deserialize, serialize } from '@authfold/cache'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { COMPARE_AND_SET, nodeRedisCommands, redisKey, redisStore, type RedisStoreOptions } from './redisStore.js'
import { startRedisCluster, type TestClusterNode, type TestRedisCluster } from './redisCluster.testkit.js'
import { addToken, right, tokenKeys } from './entries.testkit.js'
import { hundredGrants } from './grants.testkit.js'

// One three-master cluster (a replica each) for the file; the failover test, which kills a
// master, runs last.
let cluster: TestRedisCluster
let idp: IdentityProvider
const newCluster = () => createCluster({ rootNodes: cluster.rootNodes.map((n) => ({ url: n.url })) })
type Cluster = ReturnType<typeof newCluster>
const opened: Cluster[] = []
const connect = async (): Promise<Cluster> => {
  const c = newCluster()
  c.on('error', () => undefined)
  await c.connect()
  opened.push(c)
  return c
}
let main: Cluster

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 2_000, withinMs: 30_000 })
  console.info(`redis cluster: 3 masters + 3 replicas formed in ${cluster.startedInMs} ms`)
  idp = await startIdentityProvider()
  main = await connect()
}, 40_000)
afterAll(async () => {
  await Promise.all(opened.map((c) => c.destroy()))
  await idp?.stop()
  await cluster?.stop()
})

let n = 0
const freshNamespace = (): string => `cl${++n}`
const store = (namespace: string, over: Partial<RedisStoreOptions> = {}) => redisStore({ client: nodeRedisCommands(main), namespace, ...over })

/** A direct (non-cluster) connection to one node, for what a cluster client hides. */
const nodeClient = async (node: TestClusterNode) => {
  const c = createClient({ url: node.url, socket: { reconnectStrategy: false } })
  c.on('error', () => undefined)
  await c.connect()
  return c
}

/** The node that is master of `key`'s slot now, by `CLUSTER NODES`. */
const masterOf = async (key: string): Promise<TestClusterNode> => {
  const slot = Number(await cluster.anyNode(['CLUSTER', 'KEYSLOT', key]))
  const lines = (await cluster.clusterNodes()).trim().split('\n')
  const line = lines.find((l) => {
    const f = l.split(' ')
    return f[2]?.includes('master') === true && f.slice(8).some((r) => {
      const [a, b] = r.split('-').map(Number)
      return a !== undefined && slot >= a && slot <= (b ?? a)
    })
  })
  const node = cluster.nodes.find((x) => x.id === line?.split(' ')[0])
  if (node === undefined) throw new Error(`no master serves slot ${slot}`)
  return node
}

describe('redisStore on a Redis Cluster (3 masters, 3 replicas, real redis-server processes)', () => {
  it('keeps each partition as one key, the same key as on one Redis, and spreads partitions over the three masters', async () => {
    const ns = freshNamespace()
    const s = store(ns)
    const names = Array.from({ length: 30 }, (_, i) => `uid-${i}.utid`)
    const written = await Promise.all(names.map((p) => s.forPartition(p).update(addToken(`t-${p}`, p))()))
    for (const [i, p] of names.entries()) expect(await main.get(redisKey(ns, p))).toBe(serialize(right(written[i]!)))
    expect(redisKey(ns, 'uid-0.utid')).toBe(`authfold:${ns}:uid-0.utid`)
    // Every master holds some of them (a partition is one key: one slot, any master).
    const holders = new Set<string>()
    for (const p of names) holders.add((await masterOf(redisKey(ns, p))).id)
    expect(holders.size).toBe(3)
    for (const p of names) expect(tokenKeys(right(await store(ns).forPartition(p).load()()))).toEqual([`t-${p}`])
  })

  it('the compare-and-set script touches only the key it is given, so the cluster runs it on that key master; a script building a key inside is refused', async () => {
    // Every redis.call of the script names KEYS[1]; no key is built from ARGV or text.
    const calls = [...COMPARE_AND_SET.matchAll(/redis\.call\('(\w+)', ([^,)]+)/g)].map((m) => m[2])
    expect(calls.length).toBeGreaterThan(0)
    expect(new Set(calls)).toEqual(new Set(['KEYS[1]']))
    const cmd = nodeRedisCommands(main)
    const ns = freshNamespace()
    const keys = Array.from({ length: 12 }, (_, i) => redisKey(ns, `p${i}`))
    for (const key of keys) {
      expect(await cmd.eval(COMPARE_AND_SET, [key], ['', 'v1', ''])).toBe(1)
      expect(await cmd.eval(COMPARE_AND_SET, [key], ['', 'v2', ''])).toBe(0)
      expect(await main.get(key)).toBe('v1')
    }
    // What the cluster would do to a script that built its key: an error, not a write elsewhere.
    const a = keys[0]!
    const aMaster = (await masterOf(a)).id
    let elsewhere: string | undefined
    for (const k of keys) if (elsewhere === undefined && (await masterOf(k)).id !== aMaster) elsewhere = k
    expect(elsewhere).toBeDefined()
    const building = `return redis.call('GET', ARGV[1])`
    await expect(cmd.eval(building, [a], [elsewhere ?? ''])).rejects.toThrow(/non local key|different slot|not hash to the same slot|CROSSSLOT/i)
  })

  it('loses nothing when 100 updates of one partition run at once through 10 cluster clients', async () => {
    const ns = freshNamespace()
    const clients = await Promise.all(Array.from({ length: 10 }, () => connect()))
    const stores = clients.map((c) => redisStore({ client: nodeRedisCommands(c), namespace: ns }).forPartition('app'))
    const started = Date.now()
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => stores[i % 10]!.update(addToken(`t${i}`))()))
    console.info(`redis cluster: 100 concurrent updates of one partition through 10 cluster clients in ${Date.now() - started} ms`)
    expect(results.filter(E.isLeft)).toEqual([])
    expect(tokenKeys(right(await store(ns).forPartition('app').load()()))).toEqual(Array.from({ length: 100 }, (_, i) => `t${i}`).sort())
  })

  it('100 concurrent acquireTokenForClient calls on one client lose no entry (the app partition, replicas: 1)', async () => {
    const clientId = 'cluster-app'
    const secret = 'cluster-secret-1'
    idp.registerClient({ clientId, secret })
    const s = redisStore({ client: nodeRedisCommands(main), namespace: 'concurrency', replicas: 1 })
    const started = Date.now()
    await hundredGrants(idp, clientId, secret, s.forPartition(appPartitionKey(clientId)))
    console.info(`redis cluster: 100 concurrent grants (and 100 cache hits) with replicas: 1 in ${Date.now() - started} ms`)
    const key = `authfold:concurrency:${clientId}`
    expect(await main.exists(key)).toBe(1)
    // The replica of the key's master has the value too (WAIT 1 before each acknowledgement).
    const master = await masterOf(key)
    const replica = cluster.nodes.find((x) => x.masterId === master.id)!
    const r = await nodeClient(replica)
    try {
      await r.sendCommand(['READONLY'])
      expect(await r.get(key)).toBe(await main.get(key))
    } finally {
      r.destroy()
    }
  }, 60_000)

  it('with replicas: 1, a write whose replica does not answer is CacheError io within replicaTimeoutMs, never an acknowledgement', async () => {
    const ns = freshNamespace()
    const key = redisKey(ns, 'p')
    const s = store(ns, { replicas: 1, replicaTimeoutMs: 300 }).forPartition('p')
    right(await s.update(addToken('before'))())
    const master = await masterOf(key)
    const replica = cluster.nodes.find((x) => x.masterId === master.id)!
    process.kill(replica.pid, 'SIGSTOP')
    try {
      const started = Date.now()
      const r = await s.update(addToken('during'))()
      const took = Date.now() - started
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
      if (E.isLeft(r)) expect(r.left.message).toContain(`only 0 of 1 replicas confirmed it within 300 ms`)
      expect(took).toBeGreaterThanOrEqual(290)
      expect(took).toBeLessThan(2_000)
      // Without replicas the same write is acknowledged at once: only the master has it.
      right(await store(ns).forPartition('p').update(addToken('unreplicated'))())
    } finally {
      process.kill(replica.pid, 'SIGCONT')
    }
    right(await s.update(addToken('after'))())
    expect(tokenKeys(right(await s.load()()))).toEqual(['after', 'before', 'during', 'unreplicated'])
  })

  it('a graceful failover (CLUSTER FAILOVER on the replica): a client still sending to the old master is redirected (MOVED), and its update with replicas: 1 is acknowledged by the new master with its replica', async () => {
    // A partition on an original pair, not the one the next test fails over.
    const avoid = (await masterOf(redisKey('failover', 'shared'))).id
    let partition = ''
    let master: TestClusterNode | undefined
    for (let i = 0; master === undefined; i++) {
      const m = await masterOf(redisKey('graceful', `p${i}`))
      if (m.role === 'master' && m.id !== avoid) [partition, master] = [`p${i}`, m]
    }
    const replica = cluster.nodes.find((x) => x.masterId === master.id)!
    const stale = await connect()
    const s = redisStore({ client: nodeRedisCommands(stale), namespace: 'graceful', replicas: 1, replicaTimeoutMs: 1_000 }).forPartition(partition)
    right(await s.update(addToken('before'))())
    const r = await nodeClient(replica)
    try {
      expect(await r.sendCommand(['CLUSTER', 'FAILOVER'])).toBe('OK')
    } finally {
      r.destroy()
    }
    const end = Date.now() + 15_000
    while (Date.now() < end && (await masterOf(redisKey('graceful', partition))).id !== replica.id) await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await masterOf(redisKey('graceful', partition))).id).toBe(replica.id)
    // The stale client still sends the key's writes to the old master, now a replica, which
    // answers MOVED: evalAndWait follows it, and WAITs on the new master (whose replica is
    // the old master). The value written is the one stored (read through another client, so
    // the stale one's slot map stays stale until the write).
    const key = redisKey('graceful', partition)
    const raw = (await main.get(key)) ?? ''
    const { createHash } = await import('node:crypto')
    const sha = createHash('sha1').update(raw).digest('hex')
    expect(await nodeRedisCommands(stale).evalAndWait?.(COMPARE_AND_SET, [key], [sha, raw, ''], 1, 1_000)).toEqual([1, 1])
    // And the store through that client goes on.
    const started = Date.now()
    right(await s.update(addToken('after'))())
    console.info(`redis cluster/graceful: after CLUSTER FAILOVER, an update acknowledged in ${Date.now() - started} ms`)
    expect(tokenKeys(right(await s.load()()))).toEqual(['after', 'before'])
  })

  it('a master killed (SIGKILL) while 4 clients x 50 concurrent updates write one partition with replicas: 1: its replica is promoted, typed errors meanwhile, no acknowledged write lost', async () => {
    const ns = 'failover'
    const key = redisKey(ns, 'shared')
    const master = await masterOf(key)
    const replica = cluster.nodes.find((x) => x.masterId === master.id)!
    const clients = await Promise.all(Array.from({ length: 4 }, () => connect()))
    const options = { namespace: ns, replicas: 1, replicaTimeoutMs: 500, commandTimeoutMs: 1_000 }
    const acks: string[] = []
    const ackTimes: number[] = []
    const failures = new Map<string, number>()
    // A store queues its process's updates of a partition, so a call's duration includes its
    // wait in the queue: the slowest single update is the longest gap between two returns.
    const lastReturn = clients.map(() => Date.now())
    let slowestMs = 0
    const started = Date.now()
    const one = async (s: ReturnType<ReturnType<typeof redisStore>['forPartition']>, w: number, name: string): Promise<boolean> => {
      const until = Date.now() + 30_000
      for (;;) {
        const r = await s.update(addToken(name, '', 'failover-app'))()
        slowestMs = Math.max(slowestMs, Date.now() - lastReturn[w]!)
        lastReturn[w] = Date.now()
        if (E.isRight(r)) {
          acks.push(name)
          ackTimes.push(Date.now())
          return true
        }
        failures.set(r.left.code, (failures.get(r.left.code) ?? 0) + 1)
        if (Date.now() > until) return false
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    const writers = clients.flatMap((c, w) => {
      const s = redisStore({ client: nodeRedisCommands(c), ...options }).forPartition('shared')
      return Array.from({ length: 50 }, (_, i) => one(s, w, `w${w}-${i}`))
    })
    const ackedBefore = await (async () => {
      const end = Date.now() + 20_000
      while (acks.length < 40 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 2))
      return acks.length
    })()
    await master.kill()
    const killedAt = Date.now()
    let promotedAt = Infinity
    const end = killedAt + 20_000
    while (Date.now() < end) {
      const view = await cluster.clusterNodes().catch(() => '')
      if (view.split('\n').some((l) => l.startsWith(`${replica.id} `) && l.split(' ')[2]?.includes('master') === true)) {
        promotedAt = Date.now()
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    // The operator brings the dead node back: it rejoins as the new master's replica, so
    // WAIT 1 can be satisfied again (until then every write is refused, not acknowledged).
    const back = await cluster.restart(master.id)
    let rejoinedAt = Infinity
    while (Date.now() < end) {
      const view = await cluster.clusterNodes().catch(() => '')
      if (view.split('\n').some((l) => l.startsWith(`${back.id} `) && l.split(' ')[3] === replica.id && l.includes(' connected'))) {
        rejoinedAt = Date.now()
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const done = await Promise.all(writers)
    const fresh = await connect()
    const raw = await fresh.get(key)
    const state = deserialize(raw ?? '')
    if (E.isLeft(state)) throw new Error(`the stored value is not a valid cache: ${state.left.message}`)
    const final = new Set(tokenKeys(state.right))
    const lost = acks.filter((k) => !final.has(k))
    // A reply the master sent just before it died may be read (and stamped) a little later
    // on a busy machine: acks count as "meanwhile" from 1 s after the kill.
    const ackedMeanwhile = ackTimes.filter((t) => t > killedAt + 1_000 && t < promotedAt).length
    console.info(
      `redis cluster/failover: master of ${key} killed after ${ackedBefore} acks; replica promoted ${promotedAt - killedAt} ms later, the old master back as its replica ${rejoinedAt - killedAt} ms after the kill; ${acks.length} writes acknowledged, ${lost.length} lost, ${final.size} entries stored, ${ackedMeanwhile} acks between kill and promotion; failures by code ${JSON.stringify(Object.fromEntries(failures))}; slowest update ${slowestMs} ms; ${Date.now() - started} ms in all`,
    )
    expect(promotedAt).toBeLessThan(Infinity)
    expect(done.every((ok) => ok)).toBe(true)
    expect(lost).toEqual([])
    expect(acks.length).toBe(200)
    expect(final.size).toBe(200)
    expect(ackedMeanwhile).toBe(0)
    expect((failures.get('io') ?? 0) > 0).toBe(true)
    expect([...failures.keys()].filter((c) => c !== 'io' && c !== 'conflict')).toEqual([])
    // No stuck call: each update returned within a bounded time (its rounds, or a timeout).
    expect(slowestMs).toBeLessThan(10_000)
  }, 60_000)

  it('why replicas: 1 matters: a write its replica never got is lost when that replica takes over; with replicas: 1 that write was refused, and every acknowledged one survives', async () => {
    // A partition on a master that still has its original replica (not the pair failed over above).
    let key = ''
    let master: TestClusterNode | undefined
    for (let i = 0; master === undefined; i++) {
      const k = redisKey('takeover', `p${i}`)
      const m = await masterOf(k)
      if (m.role === 'master') [key, master] = [k, m]
    }
    const replica = cluster.nodes.find((x) => x.masterId === master.id)!
    const partition = key.slice('authfold:takeover:'.length)
    const safe = redisStore({ client: nodeRedisCommands(main), namespace: 'takeover', replicas: 1, replicaTimeoutMs: 300 }).forPartition(partition)
    const unsafe = redisStore({ client: nodeRedisCommands(main), namespace: 'takeover' }).forPartition(partition)
    right(await safe.update(addToken('replicated'))())
    // Cut the replication link and keep the replica from mending it: frozen (SIGSTOP), with
    // its connection to the master closed by the master (CLIENT KILL), so nothing written
    // from now on reaches it (a frozen replica alone would still find later writes in its
    // socket buffer when it wakes).
    process.kill(replica.pid, 'SIGSTOP')
    let refused: E.Either<unknown, unknown>
    try {
      const m = await nodeClient(master)
      try {
        expect(Number(await m.sendCommand(['CLIENT', 'KILL', 'TYPE', 'replica']))).toBe(1)
      } finally {
        m.destroy()
      }
      right(await unsafe.update(addToken('acknowledged-by-the-master-only'))())
      refused = await safe.update(addToken('refused'))()
      await master.kill()
    } finally {
      process.kill(replica.pid, 'SIGCONT')
    }
    expect(refused).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'io' } })
    // The replica takes the dead master's slots at once (an operator's CLUSTER FAILOVER TAKEOVER).
    const r = await nodeClient(replica)
    try {
      expect(await r.sendCommand(['CLUSTER', 'FAILOVER', 'TAKEOVER'])).toBe('OK')
    } finally {
      r.destroy()
    }
    const fresh = await connect()
    let stored: ReadonlyArray<string> = []
    const end = Date.now() + 15_000
    while (Date.now() < end) {
      const got = await redisStore({ client: nodeRedisCommands(fresh), namespace: 'takeover', commandTimeoutMs: 500 }).forPartition(partition).load()()
      if (E.isRight(got)) {
        stored = tokenKeys(got.right)
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    console.info(`redis cluster/takeover: after the replica took over, ${key} holds ${JSON.stringify(stored)}`)
    expect((await masterOf(key)).id).toBe(replica.id)
    // The write acknowledged with replicas: 1 survived; the one the master alone acknowledged is gone.
    expect(stored).toEqual(['replicated'])
  }, 30_000)

  it('startup is bounded and cleans up: a cluster that cannot form in time is killed and its folder removed', async () => {
    const e: unknown = await startRedisCluster({ masters: 3, replicasPerMaster: 1, withinMs: 1 }).then(
      (c) => c.stop().then(() => new Error('formed within 1 ms')),
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(Error)
    const message = e instanceof Error ? e.message : ''
    expect(message).toContain('did not form in time')
    const dir = /in (\S+authfold-rediscluster-\S+) /.exec(message)?.[1] ?? ''
    const ports = (/ports ([\d,]+)/.exec(message)?.[1] ?? '').split(',').map(Number)
    expect(ports).toHaveLength(6)
    const { existsSync } = await import('node:fs')
    expect(dir).not.toBe('')
    expect(existsSync(dir)).toBe(false)
    const net = await import('node:net')
    const refused = await Promise.all(
      ports.map(
        (port) =>
          new Promise<boolean>((resolve) => {
            const sock = net.connect({ host: '127.0.0.1', port })
            sock.on('connect', () => {
              sock.destroy()
              resolve(false)
            })
            sock.on('error', () => resolve(true))
          }),
      ),
    )
    expect(refused).toEqual(ports.map(() => true))
  }, 30_000)
})
