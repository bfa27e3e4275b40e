/**
 * The fault suite's harness: one local identity provider per fault file, a seeded cache,
 * a strict logger, a watch on unhandled rejections, and `runFaultCase`, which runs one grant
 * (see `grants.testkit.ts`) with one fault injected and collects everything the checks
 * need: the outcome, the cache before and after, the attempts the IdP saw, the log lines.
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterAll, beforeAll, expect } from 'vitest'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { clientSecret, makeClientAuth, type ClientAuth, type LogLevel, type Logger } from '@authfold/core'
import { nodeHttpClient, type NodeHttpClientOptions } from '@authfold/node'
import { managedIdentityRoute, selfSignedCertificate, startIdentityProvider, type Fault, type FaultScope, type GeneratedCertificate, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient } from '../confidentialClient.js'
import type { AuthFailure } from '../failure.js'
import type { CallOptions } from '../callLimits.js'

/**
 * The client secret registered for `app-secret`: it must never be seen.
 *
 * @category testing
 * @since 0.1.0
 */
export const SECRET = 'fault-suite-secret-Vx7!q'
/**
 * The scope every faulted call asks for (never in the seeded cache).
 *
 * @category testing
 * @since 0.1.0
 */
export const SCOPE = 'api://faults/.default'

/**
 * The user the user-token grants sign in, and their password (never in any error or log).
 *
 * @category testing
 * @since 0.1.0
 */
export const FAULT_USER = 'faults-user@authfold.test'
/**
 * @category testing
 * @since 0.1.0
 */
export const FAULT_PASSWORD = 'fault-suite-password-Qz9!'

/**
 * A user of a federated domain (the IdP's AD FS-like STS): signs in over WS-Trust with
 * {@link FAULT_PASSWORD}.
 *
 * @category testing
 * @since 0.1.0
 */
export const FAULT_FEDERATED_USER = 'faults-user@faults-federated.test'

/**
 * The App Service `IDENTITY_HEADER` the IdP's managed identity route expects (a secret: it must never be seen).
 *
 * @category testing
 * @since 0.1.0
 */
export const FAULT_IDENTITY_HEADER = 'fault-suite-identity-header-Wq3!'

/**
 * What a fault file shares between its cases.
 *
 * @category testing
 * @since 0.1.0
 */
export interface FaultWorld {
  readonly idp: IdentityProvider
  readonly cert: GeneratedCertificate
  /** A cache (one app token of another scope) every grant's client starts from. */
  readonly seedCache: string
  /** Strings that must appear in no error and no log line (secret, key, assertions, tokens); grows as cases run. */
  readonly secrets: Set<string>
  /** Unhandled rejections seen since the file started. */
  readonly rejections: ReadonlyArray<unknown>
  /** The transport options every client gets. */
  readonly transport: NodeHttpClientOptions
  /** Wraps a credential so that every secret value it sends is added to {@link FaultWorld.secrets}. */
  readonly recorded: (credential: ClientAuth) => ClientAuth
  /** A fresh tag for one case's client (its `x-app-name`). */
  readonly nextTag: () => string
  /** The folder the IdP's Azure Arc agent writes its key files to (removed afterAll). */
  readonly arcKeyFolder: string
}

/**
 * Starts the world of one fault file (beforeAll) and stops it (afterAll); the returned
 * function gives it to tests. `timeoutMs` is the transport's deadline (default 5,000).
 *
 * @category testing
 * @since 0.1.0
 */
