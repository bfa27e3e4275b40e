/**
 * The effect interactive sign-in needs: something that receives the authorization
 * redirect. `@authfold/node` gives `loopbackListener` (a listener on 127.0.0.1 and the
 * system browser); a desktop shell or a test can give its own.
 *
 * @module
 */
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError } from '@authfold/core'

/**
 * What `acquireTokenInteractive` asks of a {@link RedirectListener}.
 *
 * @category model
 * @since 0.1.0
 */
export interface RedirectRequest {
  /** The `state` the sign-in URL carries; a redirect with another state is not the answer. */
  readonly state: string
  /** How long to wait for the user, milliseconds. */
  readonly timeoutMs: number
  /** A port to listen on (0 or absent: any free port). */
  readonly port?: number
  readonly signal?: AbortSignal
  /** Opens the browser at the sign-in URL (the listener's default when absent). */
  readonly opener?: (url: string) => Promise<void>
  /** The page shown after a sign-in. */
  readonly successPage?: string
  /** Starts the flow for the listener's redirect URI and gives the URL to open. */
  readonly authUri: (redirectUri: string) => Promise<string>
}

/**
 * Listens for the authorization redirect: opens the sign-in URL, waits for the redirect
 * carrying `state`, and answers its parameters (query or form_post), or a typed error
 * (timeout, abort, port taken).
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.authcode.AuthCodeReceiver`
 */
export type RedirectListener = (request: RedirectRequest) => TE.TaskEither<AuthError, { readonly params: Readonly<Record<string, string>> }>
