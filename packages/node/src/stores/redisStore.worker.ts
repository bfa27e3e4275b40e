/**
 * A child process for the Redis store's cross-process tests:
 * `node --import tsx redisStore.worker.ts <redis url> <namespace> <worker id> <updates> [<options JSON>]`
 * adds one distinct access token per update (key `p<worker id>-<i>`) to partition
 * `shared`, each update its own compare-and-set, and prints `ack <key> @<epoch ms>` on
 * stdout as soon as an update is acknowledged.
 *
 * Options (JSON): `commandTimeoutMs` (passed to the store); `concurrent: true` starts every
 * update at once (as concurrent grants of one process do) instead of one after the other;
 * `retryForMs` retries a failed update every `retryPauseMs` (default 50) for that long, as
 * an application would while Redis restarts. Each failure is printed to stderr as
 * `fail <key> <code> @<epoch ms>: <message>`. At the end, prints `stats {"calls":n,"maxGapMs":n}`:
 * the store calls made, and the longest time between two calls returning (the store
 * queues a process's updates of a partition, so this is the slowest single update, its
 * compare-and-set rounds or timeout included, whereas a call's own duration includes its
 * wait in the queue); exits 0 when every update was acknowledged, 1 otherwise.
 *
 * @internal
 * @module
 */
import { createClient } from 'redis'
import { nodeRedisCommands, redisStore } from './redisStore.js'
import { addToken } from './entries.testkit.js'

const [url, namespace, worker, count, json] = process.argv.slice(2)

interface WorkerOptions {
  readonly commandTimeoutMs?: number
  readonly concurrent?: boolean
  readonly retryForMs?: number
  readonly retryPauseMs?: number
}

const main = async (): Promise<number> => {
  if (url === undefined || namespace === undefined || worker === undefined || count === undefined) return 2
  const o = (json === undefined ? {} : JSON.parse(json)) as WorkerOptions
  const client = createClient({ url })
  // A Redis that goes away is reported by the store's calls; the client's event is noise.
  client.on('error', () => undefined)
  await client.connect()
  let calls = 0
  let maxGapMs = 0
  let lastReturn = Date.now()
  try {
    const store = redisStore({
      client: nodeRedisCommands(client),
      namespace,
      ...(o.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: o.commandTimeoutMs }),
    }).forPartition('shared')
    const one = async (i: number): Promise<boolean> => {
      const key = `p${worker}-${i}`
      const until = Date.now() + (o.retryForMs ?? 0)
      for (;;) {
        const r = await store.update(addToken(key, '', 'worker-app'))()
        calls++
        maxGapMs = Math.max(maxGapMs, Date.now() - lastReturn)
        lastReturn = Date.now()
        if (r._tag === 'Right') {
          process.stdout.write(`ack ${key} @${Date.now()}\n`)
          return true
        }
        process.stderr.write(`fail ${key} ${r.left.code} @${Date.now()}: ${r.left.message}\n`)
        if (Date.now() >= until) return false
        await new Promise((resolve) => setTimeout(resolve, o.retryPauseMs ?? 50))
      }
    }
    const indexes = Array.from({ length: Number(count) }, (_, i) => i)
    const results: boolean[] = []
    if (o.concurrent === true) results.push(...(await Promise.all(indexes.map(one))))
    else {
      for (const i of indexes) {
        const ok = await one(i)
        results.push(ok)
        if (!ok) break
      }
    }
    return results.every((ok) => ok) ? 0 : 1
  } finally {
    process.stdout.write(`stats ${JSON.stringify({ calls, maxGapMs })}\n`)
    await client.quit().catch(() => undefined)
  }
}

void main().then((code) => {
  process.exitCode = code
})