export const useFaultWorld = (options: { readonly timeoutMs?: number } = {}): (() => FaultWorld) => {
  let world: FaultWorld | undefined
  const rejections: Array<unknown> = []
  const onRejection = (reason: unknown): void => void rejections.push(reason)
  beforeAll(async () => {
    process.on('unhandledRejection', onRejection)
    const [idp, cert] = await Promise.all([startIdentityProvider(), selfSignedCertificate({ commonName: 'authfold-fault-suite' })])
    idp.registerClient({ clientId: 'app-secret', secret: SECRET })
    idp.registerClient({ clientId: 'app-cert', certificate: { certificatePem: cert.certificatePem } })
    idp.registerClient({ clientId: 'app-assertion', certificate: { certificatePem: cert.certificatePem } })
    idp.registerClient({ clientId: 'public-app' })
    idp.registerUser({ username: FAULT_USER, password: FAULT_PASSWORD, name: 'Fault User' })
    idp.registerUser({ username: FAULT_FEDERATED_USER, password: FAULT_PASSWORD, name: 'Fault Federated User' })
    idp.wsTrust.addFederatedDomain({ domain: 'faults-federated.test' })
    const arcKeyFolder = mkdtempSync(join(tmpdir(), 'authfold-faults-arc-'))
    idp.addRoute(managedIdentityRoute(FAULT_IDENTITY_HEADER, { arcKeyFolder }))
    const secrets = new Set<string>([SECRET, FAULT_PASSWORD, FAULT_IDENTITY_HEADER, ...keyLines(cert.privateKeyPem)])
    const transport: NodeHttpClientOptions = { ca: idp.ca, timeoutMs: options.timeoutMs ?? 5_000 }
    const recorded = (credential: ClientAuth): ClientAuth =>
      makeClientAuth(credential.kind, (context) =>
        pipe(
          credential(context),
          TE.map((params) => {
            for (const [name, value] of Object.entries(params.fields)) if (name !== 'client_id' && name !== 'client_assertion_type') secrets.add(value)
            for (const value of Object.values(params.headers)) secrets.add(value)
            return params
          }),
        ),
      )
    const seed = createConfidentialClient({
      clientId: 'app-secret',
      authority: idp.authority(),
      credential: clientSecret(SECRET),
      http: nodeHttpClient(transport),
      validateAuthority: false,
    })
    secrets.add((await seed.acquireTokenForClient(['api://seed/.default'])).access_token)
    let cases = 0
    const nextTag = (): string => `fault-case-${++cases}`
    world = { idp, cert, seedCache: await seed.serializeCache(), secrets, rejections, transport, recorded, nextTag, arcKeyFolder }
  })
  afterAll(async () => {
    process.off('unhandledRejection', onRejection)
    await world?.idp.stop()
    if (world !== undefined) rmSync(world.arcKeyFolder, { recursive: true, force: true })
    expect(rejections).toEqual([])
  })
  return () => {
    if (world === undefined) throw new Error('The fault world is used before beforeAll ran.')
    return world
  }
}

/** The base64 lines of a PEM key: none of them may leak. */
const keyLines = (pem: string): ReadonlyArray<string> => pem.split('\n').filter((l) => l.length >= 32 && !l.startsWith('-----'))

/**
 * What a grant answers when it succeeds, reduced to what the checks need.
 *
 * @category testing
 * @since 0.1.0
 */
export interface GrantOutcome {
  /** The access token returned, for token grants. */
  readonly accessToken?: string
  /** Where it came from (`identity_provider`, `cache`), for token grants. */
  readonly source?: string
}

/**
 * A client built by a grant's `setup`, its cache loaded with the seed.
 *
 * @category testing
 * @since 0.1.0
 */
export interface GrantCall {
  /** Runs the grant once through the Promise facade (rejects with an AuthFailure). */
  readonly call: (options?: CallOptions) => Promise<GrantOutcome>
  readonly serializeCache: () => Promise<string>
}

/**
 * What one case gives the client it builds: a tag its requests carry as `x-app-name`
 * (`libraryInfo.appName`), so that faults and counts apply to this case alone (cases run
 * concurrently), and a logger (personal data included) whose lines the case checks.
 *
 * @category testing
 * @since 0.1.0
 */
export interface CaseContext {
  readonly tag: string
  readonly logger: Logger
}

/**
 * One entry of the grants table: how to build a client and call the grant, where its
 * faults are injected, and what MSAL's retry rules do with its faulted request.
 *
 * @category testing
 * @since 0.1.0
 */
