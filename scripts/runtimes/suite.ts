/**
 * The end-to-end suite every runtime runs unchanged (oauth4webapi's `tap/` is the model):
 * client credentials with a secret and with a certificate, the device flow, a silent hit
 * from a cache loaded from JSON, the typed error of an unreachable authority, and the lean
 * client (`@authfold/client/lean`, on its own `leanFetchHttpClient`). It imports
 * the packages by name only; `bundleSuite` (runtimes.ts) builds it once, from the built
 * packages, into one ESM file that Node, Bun, Deno, workerd and Chromium all load. No
 * `http` option anywhere: each call goes through authfold's default `fetchHttpClient` (the
 * lean client's `leanFetchHttpClient`), that is the platform's own `fetch`.
 *
 * What the suite needs from its host arrives as data ({@link SuiteConfig}); what it tells
 * the host leaves through `emit` ({@link SuiteEvent}): the device flow's user code (the host
 * approves it on the IdP while the suite polls) and one result per case.
 */
import { createConfidentialClient, createPublicClient } from '@authfold/client'
import { createConfidentialClient as createLeanConfidentialClient } from '@authfold/client/lean'
import { certificate, clientSecret } from '@authfold/core'

/**
 * Everything the suite is told: the IdP's authority, the apps registered there, a cache
 * (MSAL's JSON) written by another client, and an authority nothing listens on.
 *
 * @category model
 * @since 0.1.0
 */
export interface SuiteConfig {
  readonly authority: string
  /** An authority on a loopback port nothing listens on. */
  readonly unreachableAuthority: string
  readonly secretApp: { readonly clientId: string; readonly secret: string; readonly scope: string }
  readonly certificateApp: { readonly clientId: string; readonly privateKeyPem: string; readonly thumbprint: string; readonly scope: string }
  readonly deviceApp: { readonly clientId: string; readonly scope: string; readonly username: string }
  readonly cacheApp: { readonly clientId: string; readonly scope: string; readonly username: string; readonly cacheJson: string }
}

/**
 * The cases, in the order they run.
 *
 * @category model
 * @since 0.1.0
 */
export const caseNames = [
  'client credentials with a secret',
  'client credentials with a certificate',
  'device flow',
  'silent hit from a cache loaded from JSON',
  'typed error for an unreachable authority',
  'lean client: a token, a cache hit, a typed error',
] as const

/**
 * One case's name.
 *
 * @category model
 * @since 0.1.0
 */
export type CaseName = (typeof caseNames)[number]

/**
 * What the suite tells its host, in order: where it runs (`navigator.userAgent`), the user
 * code to approve, one `case` per case, then `done`.
 *
 * @category model
 * @since 0.1.0
 */
export type SuiteEvent =
  | { readonly type: 'runtime'; readonly userAgent: string }
  | { readonly type: 'device_code'; readonly userCode: string }
  | { readonly type: 'case'; readonly name: CaseName; readonly ok: boolean; readonly ms: number; readonly error?: string }
  | { readonly type: 'done'; readonly passed: number; readonly failed: number }

/**
 * Where the suite's events go: stdout lines, a worker's streamed answer, a page binding.
 *
 * @category model
 * @since 0.1.0
 */
export type Emit = (event: SuiteEvent) => void | Promise<void>

/** The prefix of an event line on a child's stdout (anything else there is not an event). */
export const EVENT_PREFIX = '@@authfold-runtimes '

const check = (ok: boolean, what: string): void => {
  if (!ok) throw new Error(`expected ${what}`)
}

/** A rejection as the suite reports it: the typed error's tag and code, never a token. */
const explain = (e: unknown): string => {
  const authError = (e as { readonly authError?: { readonly _tag?: string; readonly code?: string; readonly error?: string } }).authError
  const message = e instanceof Error ? e.message : String(e)
  return authError === undefined ? `${typeof e} ${message}` : `${authError._tag ?? '?'} ${authError.code ?? authError.error ?? ''}: ${message}`
}

