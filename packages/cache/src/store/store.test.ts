import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { emptyCache, modifyTable, serialize, specs, tablePut, type CacheState } from '@authfold/cache'
import { hamtValues } from '../hamt.js'
import { cacheStateArb } from '@authfold/testing'
import { aesGcm } from './aesGcm.js'
import {
  accountPartitionKey,
  appPartitionKey,
  decodeBlob,
  encodeBlob,
  isSealed,
  memoryStore,
  partitionKeysOf,
  partitionedMemoryStore,
  serialQueue,
  type BlobPlace,
  type CacheStore,
} from './store.js'

const addToken =
  (key: string, home = '', client = 'app') =>
  (s: CacheState): CacheState =>
    modifyTable('accessTokens', (t) =>
      tablePut(specs.accessTokens, t, key, {
        credential_type: 'AccessToken',
        secret: 's',
        home_account_id: home,
        environment: 'login.example.com',
        client_id: client,
        realm: 'tenant',
        target: key,
      }),
    )(s)

const run = async <A>(t: TE.TaskEither<{ readonly message: string }, A>): Promise<A> => {
  const r = await t()
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

describe('memoryStore', () => {
  it('applies updates in order and loads the latest state', async () => {
    const s = memoryStore()
    expect(await run(s.load())).toBe(emptyCache)
    await Promise.all(Array.from({ length: 100 }, (_, i) => run(s.update(addToken(`k${i}`)))))
    expect((await run(s.load())).accessTokens.entries.size).toBe(100)
  })

  it('is a CacheStore the facades accept (any AuthError)', () => {
    const facadeStore: CacheStore = memoryStore()
    expect(typeof facadeStore.update).toBe('function')
  })
})

describe('partitions', () => {
  it('partitionedMemoryStore keeps partitions apart and returns the same store for a key', async () => {
    const p = partitionedMemoryStore()
    await run(p.forPartition('a').update(addToken('x')))
    expect(p.forPartition('a')).toBe(p.forPartition('a'))
    expect((await run(p.forPartition('a').load())).accessTokens.entries.size).toBe(1)
    expect(await run(p.forPartition('b').load())).toBe(emptyCache)
  })

  it('keys: home account id for an account, client id for app tokens', () => {
    expect(accountPartitionKey({ home_account_id: 'uid.utid' })).toBe('uid.utid')
    expect(appPartitionKey('client-1')).toBe('client-1')
    expect(partitionKeysOf(emptyCache)).toEqual([])
    expect(partitionKeysOf(addToken('a', 'uid.utid')(emptyCache))).toEqual(['uid.utid'])
    expect(partitionKeysOf(addToken('a', '', 'client-1')(emptyCache))).toEqual(['client-1'])
    expect(partitionKeysOf(addToken('b', 'u2.t')(addToken('a', '', 'client-1')(emptyCache)))).toEqual(['client-1', 'u2.t'])
  })

  it('every entry of any cache maps to one of its partition keys', () => {
    fc.assert(
      fc.property(cacheStateArb(8), (s) => {
        const keys = new Set(partitionKeysOf(s))
        const home = (h: string | null | undefined) => h !== undefined && h !== null && h !== ''
        for (const a of hamtValues(s.accounts.entries)) if (home(a.home_account_id)) expect(keys.has(a.home_account_id)).toBe(true)
        for (const r of hamtValues(s.refreshTokens.entries)) if (home(r.home_account_id)) expect(keys.has(r.home_account_id ?? '')).toBe(true)
        for (const at of hamtValues(s.accessTokens.entries)) {
          const k = home(at.home_account_id) ? at.home_account_id : at.client_id
          if (typeof k === 'string' && k !== '') expect(keys.has(k)).toBe(true)
        }
      }),
      { numRuns: 100 },
    )
  })
})

describe('blob codec', () => {
  const place = (over: Partial<BlobPlace> = {}): BlobPlace => ({ where: 'the test blob', context: 'ctx', advice: 'Delete it.', ...over })

  it('encode then decode is the identity on the serialized form, with and without encryption', async () => {
    const sealed = place({ transform: aesGcm(new Uint8Array(32).fill(1)) })
    await fc.assert(
      fc.asyncProperty(cacheStateArb(6), async (s) => {
        for (const p of [place(), sealed]) {
          const blob = await run(encodeBlob(p)(s))
          expect(isSealed(blob)).toBe(p.transform !== undefined)
          expect(serialize(await run(decodeBlob(p)(blob)))).toBe(serialize(s))
        }
      }),
      { numRuns: 40 },
    )
  })

  it('a broken blob is a DecodeError naming the place and the advice', async () => {
    const r = await decodeBlob(place())('{"AccessToken": {')()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', code: 'invalid_json', subject: 'token cache at the test blob' } })
    if (E.isLeft(r)) expect(r.left.message).toContain('Delete it.')
  })

  it('a sealed blob read without a key asks for the key', async () => {
    const blob = await run(encodeBlob(place({ transform: aesGcm(new Uint8Array(32)) }))(emptyCache))
    const r = await decodeBlob(place())(blob)()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CacheError', code: 'tampered' } })
    if (E.isLeft(r)) expect(r.left.message).toContain('aesGcm(key)')
  })
})

describe('serialQueue', () => {
  it('runs tasks one at a time in the order given, past failures', async () => {
    const q = serialQueue()
    const log: string[] = []
    let active = 0
    const task = (name: string, fail = false) => async () => {
      active++
      expect(active).toBe(1)
      log.push(`start ${name}`)
      await new Promise((r) => setTimeout(r, 1))
      log.push(`end ${name}`)
      active--
      if (fail) throw new Error(name)
      return name
    }
    const results = await Promise.allSettled([q(task('a')), q(task('b', true)), q(task('c'))])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c'])
  })
})
