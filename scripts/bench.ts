/**
 * `pnpm bench`: authfold and @azure/msal-node side by side, in one run, against the same local
 * identity provider (a real HTTPS server on 127.0.0.1) and the same cache contents.
 *
 *  1. client credentials: a first request (new client: discovery + token) and a cache hit, through
 *     the full client and through the lean one (`@authfold/client/lean`: no discovery);
 *  2. the token cache at 10, 1,000, 10,000 and 100,000 accounts: acquireTokenSilent and
 *     acquireTokenForClient cache hits through the public facades, the same measuring loop
 *     around `Promise.resolve` alone in the same heap (the control: what the runtime gives a
 *     loop beside a cache of that size, with no authfold code), the bare cache lookup,
 *     getAccounts, deserialize + serialize beside the floor (a bare JSON.parse +
 *     JSON.stringify of the same file) with the ratio to it, heap after load, and the time
 *     of one fold (one account's token answer) into the loaded cache;
 *  3. a summary: load and save against the floor, heap against msal-node, lookups, facade
 *     hits (beside the control loop) and folds at the largest size against the smallest. Every figure also lands in `results`.
 *
 * Every measurement is time-boxed (it runs for at most a budget and reports ops/s from
 * the iterations that ran), so msal-node's seconds-long calls at 100,000 accounts run
 * once or twice, and a full run stays well under 15 minutes.
 *
 * Both libraries use the same HTTP transport (authfold's nodeHttpClient), so the numbers
 * compare the libraries, not two HTTP stacks. Set BENCH_SIZES=10,1000 to run fewer sizes.
 */
import { ConfidentialClientApplication, PublicClientApplication, type AccountInfo, type INetworkModule } from '@azure/msal-node'
import { addTokenResponse, deserialize, getAccounts, SCANS_BEFORE_INDEX, serialize } from '@authfold/cache'
import { clientSecret, parseAuthority, resolveAuthority, type GrantEnv, type HttpClient, type ResolvedAuthority } from '@authfold/core'
import { createConfidentialClient, createPublicClient } from '@authfold/client'
import { createConfidentialClient as createLeanClient } from '@authfold/client/lean'
import { cachedAccessToken } from '@authfold/grants'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider } from '@authfold/testing'
import { writeFileSync } from 'node:fs'
import { benchPanelsOf, renderBenchChart, type BenchChartRow } from './benchChart.js'
import { benchCache, benchSignIn, benchUid, benchUsername, type BenchUsers } from './benchUsers.js'

// ---------------------------------------------------------------------------------------
// measurement helpers

interface Rate {
  readonly opsPerSec: number
  readonly iterations: number
}

/** Runs `fn` repeatedly for about `budgetMs` (at least `minIter` times, at most `maxIter`). */
const rate = async (fn: () => unknown, budgetMs = 1000, minIter = 1, maxIter = 1_000_000): Promise<Rate> => {
  const start = performance.now()
  let n = 0
  while (n < minIter || (performance.now() - start < budgetMs && n < maxIter)) {
    await fn()
    n++
  }
  return { opsPerSec: (n * 1000) / (performance.now() - start), iterations: n }
}

