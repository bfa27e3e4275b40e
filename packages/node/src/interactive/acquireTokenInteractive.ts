/**
 * Interactive sign-in for desktop and CLI apps on Node: the client's
 * `acquireTokenInteractive` with a loopback listener.
 *
 * @module
 */
import { acquireTokenInteractive as acquireTokenInteractiveWith, type ClientContext, type RedirectListener } from '@authfold/client'
import { loopbackRedirect } from '../loopback/loopbackRedirect.js'
import { systemBrowser } from './systemBrowser.js'

/**
 * The {@link RedirectListener} for Node: a listener on 127.0.0.1 (redirect URI
 * `http://localhost:<port>`, as MSAL uses) that opens the sign-in URL with the request's
 * `opener`, or the system browser ({@link systemBrowser}), and waits for the redirect
 * (query or form_post). Give it to a public client as `redirectListener`.
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
 * @category interactive
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.authcode.AuthCodeReceiver`
 */
export const loopbackListener: RedirectListener = (request) => loopbackRedirect({ ...request, opener: request.opener ?? systemBrowser })

/**
 * `acquireTokenInteractive` on a client context, with {@link loopbackListener} unless the
 * context has a listener of its own: the authorization code flow with PKCE, answered on a
 * loopback listener. See the client's `acquireTokenInteractive` for the options and errors.
 *
 * @example
 * ```ts
 * import { orThrow, publicContext, toPromise } from '@authfold/client'
 * import { acquireTokenInteractive } from '@authfold/node'
 *
 * declare const clientId: string, authority: string
 * const ctx = orThrow(publicContext({ clientId, authority }))
 * const result = await toPromise(acquireTokenInteractive(ctx)(['User.Read']))
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `PublicClientApplication.acquire_token_interactive`
 */
export const acquireTokenInteractive = (ctx: ClientContext) => acquireTokenInteractiveWith(ctx, ctx.redirectListener ?? loopbackListener)