export interface FaultGrant {
  readonly name: string
  /**
   * The endpoint whose answer the faults replace: the grant's token POST, its first
   * discovery GET, its device authorization POST, its user realm GET, or a managed
   * identity source's GET.
   */
  readonly on: 'token' | 'discovery' | 'devicecode' | 'userrealm' | 'managedidentity'
  /** A failed attempt of the faulted request is sent once more (a GET; a POST with `retryPosts`). */
  readonly retried: boolean
  /**
   * The managed identity source a `'managedidentity'` entry asks. IMDS resends its request
   * after a 404, 408, 410, 429 or 5xx answer, up to {@link IMDS_STATUS_RETRIES} times (its
   * backoffs pass at once in the suite), and never after a connection error or a timeout;
   * the other sources send it once. No source's answer is throttled.
   */
  readonly managedIdentity?: ManagedIdentityFaultSource
  /** The JWTs the faulted answer carries. */
  readonly jwts: ReadonlyArray<'access_token' | 'id_token'>
  /** The path of the faulted request, to count attempts in `idp.requests`. */
  readonly faultedPath: (idp: IdentityProvider) => string
  /**
   * Narrows the faulted requests at that path by a header's presence: Azure Arc's token
   * round carries `Authorization` (its challenge round, which does not, has its own file,
   * `arcChallenge.test.ts`). Attempts count only those requests.
   */
  readonly faultedScope?: Pick<FaultScope, 'carrying' | 'lacking'>
  /** A client ready to call, its cache loaded with the seed, built with the case's tag and logger. */
  readonly setup: (world: FaultWorld, kase: CaseContext) => Promise<GrantCall>
}

/**
 * The managed identity sources in the suite.
 *
 * @category testing
 * @since 0.1.0
 */
export type ManagedIdentityFaultSource = 'imds' | 'appService' | 'serviceFabric' | 'machineLearning' | 'cloudShell' | 'arc'

/**
 * The typed error a managed identity source's client makes of an answer at `status` carrying
 * Entra's OAuth error body (`error`), as each source reads errors (MSAL Python's mapping):
 * IMDS, Cloud Shell and Azure Arc read `error` as it is; App Service reads only its own shape
 * (`statusCode`, `message`), so the status stays an HttpError; Azure ML maps every error to
 * `invalid_scope`, Service Fabric an unknown code to `invalid_request`.
 *
 * @category testing
 * @since 0.1.0
 */
export const managedIdentityErrorOf = (source: ManagedIdentityFaultSource, status: number, error: string): Readonly<Record<string, unknown>> =>
  source === 'appService'
    ? { _tag: 'HttpError', code: 'status', status }
    : { _tag: 'ProtocolError', status, error: source === 'machineLearning' ? 'invalid_scope' : source === 'serviceFabric' ? 'invalid_request' : error }

/**
 * The typed error of a 200 answer without `access_token`: a DecodeError naming the field,
 * except for Azure ML and Service Fabric, whose every answer without a token is their error
 * (`invalid_scope`, `invalid_request`), as MSAL Python reads them.
 *
 * @category testing
 * @since 0.1.0
 */
export const managedIdentityMissingToken = (source: ManagedIdentityFaultSource): Readonly<Record<string, unknown>> =>
  source === 'machineLearning' || source === 'serviceFabric'
    ? managedIdentityErrorOf(source, 200, '')
    : { _tag: 'DecodeError', code: 'invalid_shape', path: 'access_token', actual: 'nothing' }

/**
 * How many times IMDS resends a request answered with a status it retries (MSAL's IMDS retry policy).
 *
 * @category testing
 * @since 0.1.0
 */
export const IMDS_STATUS_RETRIES = 3

/**
 * Everything one faulted call left behind.
 *
 * @category testing
 * @since 0.1.0
 */
export interface FaultCase {
  /** The case's tag: its client's requests carry it as `x-app-name`. */
  readonly tag: string
  readonly result?: GrantOutcome
  readonly failure?: AuthFailure
  /** The cache serialized before and after the call. */
  readonly before: string
  readonly after: string
  /** Requests of this case's client the IdP received at the grant's faulted path during the call. */
  readonly attempts: number
  /** The same count, now (after more calls of the client). */
  readonly countAttempts: () => number
  /** Log lines written during the call. */
  readonly lines: ReadonlyArray<string>
  readonly elapsedMs: number
  /** The client, for a second call. */
  readonly client: GrantCall
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20))

/**
 * Runs `grant` once with `fault` injected for `times` requests of this case's client at the
 * grant's endpoint (an unused rest of them stays with the case's tag, inert). With
 * `abortOnArrival`, the call's AbortSignal fires as soon as the faulted request reached
 * the IdP.
 *
 * @category testing
 * @since 0.1.0
 */