const secretCase = async (c: SuiteConfig): Promise<void> => {
  const app = createConfidentialClient({ clientId: c.secretApp.clientId, authority: c.authority, credential: clientSecret(c.secretApp.secret), validateAuthority: false })
  const first = await app.acquireTokenForClient([c.secretApp.scope])
  check(first.token_source === 'identity_provider', `the first token from the IdP, got ${first.token_source}`)
  check(first.token_type === 'Bearer' && first.access_token.split('.').length === 3, 'a Bearer JWT')
  const second = await app.acquireTokenForClient([c.secretApp.scope])
  check(second.token_source === 'cache' && second.access_token === first.access_token, `the second token from the cache, got ${second.token_source}`)
}

const certificateCase = async (c: SuiteConfig): Promise<void> => {
  const credential = certificate({ privateKey: c.certificateApp.privateKeyPem, thumbprint: c.certificateApp.thumbprint })
  const app = createConfidentialClient({ clientId: c.certificateApp.clientId, authority: c.authority, credential, validateAuthority: false })
  const result = await app.acquireTokenForClient([c.certificateApp.scope])
  check(result.token_source === 'identity_provider', `a token from the IdP, got ${result.token_source}`)
  check(result.access_token.split('.').length === 3, 'a JWT access token')
}

const deviceFlowCase = async (c: SuiteConfig, emit: Emit): Promise<void> => {
  const app = createPublicClient({ clientId: c.deviceApp.clientId, authority: c.authority, validateAuthority: false })
  const flow = await app.initiateDeviceFlow([c.deviceApp.scope])
  check(/^[A-Z0-9]{6,}$/.test(flow.user_code) && flow.verification_uri.startsWith('https://'), 'a user code and a verification URI')
  await emit({ type: 'device_code', userCode: flow.user_code })
  const result = await app.acquireTokenByDeviceFlow(flow, { timeoutMs: 60_000 })
  check(result.token_source === 'identity_provider', `tokens from the IdP, got ${result.token_source}`)
  check(result.account?.username === c.deviceApp.username, `the account of ${c.deviceApp.username}`)
  const accounts = await app.getAccounts()
  check(accounts.length === 1 && accounts[0]?.username === c.deviceApp.username, 'the account in the cache')
}

const cachedAccessToken = (json: string): string => {
  const section = (JSON.parse(json) as { readonly AccessToken?: Readonly<Record<string, { readonly secret?: string }>> }).AccessToken ?? {}
  const secrets = Object.values(section).map((t) => t.secret)
  const [only] = secrets
  if (secrets.length !== 1 || only === undefined) throw new Error(`expected one access token in the cache JSON, found ${secrets.length}`)
  return only
}

const cacheCase = async (c: SuiteConfig): Promise<void> => {
  const app = createPublicClient({ clientId: c.cacheApp.clientId, authority: c.authority, validateAuthority: false })
  await app.deserializeCache(c.cacheApp.cacheJson)
  const accounts = await app.getAccounts(c.cacheApp.username)
  const account = accounts[0]
  check(accounts.length === 1 && account !== undefined, `one account of ${c.cacheApp.username} in the loaded cache`)
  const result = await app.acquireTokenSilent([c.cacheApp.scope], account ?? null)
  check(result !== undefined && result.token_source === 'cache', `a cache hit, got ${result?.token_source ?? 'nothing'}`)
  check(result?.access_token === cachedAccessToken(c.cacheApp.cacheJson), 'the access token of the loaded cache')
}

