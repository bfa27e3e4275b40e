import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { promises as fsp } from 'node:fs'
import * as os from 'node:os'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/Either'
import { createClient } from 'redis'
import { clientSecret } from '@authfold/core'
import { aesGcm, appPartitionKey, memoryStore, serialize, type CacheStore } from '@authfold/cache'
import { createConfidentialClient } from '@authfold/client'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { nodeHttpClient } from '../http/nodeHttpClient.js'
import { fileStore } from './fileStore.js'
import { nodeRedisCommands, redisStore } from './redisStore.js'
import { startRedis, type TestRedis } from './redisServer.testkit.js'

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

const scopes = Array.from({ length: 100 }, (_, i) => `api://r${i}/.default`)

/** 100 grants at once on one client, then every token is in the store, and a second round is all cache hits. */
const hundredGrants = async (cacheStore: CacheStore): Promise<void> => {
  const app = createConfidentialClient({
    clientId: CLIENT_ID,
    authority: idp.authority(),
    credential: clientSecret(SECRET),
    http: nodeHttpClient({ ca: idp.ca, timeoutMs: 20_000 }),
    validateAuthority: false,
    cacheStore,
  })
  const results = await Promise.all(scopes.map((scope) => app.acquireTokenForClient([scope])))
  expect(new Set(results.map((r) => r.access_token)).size).toBe(100)
  const state = await cacheStore.load()()
  if (E.isLeft(state)) throw new Error(state.left.message)
  const stored = (JSON.parse(serialize(state.right)) as { readonly AccessToken: Readonly<Record<string, { readonly target: string; readonly secret: string }>> }).AccessToken
  const byTarget = new Map(Object.values(stored).map((at) => [at.target, at.secret] as const))
  expect(byTarget.size).toBe(100)
  scopes.forEach((scope, i) => expect(byTarget.get(scope)).toBe(results[i]?.access_token))
  const again = await Promise.all(scopes.map((scope) => app.acquireTokenForClient([scope])))
  expect(again.every((r) => r.token_source === 'cache')).toBe(true)
  expect(again.map((r) => r.access_token)).toEqual(results.map((r) => r.access_token))
}

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