export const runFaultCase = async (
  world: FaultWorld,
  grant: FaultGrant,
  fault: Fault,
  times = 1,
  options: CallOptions & { readonly abortOnArrival?: boolean } = {},
): Promise<FaultCase> => {
  const tag = world.nextTag()
  const lines: Array<string> = []
  const logger: Logger = (level: LogLevel, message: string) => void lines.push(`${level} ${message}`)
  const client = await grant.setup(world, { tag, logger })
  const before = await client.serializeCache()
  const scope = grant.faultedScope ?? {}
  world.idp.inject(fault, times, { endpoint: grant.on, header: ['x-app-name', tag], ...scope })
  const path = grant.faultedPath(world.idp)
  const inScope = (headers: Readonly<Record<string, string>>): boolean =>
    (scope.carrying === undefined || headers[scope.carrying] !== undefined) && (scope.lacking === undefined || headers[scope.lacking] === undefined)
  const countAttempts = (): number => world.idp.requests.filter((r) => r.path === path && r.headers['x-app-name'] === tag && inScope(r.headers)).length
  const { abortOnArrival, ...callOptions } = options
  const controller = new AbortController()
  const watch = abortOnArrival === true ? setInterval(() => countAttempts() > 0 && controller.abort(), 5) : undefined
  const started = Date.now()
  const outcome = await client.call(watch === undefined ? callOptions : { ...callOptions, signal: controller.signal }).then(
    (result): Pick<FaultCase, 'result' | 'failure'> => ({ result }),
    (failure: AuthFailure): Pick<FaultCase, 'result' | 'failure'> => ({ failure }),
  )
  const elapsedMs = Date.now() - started
  clearInterval(watch)
  const after = await client.serializeCache()
  const attempts = countAttempts()
  await settle()
  if (outcome.result?.accessToken !== undefined) world.secrets.add(outcome.result.accessToken)
  return { ...outcome, tag, before, after, attempts, countAttempts, lines: [...lines], elapsedMs, client }
}

/** A JWT, or the start of one (`eyJ` is `{"` in base64url). */
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{6,}/

/**
 * Asserts that no secret, key, assertion or token appears in the failure (message,
 * `String`, `JSON.stringify`, `util.inspect` at depth 10) or in any log line of the case.
 *
 * @category testing
 * @since 0.1.0
 */
export const expectNothingLeaked = (world: Pick<FaultWorld, 'secrets' | 'rejections'>, c: Pick<FaultCase, 'failure' | 'lines'>): void => {
  const texts = [...c.lines]
  if (c.failure !== undefined)
    texts.push(c.failure.message, String(c.failure), JSON.stringify(c.failure), JSON.stringify(c.failure.authError), inspect(c.failure, { depth: 10 }))
  const all = texts.join('\n')
  for (const secret of world.secrets) if (secret.length >= 8) expect(all.includes(secret), `a secret of ${secret.length} characters leaked`).toBe(false)
  expect(all).not.toMatch(JWT_LIKE)
  expect(world.rejections).toEqual([])
}

const AUTH_ERROR_TAGS = ['HttpError', 'ProtocolError', 'DecodeError', 'ValidationError', 'ConfigError', 'CacheError']

/**
 * Asserts a typed failure matching `expected`, whose message says what to do next, the
 * cache byte-identical, nothing leaked and no unhandled rejection.
 *
 * @category testing
 * @since 0.1.0
 */
export const expectTypedFailure = (
  world: Pick<FaultWorld, 'secrets' | 'rejections'>,
  c: Pick<FaultCase, 'result' | 'failure' | 'lines' | 'before' | 'after'>,
  expected: Readonly<Record<string, unknown>>,
): void => {
  expect(c.result, 'the call should have failed').toBeUndefined()
  expect(c.failure).toBeInstanceOf(Error)
  expect(AUTH_ERROR_TAGS).toContain(c.failure?.authError._tag)
  expect(c.failure?.authError).toMatchObject(expected)
  expect(c.failure?.name).toBe(c.failure?.authError._tag)
  expect(c.failure?.message).toMatch(/^[A-Z].{30,}[.)]$/s) // whole sentences, not a bare code
  expect(c.after).toBe(c.before)
  expectNothingLeaked(world, c)
}

/**
 * Asserts that the call succeeded (the documented retry, or an answer MSAL accepts), with
 * nothing leaked in its log lines and no unhandled rejection.
 *
 * @category testing
 * @since 0.1.0
 */
export const expectSuccess = (world: Pick<FaultWorld, 'secrets' | 'rejections'>, c: Pick<FaultCase, 'result' | 'failure' | 'lines'>): GrantOutcome => {
  expect(c.failure?.authError, 'the call should have succeeded').toBeUndefined()
  expectNothingLeaked(world, c)
  return c.result ?? {}
}