const unreachableCase = async (c: SuiteConfig): Promise<void> => {
  const app = createConfidentialClient({ clientId: c.secretApp.clientId, authority: c.unreachableAuthority, credential: clientSecret(c.secretApp.secret), validateAuthority: false })
  const failure = await app.acquireTokenForClient([c.secretApp.scope]).then(
    () => undefined,
    (e: unknown) => e,
  )
  check(failure instanceof Error, `a rejection with an Error, got ${failure === undefined ? 'a token' : typeof failure}`)
  const authError = (failure as { readonly authError?: { readonly _tag: string; readonly code?: string; readonly url?: string; readonly message: string } }).authError
  check(authError?._tag === 'HttpError' && authError.code === 'network', `authError HttpError/network, got ${explain(failure)}`)
  check(authError?.url?.startsWith(c.unreachableAuthority.replace(/\/[^/]*\/$/, '')) === true, 'the unreachable URL in the error')
  check(authError?.message.includes(c.secretApp.secret) === false, 'no secret in the message')
  // A connection failure's advice (a detached `fetch` is a network error too, with other advice).
  check(authError?.message.includes('Check the authority URL') === true, `advice on the authority and network, got: ${authError?.message ?? ''}`)
}

const leanCase = async (c: SuiteConfig): Promise<void> => {
  const app = createLeanConfidentialClient({ clientId: c.secretApp.clientId, authority: c.authority, credential: clientSecret(c.secretApp.secret) })
  const first = await app.acquireTokenForClient([c.secretApp.scope])
  check(first.token_source === 'identity_provider' && first.access_token.split('.').length === 3, `a JWT from the IdP, got ${first.token_source}`)
  const second = await app.acquireTokenForClient([c.secretApp.scope])
  check(second.token_source === 'cache' && second.access_token === first.access_token, `the second token from the cache, got ${second.token_source}`)
  const cold = createLeanConfidentialClient({ clientId: c.secretApp.clientId, authority: c.unreachableAuthority, credential: clientSecret(c.secretApp.secret) })
  const failure = await cold.acquireTokenForClient([c.secretApp.scope]).then(
    () => undefined,
    (e: unknown) => e,
  )
  const authError = (failure as { readonly authError?: { readonly _tag: string; readonly code?: string; readonly message: string } } | undefined)?.authError
  check(failure instanceof Error && authError?._tag === 'HttpError' && authError.code === 'network', `authError HttpError/network, got ${explain(failure)}`)
  check(authError?.message.includes(c.secretApp.secret) === false && authError.message.includes('Check the authority URL'), `advice without the secret, got: ${authError?.message ?? ''}`)
}

/**
 * Runs every case in order, emitting `runtime`, then a `case` event per case (the ones
 * that fail say why, as the typed error's tag and code), then `done`. Never rejects.
 *
 * @category run
 * @since 0.1.0
 */
export const runSuite = async (config: SuiteConfig, emit: Emit): Promise<{ readonly passed: number; readonly failed: number }> => {
  // Node 20 has no `navigator`; its `process.version` says the same.
  const g = globalThis as { readonly navigator?: { readonly userAgent?: string }; readonly process?: { readonly version?: string } }
  const nodeVersion = g.process?.version
  await emit({ type: 'runtime', userAgent: g.navigator?.userAgent ?? (nodeVersion === undefined ? 'unknown' : `Node.js/${nodeVersion.replace(/^v/, '')}`) })
  const cases: ReadonlyArray<readonly [CaseName, () => Promise<void>]> = [
    ['client credentials with a secret', () => secretCase(config)],
    ['client credentials with a certificate', () => certificateCase(config)],
    ['device flow', () => deviceFlowCase(config, emit)],
    ['silent hit from a cache loaded from JSON', () => cacheCase(config)],
    ['typed error for an unreachable authority', () => unreachableCase(config)],
    ['lean client: a token, a cache hit, a typed error', () => leanCase(config)],
  ]
  let passed = 0
  for (const [name, run] of cases) {
    const started = Date.now()
    const error = await run().then(
      () => undefined,
      (e: unknown) => explain(e),
    )
    if (error === undefined) passed += 1
    await emit(error === undefined ? { type: 'case', name, ok: true, ms: Date.now() - started } : { type: 'case', name, ok: false, ms: Date.now() - started, error })
  }
  const totals = { passed, failed: cases.length - passed }
  await emit({ type: 'done', ...totals })
  return totals
}
