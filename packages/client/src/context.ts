/**
 * The client context: configuration checked once, the authority parsed once and resolved
 * at most once, the effects, the store and the one telemetry recorder. Both facades are
 * assemblies of method modules over it, and an app that wants the smallest bundle imports
 * the context and one method.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { memoizedAccessTokenLookup, memoryStore, reportingLookup, type AccessTokenFinder, type AccessTokenLookup, type CacheStore } from '@authfold/cache'
import {
  checkAzureRegion,
  checkRuntime,
  configError,
  parseAuthority,
  validateExcludeScopes,
  type AuthError,
  type Authority,
  type ClientAuth,
  type ConfigError,
  type GrantEnv,
  type ResolveAuthorityOptions,
  type ResolvedAuthority,
  type TokenResponse,
} from '@authfold/core'
import { cacheFirstHit, type AuthResult, type CacheFirstPolicy, type Federation, type Grant } from '@authfold/grants'
import { memoizedResolver } from './authorityResolver.js'
import { buildEnv, type EffectsConfig } from './env.js'
import { runGrant } from './runGrant.js'
import type { RedirectListener } from './redirectListener.js'
import { DEFAULT_CALL_TIMEOUT_MS, shareUnder, withCallLimits, type CallOptions } from './callLimits.js'
import { singleFlight, type SingleFlight } from './singleFlight.js'
import { checkClientId, checkCredential } from './configChecks.js'

/**
 * What both facades are configured with; keys are the camelCase of MSAL Python's
 * constructor arguments.
 *
 * @category model
 * @since 0.1.0
 */
export interface ClientConfig extends EffectsConfig, ResolveAuthorityOptions {
  /** The application (client) id of the app registration. */
  readonly clientId: string
  /** Default `https://login.microsoftonline.com/common/`. */
  readonly authority?: string
  /** A generic OpenID Connect issuer used instead of `authority` (MSAL's `oidc_authority`). */
  readonly oidcAuthority?: string
  /** Client capabilities such as `cp1`, sent as `xms_cc` claims. */
  readonly clientCapabilities?: ReadonlyArray<string>
  /** Reserved scopes user sign-ins leave out, e.g. `["offline_access"]` (MSAL's `exclude_scopes`; never `openid`). */
  readonly excludeScopes?: ReadonlyArray<string>
  /** Where tokens are kept. Default: in memory. */
  readonly cacheStore?: CacheStore
  /** The overall deadline of every public call, in milliseconds (each call can pass its own `timeoutMs`). Default 60,000. */
  readonly callTimeoutMs?: number
  /** Receives the authorization redirect for `acquireTokenInteractive` (`loopbackListener` from `@authfold/node`). */
  readonly redirectListener?: RedirectListener
  /** Signs federated (ADFS) users in for `acquireTokenByUsernamePassword`: `wsTrustFederation` from `@authfold/wstrust`. Without it a federated user is a `ConfigError`. */
  readonly federation?: Federation
}

/**
 * A client's context, built once by {@link clientContext}.
 *
 * @category model
 * @since 0.1.0
 */
export interface ClientContext {
  readonly clientId: string
  readonly clientCapabilities?: ReadonlyArray<string>
  /** Reserved scopes user sign-ins leave out (checked: no `openid`). */
  readonly excludeScopes?: ReadonlyArray<string>
  /** Receives the authorization redirect for interactive sign-in, when configured. */
  readonly redirectListener?: RedirectListener
  /** Signs federated users in, when configured (`federation` of {@link ClientConfig}). */
  readonly federation?: Federation
  /** The authority as configured, parsed. */
  readonly authority: Authority
  /** Resolves the authority on first use and keeps the answer (a failure is not kept). */
  readonly resolved: TE.TaskEither<AuthError, ResolvedAuthority>
  /** The client's access-token lookup, memoized per cache state (see `memoizedAccessTokenFinder`). */
  readonly findAccessTokens: AccessTokenFinder
  /** {@link ClientContext.findAccessTokens} uncurried (the same lookup and memo): what a cache hit calls. */
  readonly lookupAccessTokens: AccessTokenLookup
  /** The resolved authority once a resolution succeeded, synchronously; `undefined` before. */
  readonly resolvedNow: () => ResolvedAuthority | undefined
  /** The effects every grant of this client runs with (telemetry recorder included). */
  readonly env: GrantEnv
  readonly store: CacheStore
  /**
   * Runs a grant against the store with a call's environment: snapshot, grant, atomic
   * commit, nothing committed once `signal` fired (see `runGrant`).
   */
  readonly run: <A>(grant: Grant<A>, env: GrantEnv, signal?: AbortSignal) => TE.TaskEither<AuthError, A>
  /**
   * Runs one public call under its `signal` and deadline (see `withCallLimits`): `work`
   * gets the call's environment and signal.
   */
  readonly call: <A>(options: CallOptions | undefined, work: (env: GrantEnv, signal: AbortSignal) => TE.TaskEither<AuthError, A>) => TE.TaskEither<AuthError, A>
  /** The token requests in flight, shared by identical concurrent calls (single flight). */
  readonly flights: SingleFlight<TokenResponse>
}

