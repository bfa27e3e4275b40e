/**
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError } from '@authfold/core'
import { initiateAuthCodeFlow as initiate, type AuthCodeFlow, type ResponseMode } from '@authfold/grants'
import { callWithAuthority, clientParams, type ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Options of `initiateAuthCodeFlow`: MSAL Python's keyword arguments, camelCased.
 *
 * @category model
 * @since 0.1.0
 */
export interface InitiateAuthCodeFlowOptions extends CallOptions {
  /** Where the answer goes (registered with the app). Default: the registered one. */
  readonly redirectUri?: string
  /** A state of your own. Default: 16 random letters. */
  readonly state?: string
  /** `login`, `consent`, `select_account`, `none`, `create`. */
  readonly prompt?: string
  readonly loginHint?: string
  readonly domainHint?: string
  /** A claims challenge from a resource (merged with the client's capabilities). */
  readonly claimsChallenge?: string
  /** Seconds a sign-in may be old; the id_token's `auth_time` is checked against it. */
  readonly maxAge?: number
  /** `query` (default) or `form_post`. */
  readonly responseMode?: ResponseMode
}

/**
 * Starts a sign-in: the flow to keep in the session (plain JSON) and its `auth_uri` to
 * send the browser to. Scopes are decorated (`openid profile offline_access`, minus the
 * client's `excludeScopes`); PKCE, state and nonce are made here.
 *
 * @example
 * ```ts
 * import type { ConfidentialClient } from '@authfold/client'
 * import type { AuthCodeFlow } from '@authfold/grants'
 *
 * declare const app: ConfidentialClient
 * declare const req: { session: { flow?: AuthCodeFlow } }, res: { redirect: (url: string) => void }
 * const flow = await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: 'https://app.example/callback' })
 * req.session.flow = flow
 * res.redirect(flow.auth_uri)
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.initiate_auth_code_flow`
 */
export const initiateAuthCodeFlow =
  (ctx: ClientContext) =>
  (scopes: ReadonlyArray<string>, options: InitiateAuthCodeFlowOptions = {}): TE.TaskEither<AuthError, AuthCodeFlow> => {
    const { signal: _signal, timeoutMs: _timeoutMs, ...params } = options
    return callWithAuthority(ctx, options, (authority, env) => initiate({ ...clientParams(ctx), authority, scopes, ...params })(env))
  }
