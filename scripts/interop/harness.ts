/**
 * The interop harness: a local IdP set up for the real MSAL libraries (a public client, a
 * confidential client and a user), and runners for the scripts beside this file, which
 * drive MSAL Python 1.21 (`/usr/bin/python3`) and @azure/msal-node in child processes.
 *
 * With `startInteropIdp({ publicHost: ENTRA_HOST })` the IdP also answers as
 * `login.microsoftonline.com` (and its aliases), and the three libraries reach it there:
 * authfold through {@link routedHttp}, MSAL Python and msal-node through the transports of
 * their common modules (given `public_hosts` by {@link entraInput}).
 *
 * Used by `packages/cache/src/interop/*.test.ts` and by `generate-fixtures.ts`.
 *
 * @module
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createHash } from 'node:crypto'
import { addTokenResponse, deserialize, emptyCache, memoryStore, type CacheState } from '@authfold/cache'
import { createConfidentialClient, type ConfidentialClient } from '@authfold/client'
import {
  ApiId,
  RefreshReason,
  clientSecret,
  httpError,
  parseAuthority,
  resolveAuthority,
  silentLogger,
  systemClock,
  timerSleep,
  webCryptoRandom,
  type GrantEnv,
  type HttpClient,
  type TokenResponse,
} from '@authfold/core'
import { clientCredentialsRequest, requestToken } from '@authfold/grants'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider, type IdentityProviderOptions, type RecordedRequest } from '@authfold/testing'

/**
 * The Python that has MSAL Python 1.21 (Debian's python3-msal).
 *
 * @category interop
 * @since 0.1.0
 */
export const PYTHON = process.env['AUTHFOLD_INTEROP_PYTHON'] ?? '/usr/bin/python3'

const HERE = fileURLToPath(new URL('.', import.meta.url))

/**
 * The registrations the interop runs use.
 *
 * @category interop
 * @since 0.1.0
 */
export const INTEROP = {
  publicClientId: 'a1b2c3d4-0000-4000-8000-00000000c11e',
  confidentialClientId: 'a1b2c3d4-0000-4000-8000-0000000000a9',
  username: 'alice@authfold.test',
  name: 'Alice Liddell',
  userScopes: ['User.Read'],
  appScopes: ['https://graph.authfold.test/.default'],
} as const

/**
 * A running IdP set up for interop runs, and what the scripts need to reach it.
 *
 * @category interop
 * @since 0.1.0
 */
export interface InteropIdp {
  readonly idp: IdentityProvider
  /** A file holding the IdP's CA (for `requests` and `NODE_EXTRA_CA_CERTS`). */
  readonly caFile: string
  /** Made at start, random; never logged. */
  readonly password: string
  readonly secret: string
  /** The user's object id. */
  readonly objectId: string
  /** `<oid>.<tid>`. */
  readonly homeAccountId: string
  readonly stop: () => Promise<void>
}

const randomText = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url')

/**
 * Starts an IdP with the interop registrations and writes its CA to a temporary file.
 * `options` go to the IdP (e.g. `publicHost`).
 *
 * @category interop
 * @since 0.1.0
 */
