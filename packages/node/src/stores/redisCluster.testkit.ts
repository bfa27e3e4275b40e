/**
 * Starts a throwaway Redis Cluster of real `redis-server` processes on 127.0.0.1 for the
 * store tests: `masters` masters sharing the 16,384 slots evenly, each with
 * `replicasPerMaster` replicas, formed with `CLUSTER ADDSLOTSRANGE`, `CLUSTER MEET` and
 * `CLUSTER REPLICATE` (no `redis-cli` needed), in a temporary folder for the nodes' config
 * files. Startup is bounded by `withinMs`; on any failure every process started is killed
 * and the folder removed before the error is thrown. Test support, not part of the public API.
 *
 * @internal
 * @module
 */
import { promises as fsp } from 'node:fs'
import * as os from 'node:os'
import * as nodePath from 'node:path'
import { createClient } from 'redis'
import { freePort, startRedis, type TestRedis } from './redisServer.testkit.js'

/**
 * One node of a test cluster.
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export interface TestClusterNode extends TestRedis {
  /** The node's cluster id (`CLUSTER MYID`). */
  readonly id: string
  /** The port of the cluster bus (`cluster-port`). */
  readonly busPort: number
  /** The node's role when the cluster was formed. */
  readonly role: 'master' | 'replica'
  /** For a replica, the id of the master it was made to replicate. */
  readonly masterId?: string
}

/**
 * A running test cluster.
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export interface TestRedisCluster {
  readonly nodes: ReadonlyArray<TestClusterNode>
  /** `{ url }` of every node, as node-redis's `createCluster({ rootNodes })` takes them. */
  readonly rootNodes: ReadonlyArray<{ readonly url: string }>
  /** How long forming the cluster took, in ms. */
  readonly startedInMs: number
  /** Runs a command on the first node that answers (e.g. `CLUSTER KEYSLOT key`); its reply as text. */
  readonly anyNode: (args: ReadonlyArray<string>) => Promise<string>
  /** Asks `CLUSTER NODES` of a live node: the current master of every slot range, and each node's flags. */
  readonly clusterNodes: () => Promise<string>
  /**
   * Starts a node that was killed or stopped again, on its port with its config file (and
   * no data: it rejoins as the replica of whichever node now serves its old slots).
   */
  readonly restart: (id: string) => Promise<TestClusterNode>
  /** Kills every node still running (SIGKILL) and removes the folder. */
  readonly stop: () => Promise<void>
}

/**
 * Options of {@link startRedisCluster}.
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export interface TestRedisClusterOptions {
  /** Default 3. */
  readonly masters?: number
  /** Default 1. */
  readonly replicasPerMaster?: number
  /** `cluster-node-timeout`: how long a node may not answer before it is failed over. Default 1,000 ms. */
  readonly nodeTimeoutMs?: number
  /** Give up forming the cluster after this many ms. Default 30,000. */
  readonly withinMs?: number
}

const SLOTS = 16_384

const newAdmin = (url: string) => createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 2_000 } })
type Admin = ReturnType<typeof newAdmin>

const adminOf = async (url: string): Promise<Admin> => {
  const c = newAdmin(url)
  c.on('error', () => undefined)
  await c.connect()
  return c
}

const command = async (c: Admin, args: ReadonlyArray<string>): Promise<string> => String(await c.sendCommand([...args]))