const timeOnce = async (fn: () => unknown): Promise<number> => {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

/** The best (lowest) time of `fn` over runs that fit in about `budgetMs` (at least one, at most `maxRuns`). */
const bestTime = async (fn: () => unknown, budgetMs: number, maxRuns = 5): Promise<number> => {
  const start = performance.now()
  let best = Infinity
  for (let i = 0; i < maxRuns && (i === 0 || performance.now() - start < budgetMs); i++) best = Math.min(best, await timeOnce(fn))
  return best
}

/** What one cache size measured: the figures the summary prints (and a chart can draw). */
interface SizeResult {
  readonly accounts: number
  readonly jsonMb: number
  /** A bare JSON.parse + JSON.stringify of the same file, ms. */
  readonly floorMs: number
  readonly authfold: {
    readonly loadSaveMs: number
    readonly heapMb: number
    /** Heap once the lookups below have built the indexes they use. */
    readonly heapAfterLookupsMb: number
    readonly lookupOpsPerSec: number
    /** The first lookup after the load (scans the table it reads), ms. */
    readonly firstLookupMs: number
    readonly silentOpsPerSec: number
    /** `acquireTokenForClient` cache hits through the facade. */
    readonly clientOpsPerSec: number
    /** The control: the same measuring loop around `Promise.resolve(answer)`, in the same heap, no authfold code. */
    readonly bareLoopOpsPerSec: number
    /** The first fold into the loaded cache (scans the tables the fold reads), ms. */
    readonly firstFoldMs: number
    /** A fold once those indexes exist, µs. */
    readonly foldUs: number
  }
  readonly msalNode: {
    readonly loadSaveMs: number
    readonly heapMb: number
    readonly silentOpsPerSec: number
  }
}

/** Every size's figures, in the order measured: the one place the summary (and a chart) reads from. */
const results: Array<SizeResult> = []

const fmt = (n: number): string =>
  n >= 100 ? Math.round(n).toLocaleString('en-US') : n >= 1 ? n.toFixed(1) : n.toFixed(2)
const ratio = (a: number, b: number): string => (b === 0 ? 'n/a' : `${fmt(a / b)}x`)
const heapMb = (): number => {
  globalThis.gc?.()
  return process.memoryUsage().heapUsed / 1024 / 1024
}

/** msal-node's network interface over the same HTTP effect authfold uses. */
const msalNetwork = (http: HttpClient): INetworkModule => {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: { headers?: Record<string, string>; body?: string }) => {
    const request = { method, url, headers: options?.headers ?? {}, ...(options?.body === undefined ? {} : { body: options.body }) }
    const first = await http(request)()
    // A keep-alive socket the server closed while msal-node held the event loop (seconds, on a
    // 100k cache) fails the next request at once: send it once more on a fresh socket.
    const r = first._tag === 'Left' && 'code' in first.left && first.left.code === 'network' ? await http(request)() : first
    if (r._tag === 'Left') {
      // msal-node reports any transport failure as network_error: say what it was
      console.error(`  (msal-node's request to ${url} failed: ${r.left._tag} ${'code' in r.left ? String(r.left.code) : ''})`)
      throw new Error(r.left.message)
    }
    return { status: r.right.status, headers: { ...r.right.headers }, body: JSON.parse(r.right.body) as T }
  }
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  }
}

// ---------------------------------------------------------------------------------------

const idp = await startIdentityProvider({ rejectReplayedAssertions: false })
// a long transport deadline: msal-node blocks the event loop for seconds on a 100k cache, and
// a request it sent meanwhile must not time out for that
const http = nodeHttpClient({ ca: idp.ca, timeoutMs: 600_000 })
const network = msalNetwork(http)
const secret = 'bench-secret'
idp.registerClient({ clientId: 'bench-app', secret })
const scope = 'api://bench/.default'

