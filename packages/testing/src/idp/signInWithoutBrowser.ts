/**
 * A user signing in on the local IdP's sign-in page without a browser: the authorize URL
 * fetched, the form read and submitted over real HTTPS, and what the redirect URI would
 * receive returned (the query of a 302, or the fields of a form_post page). For tests that
 * need a real code (the fault suite) but no Chromium.
 *
 * @module
 */
import * as https from 'node:https'
import { identityProviderRoute, type RoutableIdentityProvider } from './routeToIdentityProvider.js'

/**
 * What {@link signInWithoutBrowser} needs.
 *
 * @category idp
 * @since 0.1.0
 */
export interface SignInWithoutBrowserOptions {
  /** The authorize URL (a flow's `auth_uri`) on the local IdP. */
  readonly authUri: string
  readonly username: string
  readonly password: string
  /** The IdP's CA (`idp.ca`): the requests are real HTTPS. */
  readonly ca: string
  /** `'signin'` (default) or `'decline'`. */
  readonly action?: 'signin' | 'decline'
  /** Each request's deadline in ms (default 5,000). */
  readonly timeoutMs?: number
  /**
   * The IdP started with `publicHost`, when the app's authority names the public host
   * (`https://login.microsoftonline.com/...`): the sign-in pages are then fetched from it
   * with that `Host`, as `routeToIdentityProvider` routes the app's requests, and no other
   * host is reached. Default: the authorize URL's host as it is.
   */
  readonly identityProvider?: RoutableIdentityProvider
}

interface Answer {
  readonly status: number
  readonly location: string | undefined
  readonly body: string
}

type Route = (url: string) => { readonly url: string; readonly host?: string } | undefined

const request = (url: string, ca: string, timeoutMs: number, route: Route, form?: string): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const to = route(url)
    if (to === undefined) {
      reject(new Error(`signInWithoutBrowser reaches only the local identity provider, not ${new URL(url).host}.`))
      return
    }
    const req = https.request(
      to.url,
      {
        method: form === undefined ? 'GET' : 'POST',
        ca,
        timeout: timeoutMs,
        ...(to.host === undefined ? {} : { servername: to.host }),
        headers: {
          ...(to.host === undefined ? {} : { host: to.host }),
          ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`no answer from ${new URL(url).host} within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(form)
  })

const unescapeHtml = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '')

/**
 * The hidden inputs of a page of the local IdP (the sign-in form's request id, a form_post's fields).
 *
 * @category idp
 * @since 0.1.0
 */
export const hiddenInputsOf = (html: string): Record<string, string> =>
  Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [unescapeHtml(m[1] ?? ''), unescapeHtml(m[2] ?? '')]))

/**
 * Opens `authUri`, fills in and submits the sign-in form, and gives the parameters the
 * redirect URI would receive (`code`, `state`, `client_info`, `session_state`, or `error`).
 * Rejects (it is a test helper) when a page is not what the sign-in flow shows.
 *
 * @example
 * ```ts
 * import type { PublicClient } from '@authfold/client'
 * import { signInWithoutBrowser, type IdentityProvider } from '@authfold/testing'
 *
 * declare const app: PublicClient, idp: IdentityProvider, username: string, password: string
 * const flow = await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: 'http://localhost:8400' })
 * const authResponse = await signInWithoutBrowser({ authUri: flow.auth_uri, username, password, ca: idp.ca })
 * await app.acquireTokenByAuthCodeFlow(flow, authResponse)
 * ```
 * @category idp
 * @since 0.1.0
 */
export const signInWithoutBrowser = async (options: SignInWithoutBrowserOptions): Promise<Record<string, string>> => {
  const timeoutMs = options.timeoutMs ?? 5_000
  const route: Route = options.identityProvider === undefined ? (url) => ({ url }) : identityProviderRoute(options.identityProvider)
  const page = await request(options.authUri, options.ca, timeoutMs, route)
  const action = /<form method="POST" action="([^"]+)"/.exec(page.body)?.[1]
  if (page.status !== 200 || action === undefined) throw new Error(`The authorize URL answered ${page.status} without a sign-in form.`)
  const fields = { ...hiddenInputsOf(page.body), username: options.username, password: options.password, action: options.action ?? 'signin' }
  const answer = await request(new URL(unescapeHtml(action), options.authUri).toString(), options.ca, timeoutMs, route, new URLSearchParams(fields).toString())
  if (answer.status === 302 && answer.location !== undefined) return Object.fromEntries(new URL(answer.location).searchParams)
  if (answer.status === 200 && answer.body.includes('name="hiddenform"')) return hiddenInputsOf(answer.body)
  throw new Error(`The sign-in form answered ${answer.status} without a redirect (a wrong username or password?).`)
}