/** Polls `test` every 50 ms until it holds or `deadline` (epoch ms) passes; then throws `what`. */
const until = async (deadline: number, what: string, test: () => Promise<boolean>): Promise<void> => {
  for (;;) {
    if (await test().catch(() => false)) return
    if (Date.now() > deadline) throw new Error(`the test Redis Cluster did not form in time: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Two distinct free ports (the client port and the cluster bus port) for each of `n` nodes. */
const portPairs = async (n: number): Promise<ReadonlyArray<readonly [number, number]>> => {
  const seen = new Set<number>()
  const pairs: Array<readonly [number, number]> = []
  for (let tries = 0; pairs.length < n && tries < 100; tries++) {
    const [a, b] = [await freePort(), await freePort()]
    if (a === b || seen.has(a) || seen.has(b)) continue
    seen.add(a)
    seen.add(b)
    pairs.push([a, b])
  }
  if (pairs.length < n) throw new Error('could not find free ports for the test Redis Cluster')
  return pairs
}

/**
 * Starts a cluster and resolves once every node sees `cluster_state:ok` and every replica's
 * link to its master is up (so `WAIT 1` can be satisfied).
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export const startRedisCluster = async (options: TestRedisClusterOptions = {}): Promise<TestRedisCluster> => {
  const masters = options.masters ?? 3
  const replicasPerMaster = options.replicasPerMaster ?? 1
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1_000
  const started = Date.now()
  const deadline = started + (options.withinMs ?? 30_000)
  const dir = await fsp.mkdtemp(nodePath.join(os.tmpdir(), 'authfold-rediscluster-'))
  const servers: TestRedis[] = []
  const admins: Admin[] = []
  const stopAll = async (): Promise<void> => {
    await Promise.all(admins.map((a) => (a.isOpen ? a.destroy() : undefined)))
    await Promise.all(servers.map((s) => s.kill()))
    await fsp.rm(dir, { recursive: true, force: true })
  }
  try {
    const count = masters * (1 + replicasPerMaster)
    const ports = await portPairs(count)
    const startNode = (i: number, readyWithinMs: number): Promise<TestRedis> => {
      const [port, busPort] = ports[i]!
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', nodePath.join(dir, `nodes-${i}.conf`), '--cluster-port', String(busPort)]
      return startRedis({
        port,
        readyWithinMs,
        args: [...args, '--cluster-node-timeout', String(nodeTimeoutMs), '--dir', dir, '--cluster-require-full-coverage', 'yes', '--repl-diskless-sync-delay', '0'],
      })
    }
    for (let i = 0; i < ports.length; i++) servers.push(await startNode(i, Math.max(1_000, deadline - Date.now())))
    for (const s of servers) admins.push(await adminOf(s.url))
    const ids = await Promise.all(admins.map((a) => command(a, ['CLUSTER', 'MYID'])))
    const per = Math.ceil(SLOTS / masters)
    for (let m = 0; m < masters; m++) {
      const first = m * per
      const last = Math.min(SLOTS, (m + 1) * per) - 1
      await command(admins[m]!, ['CLUSTER', 'ADDSLOTSRANGE', String(first), String(last)])
    }
    const [firstPort, firstBus] = ports[0]!
    for (const a of admins.slice(1)) await command(a, ['CLUSTER', 'MEET', '127.0.0.1', String(firstPort), String(firstBus)])
    await until(deadline, `every node knows the ${count} nodes`, async () => {
      const views = await Promise.all(admins.map((a) => command(a, ['CLUSTER', 'NODES'])))
      return views.every((v) => {
        const lines = v.trim().split('\n')
        return lines.length === count && lines.every((l) => !/handshake|noaddr/.test(l))
      })
    })
    const masterIdOf = (i: number): string | undefined => (i < masters ? undefined : ids[(i - masters) % masters])
    for (let i = masters; i < count; i++) await command(admins[i]!, ['CLUSTER', 'REPLICATE', masterIdOf(i)!])
    await until(deadline, 'cluster_state:ok on every node and every replica in sync', async () => {
      const infos = await Promise.all(admins.map((a) => command(a, ['CLUSTER', 'INFO'])))
      if (!infos.every((x) => x.includes('cluster_state:ok'))) return false
      const repl = await Promise.all(admins.map((a) => command(a, ['INFO', 'replication'])))
      return repl.every((r, i) => (i < masters ? r.includes(`connected_slaves:${replicasPerMaster}`) : r.includes('master_link_status:up')))
    })
    await Promise.all(admins.map((a) => a.destroy()))
    const nodes: ReadonlyArray<TestClusterNode> = servers.map((s, i) => {
      const masterId = masterIdOf(i)
      return { ...s, id: ids[i]!, busPort: ports[i]![1], role: i < masters ? 'master' : 'replica', ...(masterId === undefined ? {} : { masterId }) }
    })
    const anyNode = async (args: ReadonlyArray<string>): Promise<string> => {
      for (const s of servers) {
        const a = await adminOf(s.url).catch(() => undefined)
        if (a === undefined) continue
        try {
          return await command(a, args)
        } finally {
          a.destroy()
        }
      }
      throw new Error('no node of the test Redis Cluster answers')
    }
    const clusterNodes = (): Promise<string> => anyNode(['CLUSTER', 'NODES'])
    const restart = async (id: string): Promise<TestClusterNode> => {
      const i = nodes.findIndex((x) => x.id === id)
      const old = nodes[i]
      if (old === undefined) throw new Error(`no node ${id} in the test Redis Cluster`)
      await servers[i]!.kill()
      servers[i] = await startNode(i, 10_000)
      return { ...old, ...servers[i]! }
    }
    return { nodes, rootNodes: servers.map((s) => ({ url: s.url })), startedInMs: Date.now() - started, anyNode, clusterNodes, restart, stop: stopAll }
  } catch (e) {
    await stopAll()
    const ports = servers.map((x) => x.port).join(',')
    throw new Error(`${e instanceof Error ? e.message : String(e)} (the cluster in ${dir} is gone: nodes on ports ${ports} killed, folder removed)`)
  }
}