export const startInteropIdp = async (options: IdentityProviderOptions = {}): Promise<InteropIdp> => {
  // MSAL Python and msal-node reuse a client assertion; Entra accepts that, so accept it too.
  const idp = await startIdentityProvider({ rejectReplayedAssertions: false, ...options })
  const dir = await mkdtemp(join(tmpdir(), 'authfold-interop-'))
  const caFile = join(dir, 'ca.pem')
  await writeFile(caFile, idp.ca)
  const password = randomText()
  const secret = randomText()
  idp.registerClient({ clientId: INTEROP.publicClientId })
  idp.registerClient({ clientId: INTEROP.confidentialClientId, secret })
  const user = idp.registerUser({ username: INTEROP.username, password, name: INTEROP.name })
  return {
    idp,
    caFile,
    password,
    secret,
    objectId: user.objectId,
    homeAccountId: `${user.objectId}.${idp.tenantId}`,
    stop: async () => {
      await idp.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/**
 * What a script says about one call (never the token itself).
 *
 * @category interop
 * @since 0.1.0
 */
export interface CallOutcome {
  readonly ok: boolean
  readonly none?: boolean
  readonly error?: string
  readonly message?: string
  readonly error_codes?: ReadonlyArray<number>
  /** First 16 hex digits of the SHA-256 of the access token. */
  readonly access_token_hash?: string
  /** The access token returned was one of the cache the script was given. */
  readonly from_input_cache?: boolean
  /** msal-node's `fromCache`. */
  readonly from_cache?: boolean
  readonly has_id_token?: boolean
  readonly scope?: string
}

/**
 * What the scripts print.
 *
 * @category interop
 * @since 0.1.0
 */
export interface ScriptOutput {
  readonly msal_version?: string
  readonly msal_node_version?: string
  readonly cache: string
  readonly user?: CallOutcome
  readonly app?: CallOutcome
  readonly app_silent?: CallOutcome
  readonly app_for_client?: CallOutcome
  readonly accounts?: ReadonlyArray<Readonly<Record<string, string | null>>>
  /** The steps scripts' outcomes, one per step. */
  readonly results?: ReadonlyArray<StepOutcome>
}

/**
 * One step's outcome in the steps scripts (`silent` steps list the accounts seen).
 *
 * @category interop
 * @since 0.1.0
 */
export interface StepOutcome extends CallOutcome {
  readonly accounts?: ReadonlyArray<Readonly<Record<string, string | null>>>
}

/**
 * One step of `msal_python_steps.py` / `msal_node_steps.mjs`: a sign-in (`password`), a
 * silent call (`silent`, at the step's authority) or an on-behalf-of call (`obo`).
 *
 * @category interop
 * @since 0.1.0
 */
export interface Step {
  readonly op: 'password' | 'silent' | 'obo'
  readonly client_id: string
  readonly scopes: ReadonlyArray<string>
  readonly authority?: string
  readonly secret?: string
  readonly username?: string
  readonly password?: string
  readonly assertion?: string
  /** msal-node only: the tenant put in the account object handed to acquireTokenSilent. */
  readonly account_tenant?: string
  /** silent: MSAL Python's `force_refresh`, msal-node's `forceRefresh`. */
  readonly force_refresh?: boolean
}

/**
 * The scripts, by library and direction.
 *
 * @category interop
 * @since 0.1.0
 */
export type InteropScript =
  | 'msal_python_signin.py'
  | 'msal_python_silent.py'
  | 'msal_python_steps.py'
  | 'msal_node_signin.mjs'
  | 'msal_node_silent.mjs'
  | 'msal_node_steps.mjs'

/**
 * Runs one script with its input on stdin (secrets never in argv) and parses its output.
 * Rejects with the script's stderr (tail) when it fails.
 *
 * @category interop
 * @since 0.1.0
 */
export const runScript = (ctx: InteropIdp, script: InteropScript, input: Readonly<Record<string, unknown>>): Promise<ScriptOutput> =>
  new Promise((resolve, reject) => {
    const python = script.endsWith('.py')
    const child = execFile(
      python ? PYTHON : process.execPath,
      [join(HERE, script)],
      {
        cwd: HERE,
        timeout: 20_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, NODE_EXTRA_CA_CERTS: ctx.caFile, PYTHONDONTWRITEBYTECODE: '1' },
      },
      (error, stdout, stderr) => {
        if (error !== null) {
          reject(new Error(`${script} failed: ${error.message}\n${stderr.slice(-2000)}`))
          return
        }
        try {
          const parsed: unknown = JSON.parse(stdout)
          if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { cache?: unknown }).cache !== 'string')
            throw new Error('no cache in the output')
          resolve(parsed as ScriptOutput)
        } catch (e: unknown) {
          reject(new Error(`${script} printed no JSON result (${e instanceof Error ? e.message : String(e)}).\n${stderr.slice(-2000)}`))
        }
      },
    )
    child.stdin?.end(JSON.stringify({ authority: `${ctx.idp.url}/${ctx.idp.tenantId}`, host_port: ctx.idp.host, ca_file: ctx.caFile, ...input }))
  })

/**
 * The input of the sign-in scripts: the user (username/password) and the app (secret).
 *
 * @category interop
 * @since 0.1.0
 */
export const signInInput = (ctx: InteropIdp): Readonly<Record<string, unknown>> => ({
  public: { client_id: INTEROP.publicClientId, username: INTEROP.username, password: ctx.password, scopes: INTEROP.userScopes },
  confidential: { client_id: INTEROP.confidentialClientId, secret: ctx.secret, scopes: INTEROP.appScopes },
})

/**
 * The input of the silent scripts for a given cache.
 *
 * @category interop
 * @since 0.1.0
 */
export const silentInput = (ctx: InteropIdp, cache: string, options: { readonly forClient?: boolean } = {}): Readonly<Record<string, unknown>> => ({
  cache,
  public: { client_id: INTEROP.publicClientId, username: INTEROP.username, scopes: INTEROP.userScopes },
  confidential: { client_id: INTEROP.confidentialClientId, secret: ctx.secret, scopes: INTEROP.appScopes, for_client: options.forClient ?? true },
})

/**
 * The token requests (POSTs to a token endpoint) in a slice of the IdP's log, by grant type.
 *
 * @category interop
 * @since 0.1.0
 */
