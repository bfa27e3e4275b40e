/**
 * `pnpm bench:alloc [sizes]`: the bytes a cache hit allocates through the public facades
 * (`acquireTokenSilent`, its TaskEither twin, `acquireTokenForClient`), at each cache size
 * (default `10,100000` signed-in accounts). Each figure is the median, over five windows of
 * 4,000 hits that ran with no garbage collection in them, of the heap growth per hit; the
 * young generation is made large (the script's node flags) so that a window fits in it. The
 * first row is the measuring loop itself (`() => Promise.resolve(result)`), included in every
 * other row. A benchmark, not a test: it prints figures and asserts only that every call was a
 * cache hit (no request sent).
 */
import { serialize } from '@authfold/cache'
import { clientSecret, type HttpClient } from '@authfold/core'
import { createConfidentialClient, createPublicClient } from '@authfold/client'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider } from '@authfold/testing'
import { PerformanceObserver } from 'node:perf_hooks'
import { benchCache, benchUsername, type BenchUsers } from './benchUsers.js'

const WINDOW = 4_000
const WARM_UP = 20_000
const tick = (): Promise<void> => new Promise((r) => setImmediate(r))
const gcs = { count: 0 }
new PerformanceObserver((l) => void (gcs.count += l.getEntries().length)).observe({ entryTypes: ['gc'] })

/** Median bytes per call over the windows with no GC in them. */
const perCall = async (fn: () => Promise<unknown>): Promise<string> => {
  for (let i = 0; i < WARM_UP; i++) await fn()
  const samples: Array<number> = []
  for (let round = 0; round < 5; round++) {
    // a full collection, then ticks so that its observer entries arrive before the window
    globalThis.gc?.()
    await tick()
    globalThis.gc?.()
    await tick()
    await tick()
    const before = gcs.count
    const h0 = process.memoryUsage().heapUsed
    for (let i = 0; i < WINDOW; i++) await fn()
    const h1 = process.memoryUsage().heapUsed
    await tick()
    if (gcs.count === before) samples.push((h1 - h0) / WINDOW)
  }
  if (samples.length === 0) return 'a GC ran in every window (run with the flags of `pnpm bench:alloc`)'
  const median = [...samples].sort((a, b) => a - b)[samples.length >> 1] ?? 0
  return `${median.toFixed(0).padStart(6)} B per call (${samples.length} windows without GC)`
}

const idp = await startIdentityProvider()
const requests = { count: 0 }
const transport = nodeHttpClient({ ca: idp.ca, timeoutMs: 60_000 })
const http: HttpClient = (r) => {
  requests.count++
  return transport(r)
}
idp.registerClient({ clientId: 'alloc-app', secret: 'alloc-secret' })
const clientId = 'alloc-public-app'
const users: BenchUsers = { clientId, environment: new URL(idp.url).host, realm: idp.tenantId, tenantId: idp.tenantId, issuer: idp.issuer(), nowSeconds: Math.floor(Date.now() / 1000) }

try {
  const result = { token_source: 'cache' }
  console.log(`the loop itself, () => Promise.resolve(result)      ${await perCall(() => Promise.resolve(result))}`)
  for (const n of (process.argv[2] ?? '10,100000').split(',').map(Number)) {
    const json = serialize(benchCache(users, n))
    const config = { authority: idp.authority(), http, validateAuthority: false, instanceDiscovery: false } as const
    const pub = createPublicClient({ clientId, ...config })
    await pub.deserializeCache(json)
    await pub.resolveAuthority()
    const [account] = await pub.getAccounts(benchUsername(n - 1))
    if (account === undefined) throw new Error('the cache holds no such account')
    const conf = createConfidentialClient({ clientId: 'alloc-app', credential: clientSecret('alloc-secret'), ...config })
    await conf.deserializeCache(json)
    await conf.acquireTokenForClient(['api://alloc/.default'])
    const sent = requests.count
    const label = `${n.toLocaleString('en-US')} accounts`.padEnd(17)
    console.log(`${label}acquireTokenSilent                ${await perCall(() => pub.acquireTokenSilent(['User.Read'], account))}`)
    console.log(`${label}te.acquireTokenSilent             ${await perCall(() => pub.te.acquireTokenSilent(['User.Read'], account)())}`)
    console.log(`${label}acquireTokenForClient             ${await perCall(() => conf.acquireTokenForClient(['api://alloc/.default']))}`)
    if (requests.count !== sent) throw new Error(`${requests.count - sent} requests were sent: not every call was a cache hit`)
  }
} finally {
  await idp.stop()
}
