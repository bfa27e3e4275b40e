/**
 * Interactive sign-in for desktop and CLI apps: the authorization code flow with PKCE,
 * answered on a loopback listener.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { base64url, type AuthError } from '@authfold/core'
import { acquireTokenByAuthCodeFlow, initiateAuthCodeFlow, type CallOptions, type ClientContext, type InitiateAuthCodeFlowOptions } from '@authfold/client'
import { loopbackRedirect } from '../loopback/loopbackRedirect.js'
import { systemBrowser } from './systemBrowser.js'

/** The flow `initiateAuthCodeFlow` gives and `acquireTokenByAuthCodeFlow` takes. */
type Flow = Parameters<ReturnType<typeof acquireTokenByAuthCodeFlow>>[0]

/**
 * Options of {@link acquireTokenInteractive}.
 *
 * @category model
 * @since 0.1.0
 */
export interface AcquireTokenInteractiveOptions
  extends CallOptions,
    Pick<InitiateAuthCodeFlowOptions, 'prompt' | 'loginHint' | 'domainHint' | 'claimsChallenge' | 'maxAge' | 'responseMode'> {
  /** The loopback port. Default: one the system picks (the redirect URI is `http://localhost:<port>`). */
  readonly port?: number
  /** Opens the browser at the sign-in URL. Default {@link systemBrowser}. */
  readonly opener?: (url: string) => Promise<void>
  /** How long to wait for the user, milliseconds. Default 300,000 (MSAL Python's is unbounded). */
  readonly timeoutMs?: number
  /** The page the browser shows after a sign-in. */
  readonly successPage?: string
}

/**
 * Signs a user in through the system browser: a listener on 127.0.0.1 (redirect URI
 * `http://localhost:<port>`, as MSAL uses), `initiateAuthCodeFlow` with that redirect URI,
 * the browser opened at its URL through `opener`, the redirect awaited (query or form_post;
 * an answer with another state is ignored), then `acquireTokenByAuthCodeFlow`. The listener
 * is closed whatever happens; a timeout, an abort, a declined sign-in or a port already taken
 * is a typed error, and the cache changes only with a sign-in that passed every check.
 *
 * @example
 * const ctx = orThrow(publicContext({ clientId, authority }))
 * const result = await toPromise(acquireTokenInteractive(ctx)(['User.Read']))
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `PublicClientApplication.acquire_token_interactive`
 */
export const acquireTokenInteractive =
  (ctx: ClientContext) =>
  (scopes: ReadonlyArray<string>, options: AcquireTokenInteractiveOptions = {}) => {
    const { port, opener, timeoutMs, successPage, signal, ...flowOptions } = options
    const state = base64url(ctx.env.random(18))
    const wait = timeoutMs ?? 300_000
    let started: Flow | undefined
    return pipe(
      loopbackRedirect({
        timeoutMs: wait,
        state,
        opener: opener ?? systemBrowser,
        ...(port === undefined ? {} : { port }),
        ...(signal === undefined ? {} : { signal }),
        ...(successPage === undefined ? {} : { successPage }),
        authUri: async (redirectUri) => {
          const flow = await initiateAuthCodeFlow(ctx)(scopes, { ...flowOptions, redirectUri, state, ...(signal === undefined ? {} : { signal }) })()
          if (flow._tag === 'Left') throw flow.left
          started = flow.right
          return flow.right.auth_uri
        },
      }),
      TE.chain((response) =>
        started === undefined
          ? TE.left<AuthError, never>({ _tag: 'ValidationError', code: 'state_mismatch', message: 'The sign-in answered before it started. Try again.' })
          : acquireTokenByAuthCodeFlow(ctx)(started, response.params, signal === undefined ? {} : { signal }),
      ),
    )
  }