/**
 * The context of a confidential client: it has a credential.
 *
 * @category model
 * @since 0.1.0
 */
export interface ConfidentialContext extends ClientContext {
  readonly credential: ClientAuth
}

/**
 * Checks a configuration and builds the context both facades share: a {@link ConfigError}
 * when it cannot work (no client id, a malformed authority). No I/O: the authority is
 * resolved on first use, or when `resolveAuthority()` is called.
 *
 * @category constructors
 * @since 0.1.0
 */
export const clientContext = (config: ClientConfig): E.Either<ConfigError, ClientContext> =>
  pipe(
    checkRuntime(globalThis),
    E.chain(() => checkClientId(config)),
    E.chain(() => checkAzureRegion(config.azureRegion)),
    E.chain(() => validateExcludeScopes(config.excludeScopes)),
    E.chain(() =>
      config.oidcAuthority !== undefined
        ? parseAuthority(config.oidcAuthority, { oidcAuthority: true })
        : parseAuthority(config.authority ?? 'https://login.microsoftonline.com/common/'),
    ),
    E.map((authority): ClientContext => {
      const flights = singleFlight<TokenResponse>()
      const effects = buildEnv(config, 5)
      const env: GrantEnv = { ...effects, share: shareUnder(effects, flights, new AbortController().signal) }
      const store = config.cacheStore ?? memoryStore()
      // resolveAuthority applies azureRegion itself (regional endpoints beside the central ones)
      const resolved = memoizedResolver(authority, config, env)
      const lookupAccessTokens = reportingLookup(memoizedAccessTokenLookup(), store)
      return {
        clientId: config.clientId,
        ...(config.clientCapabilities === undefined ? {} : { clientCapabilities: config.clientCapabilities }),
        ...(config.excludeScopes === undefined ? {} : { excludeScopes: config.excludeScopes }),
        ...(config.redirectListener === undefined ? {} : { redirectListener: config.redirectListener }),
        ...(config.federation === undefined ? {} : { federation: config.federation }),
        authority,
        resolved,
        resolvedNow: resolved.current,
        findAccessTokens: (q) => (s) => lookupAccessTokens(q, s),
        lookupAccessTokens,
        env,
        store,
        run: runGrant(store),
        call: withCallLimits(env, config.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, flights),
        flights,
      }
    }),
  )

/**
 * The context of a confidential client: {@link clientContext} plus a credential that works
 * (a key that is not a key is refused here, before any request).
 *
 * @category constructors
 * @since 0.1.0
 */
export const confidentialContext = (config: ClientConfig & { readonly credential: ClientAuth }): E.Either<ConfigError, ConfidentialContext> =>
  pipe(
    checkCredential(config.credential),
    E.chain((credential) =>
      pipe(
        clientContext(config),
        E.map((ctx) => ({ ...ctx, credential })),
      ),
    ),
  )

/**
 * The context of a public client (a desktop, mobile or CLI app): {@link clientContext},
 * refusing a credential, which a public client cannot keep secret.
 *
 * @category constructors
 * @since 0.1.0
 */
export const publicContext = (config: ClientConfig): E.Either<ConfigError, ClientContext> =>
  'credential' in config && (config as { readonly credential?: unknown }).credential !== undefined
    ? E.left(
        configError(
          'invalid_credential',
          'A public client takes no credential: it cannot keep a secret. Use createConfidentialClient for a web app, API or daemon.',
          'credential',
        ),
      )
    : clientContext(config)

/**
 * Runs one public call that needs the resolved authority (resolved once per client), under
 * the call's signal and deadline: `work` gets the authority and the call's environment.
 *
 * @category combinators
 * @since 0.1.0
 */
export const callWithAuthority = <A>(
  ctx: ClientContext,
  options: CallOptions | undefined,
  work: (authority: ResolvedAuthority, env: GrantEnv, signal: AbortSignal) => TE.TaskEither<AuthError, A>,
): TE.TaskEither<AuthError, A> =>
  ctx.call(options, (env, signal) =>
    pipe(
      ctx.resolved,
      TE.chain((authority) => work(authority, env, signal)),
    ),
  )

/**
 * Runs one public call of a grant: the grant the call builds from the resolved authority,
 * run against the store under the call's signal and deadline ({@link callWithAuthority}).
 * Every grant method module is this and its parameters.
 *
 * @category combinators
 * @since 0.1.0
 */