export const tokenRequests = (log: ReadonlyArray<RecordedRequest>): ReadonlyArray<string> =>
  log.filter((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token')).map((r) => r.form['grant_type'] ?? '')

/**
 * A slice of the IdP's log as `METHOD host path` lines (the `Host` header a client sent).
 *
 * @category interop
 * @since 0.1.0
 */
export const requestsAsked = (log: ReadonlyArray<RecordedRequest>): ReadonlyArray<string> =>
  log.map((r) => `${r.method} ${r.headers['host'] ?? ''} ${r.path}`)

/**
 * The `environment` of every entry of every section of a serialized cache, deduplicated, in
 * order of appearance.
 *
 * @category interop
 * @since 0.1.0
 */
export const environmentsOf = (json: string): ReadonlyArray<string> => {
  const sections = JSON.parse(json) as Record<string, Record<string, { readonly environment?: string }>>
  return [...new Set(Object.values(sections).flatMap((entries) => Object.values(entries).map((e) => e.environment ?? '')))]
}

/**
 * The cache environment MSAL Python 1.21 writes for the IdP: the authority's host *name*
 * (`urlparse(...).hostname`), without the port. msal-node and authfold write the host with
 * its port. On Entra (port 443) the two are the same string.
 *
 * @category interop
 * @since 0.1.0
 */
export const pythonEnvironment = (ctx: InteropIdp): string => new URL(ctx.idp.url).hostname

/**
 * The public host the Entra interop runs use.
 *
 * @category interop
 * @since 0.1.0
 */
export const ENTRA_HOST = 'login.microsoftonline.com'

/**
 * `https://login.microsoftonline.com/<tenant GUID>`: the authority of the Entra interop runs.
 *
 * @category interop
 * @since 0.1.0
 */
export const entraAuthority = (ctx: InteropIdp): string => `https://${ENTRA_HOST}/${ctx.idp.tenantId}`

/**
 * What the scripts need to run against {@link entraAuthority}: the authority, the hosts
 * their transports send to the IdP, and authority validation on (as an app on Entra has it).
 *
 * @category interop
 * @since 0.1.0
 */
export const entraInput = (ctx: InteropIdp): Readonly<Record<string, unknown>> => ({
  authority: entraAuthority(ctx),
  public_hosts: ctx.idp.publicHosts,
  validate_authority: true,
})

/**
 * authfold's HTTP for the interop runs: `nodeHttpClient` trusting the IdP's CA, where a
 * request for one of the IdP's public hosts (port 443) goes to the IdP's 127.0.0.1 port
 * with its `Host` header (and so its TLS server name) kept. A request for any other host
 * is refused without leaving the process: nothing reaches past 127.0.0.1.
 *
 * @category interop
 * @since 0.1.0
 */
export const routedHttp = (ctx: InteropIdp): HttpClient => {
  const http = nodeHttpClient({ ca: ctx.idp.ca, timeoutMs: 10_000 })
  return (request) => {
    const url = new URL(request.url)
    if (url.host === ctx.idp.host) return http(request)
    if (url.protocol === 'https:' && url.port === '' && ctx.idp.publicHosts.includes(url.hostname))
      return http({ ...request, url: `${ctx.idp.url}${url.pathname}${url.search}`, headers: { ...request.headers, host: url.hostname } })
    return () => Promise.resolve({ _tag: 'Left', left: httpError('network', request.url, `The interop runs reach only the local IdP, not ${url.host}.`) })
  }
}

const grantEnv = (ctx: InteropIdp): GrantEnv => ({
  http: routedHttp(ctx),
  now: systemClock,
  random: webCryptoRandom,
  sleep: timerSleep,
  log: silentLogger,
})

const must = async <A>(te: () => Promise<{ readonly _tag: 'Left'; readonly left: { readonly message: string } } | { readonly _tag: 'Right'; readonly right: A }>): Promise<A> => {
  const r = await te()
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right
}

/**
 * Where authfold sends a token request and files the answer.
 *
 * @category interop
 * @since 0.1.0
 */
export interface AuthfoldTarget {
  readonly tokenEndpoint: string
  /** The cache environment written. */
  readonly environment: string
  /** The environments read (the environment and its aliases). */
  readonly aliases: ReadonlyArray<string>
  readonly realm: string
}

/**
 * The target authfold's own authority discovery gives for {@link entraAuthority}
 * (`resolveAuthority` over {@link routedHttp}): the token endpoint, and the cache
 * environment, aliases and realm that `discovery.ts` decides.
 *
 * @category interop
 * @since 0.1.0
 */
export const entraTarget = async (ctx: InteropIdp): Promise<AuthfoldTarget> => {
  const authority = parseAuthority(entraAuthority(ctx))
  if (authority._tag === 'Left') throw new Error(authority.left.message)
  const resolved = await must(resolveAuthority(authority.right)(grantEnv(ctx)))
  return { tokenEndpoint: resolved.metadata.token_endpoint, environment: resolved.environment, aliases: resolved.aliases, realm: resolved.realm }
}

/**
 * authfold signs the user in over real HTTPS (the `password` grant through
 * `requestToken` and `nodeHttpClient`) and folds the answer into `cache` under
 * `environment`, as MSAL's ROPC does (scopes decorated with `openid profile offline_access`,
 * `client_info=1`).
 *
 * @category interop
 * @since 0.1.0
 */
export const authfoldSignIn = (ctx: InteropIdp, environment: string, cache: CacheState = emptyCache): Promise<CacheState> =>
  authfoldSignInAt(ctx, { tokenEndpoint: ctx.idp.tokenEndpoint(), environment, aliases: [environment], realm: ctx.idp.tenantId }, cache)

/**
 * {@link authfoldSignIn} at a given target (e.g. {@link entraTarget}).
 *
 * @category interop
 * @since 0.1.0
 */
export const authfoldSignInAt = async (ctx: InteropIdp, target: AuthfoldTarget, cache: CacheState = emptyCache): Promise<CacheState> => {
  const scopes = [...INTEROP.userScopes, 'openid', 'profile', 'offline_access']
  const response: TokenResponse = await must(
    requestToken(
      {
        tokenEndpoint: target.tokenEndpoint,
        clientId: INTEROP.publicClientId,
        fields: { grant_type: 'password', username: INTEROP.username, password: ctx.password, scope: scopes.join(' '), client_info: '1' },
      },
      undefined,
      { apiId: ApiId.acquireTokenByUsernamePassword, refreshReason: RefreshReason.nonSilentCall },
    )(grantEnv(ctx)),
  )
  return addTokenResponse({
    clientId: INTEROP.publicClientId,
    environment: target.environment,
    realm: target.realm,
    scopes,
    response,
    nowSeconds: Math.floor(Date.now() / 1000),
    grantType: 'password',
    username: INTEROP.username,
  })(cache)
}

/**
 * authfold gets an app token over real HTTPS (the `client_credentials` grant through
 * `requestToken`, client secret) and folds it into `cache` under `environment`.
 *
 * @category interop
 * @since 0.1.0
 */
export const authfoldAppToken = async (ctx: InteropIdp, environment: string, cache: CacheState = emptyCache): Promise<CacheState> => {
  const response: TokenResponse = await must(
    requestToken(
      { tokenEndpoint: ctx.idp.tokenEndpoint(), clientId: INTEROP.confidentialClientId, fields: clientCredentialsRequest({ scopes: INTEROP.appScopes }) },
      clientSecret(ctx.secret),
      { apiId: ApiId.acquireTokenForClient, refreshReason: RefreshReason.atAbsent },
    )(grantEnv(ctx)),
  )
  return addTokenResponse({
    clientId: INTEROP.confidentialClientId,
    environment,
    realm: ctx.idp.tenantId,
    scopes: INTEROP.appScopes,
    response,
    nowSeconds: Math.floor(Date.now() / 1000),
  })(cache)
}

/**
 * The confidential client facade (`createConfidentialClient`) gets an app token from the
 * IdP; its cache store's state is returned (the facade names the environment itself).
 *
 * @category interop
 * @since 0.1.0
 */
export const authfoldFacadeAppToken = async (ctx: InteropIdp): Promise<CacheState> => {
  const app = createConfidentialClient({
    clientId: INTEROP.confidentialClientId,
    authority: ctx.idp.authority(),
    credential: clientSecret(ctx.secret),
    http: nodeHttpClient({ ca: ctx.idp.ca, timeoutMs: 10_000 }),
    validateAuthority: false,
  })
  await app.acquireTokenForClient(INTEROP.appScopes)
  return must(app.cacheStore.load())
}

/**
 * The confidential client facade (`createConfidentialClient`) on {@link entraAuthority},
 * with authority validation on, over {@link routedHttp}, its store holding `cache`.
 *
 * @category interop
 * @since 0.1.0
 */
export const entraConfidentialClient = (ctx: InteropIdp, cache: CacheState = emptyCache): ConfidentialClient =>
  createConfidentialClient({
    clientId: INTEROP.confidentialClientId,
    authority: entraAuthority(ctx),
    credential: clientSecret(ctx.secret),
    http: routedHttp(ctx),
    cacheStore: memoryStore(cache),
  })

/**
 * The cache state of a client's store.
 *
 * @category interop
 * @since 0.1.0
 */
export const storedCache = (app: ConfidentialClient): Promise<CacheState> => must(app.cacheStore.load())

/**
 * A token's SHA-256 prefix: how tests and scripts compare tokens without printing them.
 *
 * @category interop
 * @since 0.1.0
 */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 16)

/**
 * Loads a cache JSON another library wrote, failing the test with the decode error's message.
 *
 * @category interop
 * @since 0.1.0
 */
export const readCache = (json: string): CacheState => {
  const r = deserialize(json)
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right
}
