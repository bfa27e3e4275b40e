import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { promises as fsp } from 'node:fs'
import * as os from 'node:os'
import * as nodePath from 'node:path'
import { createClient } from 'redis'
import { aesGcm, appPartitionKey, memoryStore, type CacheStore } from '@authfold/cache'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { fileStore } from './fileStore.js'
import { nodeRedisCommands, redisStore } from './redisStore.js'
import { startRedis, type TestRedis } from './redisServer.testkit.js'
import { hundredGrants as runHundredGrants } from './grants.testkit.js'

const CLIENT_ID = 'concurrent-app'
const SECRET = 'concurrency-secret-1'

let idp: IdentityProvider
let redis: TestRedis
let redisClient: ReturnType<typeof createClient>
let dir: string

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: CLIENT_ID, secret: SECRET })
  redis = await startRedis()
  redisClient = createClient({ url: redis.url })
  redisClient.on('error', () => undefined)
  await redisClient.connect()
  dir = await fsp.mkdtemp(nodePath.join(os.tmpdir(), 'authfold-concurrency-'))
})
afterAll(async () => {
  await redisClient.quit()
  await redis.stop()
  await idp.stop()
  await fsp.rm(dir, { recursive: true, force: true })
})

const hundredGrants = (cacheStore: CacheStore): Promise<void> => runHundredGrants(idp, CLIENT_ID, SECRET, cacheStore)

describe('100 concurrent acquireTokenForClient calls on one client lose no entry', () => {
  it('with the memory store', async () => {
    await hundredGrants(memoryStore())
  })

  it('with the file store', async () => {
    await hundredGrants(fileStore({ path: nodePath.join(dir, 'cache.json') }))
  }, 60_000)

  it('with the file store, encrypted', async () => {
    await hundredGrants(fileStore({ path: nodePath.join(dir, 'sealed.json'), transform: aesGcm(new Uint8Array(32).fill(9)) }))
  }, 60_000)

  it('with the redis store (the app partition)', async () => {
    const store = redisStore({ client: nodeRedisCommands(redisClient), namespace: 'concurrency' })
    await hundredGrants(store.forPartition(appPartitionKey(CLIENT_ID)))
    expect(await redisClient.exists(`authfold:concurrency:${CLIENT_ID}`)).toBe(1)
  }, 60_000)
})