export const callGrant = <A>(
  ctx: ClientContext,
  options: CallOptions | undefined,
  grant: (authority: ResolvedAuthority, signal: AbortSignal) => Grant<A>,
): TE.TaskEither<AuthError, A> => callWithAuthority(ctx, options, (authority, env, signal) => ctx.run(grant(authority, signal), env, signal))

/**
 * A grant's cache-first policy for the resolved authority and a call's arguments (`undefined`
 * when it cannot be told up front): what {@link cacheHitNow} looks up. Its arguments are
 * passed one by one, so that a call builds no closure to ask for it.
 *
 * @category model
 * @since 0.1.0
 */
export type PolicyOf<A, B, C> = (authority: ResolvedAuthority, a: A, b: B, c: C) => CacheFirstPolicy | undefined

/**
 * The answer a cache-first call gives at once, if any: when the authority is resolved, the
 * store holds its state in memory (`peek`), the call is not cancelled, and `policyOf`
 * (the grant's cache-first policy for that authority and the arguments `a`, `b`, `c`)
 * finds a fresh token, that token's result, the hit logged and counted as `cacheFirst`
 * logs and counts it; `undefined` otherwise (run the grant: {@link runCacheFirst}).
 *
 * @category combinators
 * @since 0.1.0
 */
export const cacheHitNow = <A, B, C>(ctx: ClientContext, options: CallOptions | undefined, policyOf: PolicyOf<A, B, C>, a: A, b: B, c: C): AuthResult | undefined => {
  const authority = ctx.resolvedNow()
  const state = ctx.store.peek?.()
  if (authority === undefined || state === undefined || options?.signal?.aborted === true) return undefined
  const known = policyOf(authority, a, b, c)
  const hit = known === undefined ? undefined : cacheFirstHit(known, ctx.env.now() / 1000, ctx.lookupAccessTokens, state)
  if (hit !== undefined) {
    ctx.env.log('info', 'Answered from the token cache', false)
    ctx.env.telemetry?.hit()
  }
  return hit
}

/**
 * What a cache-first call does when {@link cacheHitNow} had no answer: the grant, run as
 * {@link callGrant} runs it, and `recover` (when given) may turn its failure into an answer.
 *
 * @category combinators
 * @since 0.1.0
 */
export const runCacheFirst = <A>(
  ctx: ClientContext,
  options: CallOptions | undefined,
  grant: (authority: ResolvedAuthority, signal: AbortSignal) => Grant<A>,
  recover?: (e: AuthError) => E.Either<AuthError, A | AuthResult>,
): Promise<E.Either<AuthError, A | AuthResult>> => {
  const answer = callGrant<A | AuthResult>(ctx, options, grant)()
  return recover === undefined ? answer : answer.then((r) => (E.isLeft(r) ? recover(r.left) : r))
}

/**
 * {@link callGrant} for a cache-first grant, with a synchronous answer for cache hits: when
 * the authority is resolved, the store holds its state in memory (`peek`), and `policy`
 * (the grant's cache-first policy for that authority, `undefined` when it cannot be told
 * up front) finds a fresh token, the call answers it at once, as `cacheFirst` would (the
 * hit logged and counted), with no deadline timer, no task chain and no commit
 * ({@link cacheHitNow}). Anything else runs the grant, and `recover` (when given) may turn
 * that run's failure into an answer (a hit never fails, so it never needs one).
 *
 * @category combinators
 * @since 0.1.0
 */
export const callCacheFirst =
  <A>(
    ctx: ClientContext,
    options: CallOptions | undefined,
    policy: (authority: ResolvedAuthority) => CacheFirstPolicy | undefined,
    grant: (authority: ResolvedAuthority, signal: AbortSignal) => Grant<A>,
    recover?: (e: AuthError) => E.Either<AuthError, A | AuthResult>,
  ): TE.TaskEither<AuthError, A | AuthResult> =>
  () => {
    const hit = cacheHitNow(ctx, options, applyPolicy, policy, undefined, undefined)
    // the grant's task chain is built only here: a hit (the common call) never needs it
    return hit !== undefined ? Promise.resolve(E.right(hit)) : runCacheFirst(ctx, options, grant, recover)
  }

const applyPolicy: PolicyOf<(authority: ResolvedAuthority) => CacheFirstPolicy | undefined, undefined, undefined> = (authority, policy) => policy(authority)

/**
 * The parameters every grant takes from the client: its id, and its `excludeScopes` and
 * `clientCapabilities` when configured.
 *
 * @category utils
 * @since 0.1.0
 */
export const clientParams = (
  ctx: ClientContext,
): { readonly clientId: string; readonly excludeScopes?: ReadonlyArray<string>; readonly clientCapabilities?: ReadonlyArray<string> } => ({
  clientId: ctx.clientId,
  ...(ctx.excludeScopes === undefined ? {} : { excludeScopes: ctx.excludeScopes }),
  ...(ctx.clientCapabilities === undefined ? {} : { clientCapabilities: ctx.clientCapabilities }),
})