try {
  console.log(`authfold vs @azure/msal-node 7.2.3 — local identity provider ${idp.url}, Node ${process.version}\n`)

  // 1. client credentials ------------------------------------------------------------------
  const authfoldApp = () =>
    createConfidentialClient({ clientId: 'bench-app', authority: idp.authority(), credential: clientSecret(secret), http, validateAuthority: false, instanceDiscovery: false })
  const msalApp = () =>
    new ConfidentialClientApplication({
      auth: { clientId: 'bench-app', authority: idp.authority(), clientSecret: secret, knownAuthorities: [idp.host] },
      system: { networkClient: network },
    })

  // warm both up (JIT, TLS sessions), then alternate rounds and keep each one's best
  const best = (a: Rate, b: Rate): Rate => (a.opsPerSec >= b.opsPerSec ? a : b)
  let afFirst: Rate = { opsPerSec: 0, iterations: 0 }
  let msFirst: Rate = { opsPerSec: 0, iterations: 0 }
  for (let round = 0; round < 3; round++) {
    afFirst = best(afFirst, await rate(() => authfoldApp().acquireTokenForClient([scope]), 1000, 20))
    msFirst = best(msFirst, await rate(() => msalApp().acquireTokenByClientCredential({ scopes: [scope] }), 1000, 20))
  }
  const af = authfoldApp()
  const ms = msalApp()
  await af.acquireTokenForClient([scope])
  await ms.acquireTokenByClientCredential({ scopes: [scope] })
  const afHit = await rate(() => af.acquireTokenForClient([scope]), 1500)
  const msHit = await rate(() => ms.acquireTokenByClientCredential({ scopes: [scope] }), 1500)
  // the lean client (@authfold/client/lean): no discovery, so its first call is the token request alone
  const leanApp = () => createLeanClient({ clientId: 'bench-app', authority: idp.authority(), credential: clientSecret(secret), http })
  let leanFirst: Rate = { opsPerSec: 0, iterations: 0 }
  for (let round = 0; round < 3; round++) leanFirst = best(leanFirst, await rate(() => leanApp().acquireTokenForClient([scope]), 1000, 20))
  const lean = leanApp()
  await lean.acquireTokenForClient([scope])
  const leanHit = await rate(() => lean.acquireTokenForClient([scope]), 1500)
  console.log('client credentials                      authfold ops/s   msal-node ops/s   authfold / msal-node')
  console.log(`first request (new client, discovery)   ${fmt(afFirst.opsPerSec).padStart(14)}   ${fmt(msFirst.opsPerSec).padStart(15)}   ${ratio(afFirst.opsPerSec, msFirst.opsPerSec).padStart(20)}`)
  console.log(`cache hit                               ${fmt(afHit.opsPerSec).padStart(14)}   ${fmt(msHit.opsPerSec).padStart(15)}   ${ratio(afHit.opsPerSec, msHit.opsPerSec).padStart(20)}`)
  console.log(`lean client, first request             ${fmt(leanFirst.opsPerSec).padStart(14)}   ${fmt(msFirst.opsPerSec).padStart(15)}   ${ratio(leanFirst.opsPerSec, msFirst.opsPerSec).padStart(20)}`)
  console.log(`lean client, cache hit                 ${fmt(leanHit.opsPerSec).padStart(14)}   ${fmt(msHit.opsPerSec).padStart(15)}   ${ratio(leanHit.opsPerSec, msHit.opsPerSec).padStart(20)}`)

  // 2. the cache at scale ------------------------------------------------------------------
  const env: GrantEnv = { http, now: Date.now, random: (n) => crypto.getRandomValues(new Uint8Array(n)), sleep: () => async () => undefined, log: () => undefined }
  const parsed = parseAuthority(idp.authority())
  if (parsed._tag === 'Left') throw new Error(parsed.left.message)
  const resolvedE = await resolveAuthority(parsed.right, { validateAuthority: false })(env)()
  if (resolvedE._tag === 'Left') throw new Error(resolvedE.left.message)
  const authority: ResolvedAuthority = resolvedE.right
  const clientId = 'bench-public-app'
  // msal-node gets the authority's metadata up front, so its silent calls never depend on discovery.
  const discovered = await http({ method: 'GET', url: `${idp.authority()}v2.0/.well-known/openid-configuration`, headers: {} })()
  if (discovered._tag === 'Left') throw new Error(discovered.left.message)
  const authorityMetadata = discovered.right.body
  const cloudDiscoveryMetadata = JSON.stringify({
    tenant_discovery_endpoint: `${idp.authority()}v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: idp.host, preferred_cache: authority.environment, aliases: [...authority.aliases] }],
  })
  const msalPublic = () =>
    new PublicClientApplication({
      auth: { clientId, authority: idp.authority(), knownAuthorities: [idp.host], authorityMetadata, cloudDiscoveryMetadata },
      system: { networkClient: network },
    })
  const users: BenchUsers = { clientId, environment: authority.environment, realm: authority.realm, tenantId: idp.tenantId, issuer: `${idp.url}/${idp.tenantId}/v2.0`, nowSeconds: Math.floor(Date.now() / 1000) }
  const signIn = benchSignIn(users)

  const sizes = (process.env.BENCH_SIZES ?? '10,1000,10000,100000').split(',').map(Number)
  console.log('\ntoken cache (n signed-in accounts)       authfold        msal-node       authfold / msal-node')
  let lastMsalGetAll: { n: number; ms: number } | undefined
  const chartRows: Array<BenchChartRow> = [] // docs/bench.svg
  for (const n of sizes) {
    const json = serialize(benchCache(users, n))
    const target = n - 1
    const homeAccountId = `${benchUid(target)}.${idp.tenantId}`

    // through the public facades, first: acquireTokenSilent, and acquireTokenForClient hits on the
    // same cache; each client loads its own copy and is dropped once measured, so each is timed in
    // a heap that holds the JSON text and that one cache, as an application's would
    const afFacadeSilent = await (async () => {
      const afPublic = createPublicClient({ clientId, authority: idp.authority(), http, validateAuthority: false, instanceDiscovery: false })
      await afPublic.deserializeCache(json)
      await afPublic.resolveAuthority()
      const [afAccount] = await afPublic.getAccounts(benchUsername(target))
      if (afAccount === undefined) throw new Error('authfold found no account')
      if ((await afPublic.acquireTokenSilent(['User.Read'], afAccount))?.token_source !== 'cache') throw new Error('authfold silent did not answer from the cache')
      heapMb()
      return rate(() => afPublic.acquireTokenSilent(['User.Read'], afAccount), 1000)
    })()
    const [afClientHit, bareLoop] = await (async () => {
      const afConfidential = createConfidentialClient({ clientId: 'bench-app', authority: idp.authority(), credential: clientSecret(secret), http, validateAuthority: false, instanceDiscovery: false })
      await afConfidential.deserializeCache(json)
      const answer = await afConfidential.acquireTokenForClient([scope])
      heapMb()
      const hits = await rate(() => afConfidential.acquireTokenForClient([scope]), 1000)
      // the control: the same loop in the same heap around an already made answer, no authfold
      // code at all (what the runtime alone gives this loop beside a cache of this size)
      heapMb()
      return [hits, await rate(() => Promise.resolve(answer), 1000)] as const
    })()
    // JSON.parse interns every property name, the cache keys included (about a fifth of the
    // file), and later parses of the same text share those strings: whichever library
    // loaded first would be charged for them and the other not. A parse held across both
    // heap measurements interns them up front, so each figure counts what that library keeps.
    // It is dropped once both heaps are measured: held longer, it would sit (a few hundred MB
    // at 100k) in the heap every later lookup runs in, and a bigger heap makes each young-
    // generation GC dearer (V8 visits the old generation's pages on each one), a cost no application pays.
    let interned: unknown = JSON.parse(json)

    // authfold
    const heap0 = heapMb()
    const loaded = deserialize(json)
    if (loaded._tag === 'Left') throw new Error(loaded.left.message)
    const afHeap = heapMb() - heap0
    const cache = loaded.right
    // msal-node's heap after load, measured here, beside authfold's, while the interning parse
    // is held; the copy is dropped (the one its silent calls use is loaded below)
    const msHeap = await (async () => {
      const probe = msalPublic()
      const before = heapMb()
      probe.getTokenCache().deserialize(json)
      return heapMb() - before
    })()
    if (interned === undefined) throw new Error('unreachable: keeps the interning parse alive until here')
    interned = undefined
    // the heap less authfold's cache as measured beside the parse (the property names the two
    // shared stay out of authfold's figure, as in heap after load): heap after lookups reads from here
    const heapBase = heapMb() - afHeap
    const query = { clientId, environments: authority.aliases, realm: authority.realm, homeAccountId, scopes: ['User.Read'] }
    let hits = 0
    // the first lookups after a load scan the table, then one builds the index it reads
    // (O(n), once; see the cache's state module): timed apart, the first alone, then those
    // up to and including the build, so the rate below is the lookups' steady state
    const afFirstLookup = await timeOnce(() => cachedAccessToken(query, Math.floor(Date.now() / 1000))(cache))
    const afLookupsToIndex = await timeOnce(() => {
      for (let i = 0; i < SCANS_BEFORE_INDEX; i++) cachedAccessToken(query, Math.floor(Date.now() / 1000))(cache)
    })
    heapMb() // a full collection first, so the lookup is measured in steady state, not during GC after a large load
    const afSilent = await rate(() => {
      const r = cachedAccessToken(query, Math.floor(Date.now() / 1000))(cache)
      if (r._tag === 'Some') hits++
    }, 1000)
    if (hits === 0) throw new Error('authfold silent lookup found nothing')
    const afHeapAfterLookups = heapMb() - heapBase
    // one fold into the loaded cache: a user who is not in it signs in (Account, IdToken,
    // AccessToken, RefreshToken, AppMetadata). The first scans the tables the fold reads, the
    // next ones scan, then build their indexes (see the cache's state module); the rate
    // that follows is what every later fold costs.
    const newcomer = signIn(n)
    const afFirstFold = await timeOnce(() => addTokenResponse(newcomer)(cache))
    const afFoldsToIndex = await timeOnce(() => {
      for (let i = 0; i < SCANS_BEFORE_INDEX; i++) addTokenResponse(newcomer)(cache)
    })
    // a file store's update: load, fold one sign-in, save
    const afLoadFoldSave = await bestTime(() => {
      const d = deserialize(json)
      if (d._tag === 'Right') serialize(addTokenResponse(newcomer)(d.right))
    }, 4000)
    const afFold = await rate(() => addTokenResponse(newcomer)(cache), 1000)
    const msConfidential = new ConfidentialClientApplication({
      auth: { clientId: 'bench-app', authority: idp.authority(), clientSecret: secret, knownAuthorities: [idp.host], authorityMetadata, cloudDiscoveryMetadata },
      system: { networkClient: network },
    })
    msConfidential.getTokenCache().deserialize(json)
    const msClientFirst = await msConfidential.acquireTokenByClientCredential({ scopes: [scope] }).then(
      () => undefined,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    )
    heapMb()
    const msClientHit = msClientFirst === undefined ? await rate(() => msConfidential.acquireTokenByClientCredential({ scopes: [scope] }), 2000, 2) : undefined
    if (msClientFirst !== undefined) console.log(`  (msal-node's first acquireTokenByClientCredential on this cache failed: ${msClientFirst})`)
    const afAccounts = await timeOnce(() => getAccounts({})(cache))
    // load and save, each the best of the runs that fit in a few seconds (one at 100k)
    const budget = 4000
    const floor = await bestTime(() => JSON.stringify(JSON.parse(json)), budget)
    const afRoundTrip = await bestTime(() => {
      const d = deserialize(json)
      if (d._tag === 'Right') serialize(d.right)
    }, budget)

    // msal-node
    const pca = msalPublic()
    pca.getTokenCache().deserialize(json)
    const account: AccountInfo = { homeAccountId, environment: authority.environment, tenantId: idp.tenantId, username: benchUsername(target), localAccountId: benchUid(target) }
    idp.clearRequests()
    const first = await pca.acquireTokenSilent({ account, scopes: ['User.Read'] })
    if (!first.fromCache) throw new Error('msal-node did not answer from the cache')
    heapMb()
    const msSilent = await rate(() => pca.acquireTokenSilent({ account, scopes: ['User.Read'] }), 3000, 1)
    const tokenRequests = idp.requests.filter((r) => r.path.endsWith('/token')).length
    const estimate = lastMsalGetAll === undefined ? 0 : lastMsalGetAll.ms * (n / lastMsalGetAll.n) ** 2
    const msAccounts = estimate > 120_000 ? undefined : await timeOnce(() => pca.getAllAccounts())
    if (msAccounts !== undefined) lastMsalGetAll = { n, ms: msAccounts }
    const msRoundTrip = await bestTime(() => {
      const p = msalPublic()
      p.getTokenCache().deserialize(json)
      return p.getTokenCache().serialize()
    }, budget)

    const row = (label: string, a: string, b: string, r: string) => console.log(`${label.padEnd(40)} ${a.padStart(14)}  ${b.padStart(15)}  ${r.padStart(20)}`)
    console.log(`n = ${n.toLocaleString('en-US')}  (cache JSON ${(json.length / 1024 / 1024).toFixed(1)} MB; msal-node silent calls sent ${tokenRequests} token requests)`)
    row('  acquireTokenSilent (cached), ops/s', fmt(afFacadeSilent.opsPerSec), fmt(msSilent.opsPerSec), ratio(afFacadeSilent.opsPerSec, msSilent.opsPerSec))
    row('  acquireTokenForClient (cached), ops/s', fmt(afClientHit.opsPerSec), msClientHit === undefined ? 'failed' : fmt(msClientHit.opsPerSec), msClientHit === undefined ? 'n/a' : ratio(afClientHit.opsPerSec, msClientHit.opsPerSec))
    row('    the loop alone, await Promise.resolve, ops/s', fmt(bareLoop.opsPerSec), '', '')
    row('  cache lookup alone (cachedAccessToken), ops/s', fmt(afSilent.opsPerSec), '', '')
    row('    the first one after the load (a scan), ms', fmt(afFirstLookup), '', '')
    row(`    the next ${SCANS_BEFORE_INDEX} (scans, then the index built), ms`, fmt(afLookupsToIndex), '', '')
    row('  getAccounts, ms', fmt(afAccounts), msAccounts === undefined ? `skipped (~${fmt(estimate / 1000)} s est.)` : fmt(msAccounts), msAccounts === undefined ? 'n/a' : ratio(msAccounts, afAccounts))
    row('  deserialize + serialize, ms', fmt(afRoundTrip), fmt(msRoundTrip), ratio(msRoundTrip, afRoundTrip))
    row('    the floor: JSON.parse + stringify, ms', fmt(floor), fmt(floor), '')
    row('    ÷ the floor (goal: authfold ≤ 1.5x)', ratio(afRoundTrip, floor), ratio(msRoundTrip, floor), '')
    row('  heap after load, MB', fmt(afHeap), fmt(msHeap), ratio(msHeap, afHeap))
    row('  heap once lookups built their index, MB', fmt(afHeapAfterLookups), '', '')
    row('  first fold of a new sign-in, ms', fmt(afFirstFold), '', '')
    row(`    the next ${SCANS_BEFORE_INDEX} (scans, then the indexes built), ms`, fmt(afFoldsToIndex), '', '')
    row('  load + one fold + save (a file store update), ms', fmt(afLoadFoldSave), '', '')
    row('  each later fold of a sign-in, µs', fmt(1_000_000 / afFold.opsPerSec), '', '')
    results.push({
      accounts: n,
      jsonMb: json.length / 1024 / 1024,
      floorMs: floor,
      authfold: {
        loadSaveMs: afRoundTrip,
        heapMb: afHeap,
        heapAfterLookupsMb: afHeapAfterLookups,
        lookupOpsPerSec: afSilent.opsPerSec,
        firstLookupMs: afFirstLookup,
        silentOpsPerSec: afFacadeSilent.opsPerSec,
        clientOpsPerSec: afClientHit.opsPerSec,
        bareLoopOpsPerSec: bareLoop.opsPerSec,
        firstFoldMs: afFirstFold,
        foldUs: 1_000_000 / afFold.opsPerSec,
      },
      msalNode: { loadSaveMs: msRoundTrip, heapMb: msHeap, silentOpsPerSec: msSilent.opsPerSec },
    })
    chartRows.push({ accounts: n, authfoldSilentOpsPerSec: afFacadeSilent.opsPerSec, msalSilentOpsPerSec: msSilent.opsPerSec, authfoldClientOpsPerSec: afClientHit.opsPerSec, ...(msClientHit === undefined ? {} : { msalClientOpsPerSec: msClientHit.opsPerSec }), authfoldLoadSaveMs: afRoundTrip, msalLoadSaveMs: msRoundTrip, jsonFloorMs: floor })
  }
  console.log('\nratios: calls per second are authfold ÷ msal-node; times and heap are msal-node ÷ authfold (higher is better for authfold).')

  // 3. summary (issue 14's goals) -----------------------------------------------------------
  const smallest = results[0]
  const largest = results[results.length - 1]
  if (smallest !== undefined && largest !== undefined) {
    console.log('\nsummary                                  goal                                 measured')
    for (const r of results.filter((x) => x.accounts >= 10_000)) {
      const at = `${r.accounts.toLocaleString('en-US')} accounts`
      console.log(`load + save ÷ floor, ${at.padEnd(19)} authfold ≤ 1.5x (msal-node)          ${ratio(r.authfold.loadSaveMs, r.floorMs)} (${ratio(r.msalNode.loadSaveMs, r.floorMs)})`)
    }
    console.log(`heap after load at ${largest.accounts.toLocaleString('en-US').padEnd(20)} ≤ msal-node's                         ${fmt(largest.authfold.heapMb)} MB vs ${fmt(largest.msalNode.heapMb)} MB (${fmt(largest.authfold.heapAfterLookupsMb)} MB once looked up)`)
    console.log(`lookups/s at ${largest.accounts.toLocaleString('en-US')} vs ${smallest.accounts.toLocaleString('en-US').padEnd(15)} no slower                            ${fmt(largest.authfold.lookupOpsPerSec)} vs ${fmt(smallest.authfold.lookupOpsPerSec)} (${ratio(largest.authfold.lookupOpsPerSec, smallest.authfold.lookupOpsPerSec)})`)
    const at = (r: SizeResult, k: 'silentOpsPerSec' | 'clientOpsPerSec' | 'bareLoopOpsPerSec'): string => ratio(largest.authfold[k], r.authfold[k])
    console.log(`facade hits at ${largest.accounts.toLocaleString('en-US')} vs ${smallest.accounts.toLocaleString('en-US').padEnd(11)} no slower                            silent ${at(smallest, 'silentOpsPerSec')}, client ${at(smallest, 'clientOpsPerSec')} (the loop alone, no authfold code: ${at(smallest, 'bareLoopOpsPerSec')})`)
    console.log(`one fold at ${largest.accounts.toLocaleString('en-US')} vs ${smallest.accounts.toLocaleString('en-US').padEnd(16)} proportional to the account          ${fmt(largest.authfold.foldUs)} µs vs ${fmt(smallest.authfold.foldUs)} µs (${ratio(largest.authfold.foldUs, smallest.authfold.foldUs)}); first fold after a load ${fmt(largest.authfold.firstFoldMs)} ms vs ${fmt(smallest.authfold.firstFoldMs)} ms`)
  }
  writeFileSync(new URL('../docs/bench.svg', import.meta.url), renderBenchChart(benchPanelsOf(chartRows), `pnpm bench, one run, ${new Date().toISOString().slice(0, 10)}, BENCH_SIZES=${sizes.join(',')}`))
  console.log('\nchart: docs/bench.svg')
} finally {
  await idp.stop()
}
