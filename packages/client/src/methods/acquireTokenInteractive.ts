/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import { base64url, configError, type AuthError } from '@authfold/core'
import type { UserAuthResult } from '@authfold/grants'
import type { ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'
import type { RedirectListener } from '../redirectListener.js'
import { acquireTokenByAuthCodeFlow } from './acquireTokenByAuthCodeFlow.js'
import { initiateAuthCodeFlow, type InitiateAuthCodeFlowOptions } from './initiateAuthCodeFlow.js'

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
  /** Opens the browser at the sign-in URL. Default: the listener's (the system browser for `loopbackListener`). */
  readonly opener?: (url: string) => Promise<void>
  /** How long to wait for the user, milliseconds. Default 300,000 (MSAL Python's is unbounded). */
  readonly timeoutMs?: number
  /** The page the browser shows after a sign-in. */
  readonly successPage?: string
}

/**
 * Signs a user in through a browser: the redirect listener (`ctx.redirectListener`, or
 * `listener`) gives a redirect URI, `initiateAuthCodeFlow` starts the flow for it, the
 * browser is opened at its URL, the redirect is awaited (an answer with another state is
 * ignored), then `acquireTokenByAuthCodeFlow` redeems the code with PKCE. A timeout, an
 * abort, a declined sign-in or a port already taken is a typed error, and the cache changes
 * only with a sign-in that passed every check. Without a listener it is a `ConfigError`
 * saying to pass `redirectListener: loopbackListener` from `@authfold/node`.
 *
 * @example
 * ```ts
 * import { createPublicClient } from '@authfold/client'
 * import { loopbackListener } from '@authfold/node'
 *
 * declare const clientId: string, authority: string
 * const app = createPublicClient({ clientId, authority, redirectListener: loopbackListener })
 * const result = await app.acquireTokenInteractive(['User.Read'])
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `PublicClientApplication.acquire_token_interactive`
 */
export const acquireTokenInteractive =
  (ctx: ClientContext, listener: RedirectListener | undefined = ctx.redirectListener) =>
  (scopes: ReadonlyArray<string>, options: AcquireTokenInteractiveOptions = {}): TE.TaskEither<AuthError, UserAuthResult> => {
    if (listener === undefined)
      return TE.left(
        configError(
          'invalid_argument',
          'acquireTokenInteractive needs a redirect listener: pass redirectListener: loopbackListener from @authfold/node to createPublicClient (or a listener of your own).',
          'redirectListener',
        ),
      )
    const { port, opener, timeoutMs, successPage, signal, ...flowOptions } = options
    return () => {
      const state = base64url(ctx.env.random(18))
      let started: Flow | undefined
      return pipe(
        listener({
          state,
          timeoutMs: timeoutMs ?? 300_000,
          ...(port === undefined ? {} : { port }),
          ...(signal === undefined ? {} : { signal }),
          ...(opener === undefined ? {} : { opener }),
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
      )()
    }
  }
