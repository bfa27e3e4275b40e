/**
 * A child process for the Redis store's cross-process test: `node --import tsx
 * redisStore.worker.ts <redis url> <namespace> <worker id> <updates>` adds one distinct
 * access token per update to partition `shared`, each update its own compare-and-set,
 * then exits 0 (1 on a store error, printed to stderr).
 *
 * @internal
 * @module
 */
import { createClient } from 'redis'
import { nodeRedisCommands, redisStore } from './redisStore.js'
import { addToken } from './entries.testkit.js'

const [url, namespace, worker, count] = process.argv.slice(2)

const main = async (): Promise<number> => {
  if (url === undefined || namespace === undefined || worker === undefined || count === undefined) return 2
  const client = createClient({ url })
  await client.connect()
  try {
    const store = redisStore({ client: nodeRedisCommands(client), namespace }).forPartition('shared')
    for (let i = 0; i < Number(count); i++) {
      const key = `p${worker}-${i}`
      const r = await store.update(
        addToken(key, '', 'worker-app'),
      )()
      if (r._tag === 'Left') {
        process.stderr.write(`${r.left.message}\n`)
        return 1
      }
    }
    return 0
  } finally {
    await client.quit()
  }
}

void main().then((code) => {
  process.exitCode = code
})
