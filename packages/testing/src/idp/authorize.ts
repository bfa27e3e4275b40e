/**
 * The authorize endpoint with a real sign-in page, as Entra's behaves for the authorization
 * code flow (OpenID Connect Core §3.1.2):
 *
 * - `GET /{tenant}/oauth2/v2.0/authorize?client_id&response_type=code&redirect_uri&scope&state&nonce&code_challenge&...`
 *   checks the request and answers an HTML sign-in form (username, password; "Sign in" or
 *   "Decline"), the username pre-filled from `login_hint`. A request that cannot be
 *   answered to its redirect URI (unknown client, no or malformed `redirect_uri`) gets an
 *   HTML error page; other errors go to the redirect URI (`unsupported_response_type`,
 *   `invalid_request` for a PKCE method other than S256, `login_required` for `prompt=none`:
 *   there is no session to sign in silently).
 * - `POST /{tenant}/login` (the form): a wrong username or password shows the form again;
 *   "Decline" answers `access_denied`; a sign-in answers `code`, `state`, `client_info`
 *   (when `client_info=1` was sent) and `session_state` to the redirect URI: a 302 for
 *   `response_mode=query`, an auto-submitting HTML form for `form_post`.
 * - Codes live ten minutes, are usable once, and are bound to the client, the redirect
 *   URI and the PKCE challenge (see `authorizationCodeGrant`). The id_token later carries
 *   the `nonce` exactly as sent and the `auth_time` of this sign-in.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { pathSegments } from './discovery.js'
import { parseForm } from './tokenEndpoint.js'
import type { RegisteredUser, UserDirectory } from './grants/users.js'
import type { EndpointResult, IdpContext, IncomingRequest, Route } from './types.js'

/**
 * What the IdP remembers of an authorization request between the form and the redirect,
 * and then of the code it issued.
 *
 * @category idp
 * @since 0.1.0
 */
export interface AuthorizationRequest {
  readonly clientId: string
  readonly redirectUri: string
  readonly responseMode: 'query' | 'form_post'
  readonly scope: string
  readonly state?: string
  readonly nonce?: string
  readonly codeChallenge?: string
  readonly clientInfo: boolean
  readonly loginHint?: string
  readonly maxAge?: string
  readonly claims?: string
  /** The tenant path segment it came in on. */
  readonly segment: string
  /** Epoch ms after which the form (or the code) is refused. */
  readonly expiresAt: number
}

/**
 * A code issued by the sign-in page.
 *
 * @category idp
 * @since 0.1.0
 */
export interface IssuedCode {
  readonly request: AuthorizationRequest
  readonly user: RegisteredUser
  readonly tenantId: string
  /** Epoch seconds of the sign-in. */
  readonly authTime: number
  readonly expiresAt: number
}

/**
 * The authorize endpoint's per-server state: pending sign-in forms and issued codes
 * (mutable, owned by one server, like the user directory).
 *
 * @category idp
 * @since 0.1.0
 */
export interface AuthorizeState {
  readonly pending: Map<string, AuthorizationRequest>
  readonly codes: Map<string, IssuedCode>
  /** Codes redeemed once (kept so a second redemption is told so). */
  readonly redeemed: Set<string>
}

/**
 * Makes an empty authorize state.
 *
 * @category idp
 * @since 0.1.0
 */
export const createAuthorizeState = (): AuthorizeState => ({ pending: new Map(), codes: new Map(), redeemed: new Set() })

const LIFETIME_MS = 10 * 60 * 1000

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

const html = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): EndpointResult => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers },
  text: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in - authfold local IdP</title></head><body>${body}</body></html>`,
})

const errorPage = (code: number, text: string): EndpointResult =>
  html(400, `<h1>Sorry, but we are having trouble signing you in.</h1><p id="error">AADSTS${code}: ${escapeHtml(text)}</p>`)

/**
 * The answer sent to the redirect URI: a 302 with the query, or an auto-submitting form.
 *
 * @category idp
 * @since 0.1.0
 */
export const redirectAnswer = (redirectUri: string, mode: 'query' | 'form_post', params: ReadonlyArray<readonly [string, string | undefined]>): EndpointResult => {
  const present = params.filter((p): p is readonly [string, string] => p[1] !== undefined)
  if (mode === 'form_post') {
    const inputs = present.map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('')
    return html(
      200,
      `<form method="POST" name="hiddenform" action="${escapeHtml(redirectUri)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript></form><script>document.forms[0].submit()</script>`,
    )
  }
  const target = new URL(redirectUri)
  for (const [k, v] of present) target.searchParams.append(k, v)
  return { status: 302, headers: { location: target.toString(), 'cache-control': 'no-store' }, text: '' }
}

const redirectError = (r: Pick<AuthorizationRequest, 'redirectUri' | 'responseMode' | 'state'>, error: string, code: number, text: string): EndpointResult =>
  redirectAnswer(r.redirectUri, r.responseMode, [
    ['error', error],
    ['error_description', `AADSTS${code}: ${text}`],
    ['state', r.state],
  ])

const signInForm = (tenant: string, id: string, username: string, message?: string): EndpointResult =>
  html(
    200,
    `<h1>Sign in</h1>${message === undefined ? '' : `<p id="error" role="alert">${escapeHtml(message)}</p>`}` +
      `<form method="POST" action="/${escapeHtml(tenant)}/login">` +
      `<input type="hidden" name="request" value="${escapeHtml(id)}">` +
      `<label>Email <input type="email" name="username" id="username" autocomplete="username" value="${escapeHtml(username)}"></label>` +
      `<label>Password <input type="password" name="password" id="password" autocomplete="current-password"></label>` +
      `<button type="submit" name="action" value="signin" id="signin">Sign in</button>` +
      `<button type="submit" name="action" value="decline" id="decline">Decline</button>` +
      `</form>`,
  )

const isAbsoluteUrl = (s: string): boolean => {
  try {
    const u = new URL(s)
    return u.protocol === 'https:' || u.protocol === 'http:'
  } catch {
    return false
  }
}

const opt = <K extends string>(key: K, v: string | undefined): { readonly [P in K]?: string } =>
  (v === undefined || v === '' ? {} : { [key]: v }) as { readonly [P in K]?: string }

/**
 * Answers `GET /{tenant}/oauth2/v2.0/authorize`.
 *
 * @category idp
 * @since 0.1.0
 */
export const authorizeRequest = (state: AuthorizeState, idp: IdpContext, request: IncomingRequest, segment: string): EndpointResult => {
  const q = request.query
  if (idp.resolveTenant(segment) === undefined) return errorPage(90002, `Tenant '${segment}' not found.`)
  const clientId = q['client_id']
  if (clientId === undefined || clientId === '') return errorPage(900144, "The request body must contain the following parameter: 'client_id'.")
  if (idp.findClient(clientId) === undefined)
    return errorPage(700016, `Application with identifier '${clientId}' was not found in the directory.`)
  const redirectUri = q['redirect_uri']
  if (redirectUri === undefined || !isAbsoluteUrl(redirectUri))
    return errorPage(50011, 'The redirect URI specified in the request does not match the redirect URIs configured for the application.')
  const mode = q['response_mode'] ?? 'query'
  const target = { redirectUri, responseMode: mode === 'form_post' ? ('form_post' as const) : ('query' as const), ...opt('state', q['state']) }
  if (mode !== 'query' && mode !== 'form_post') return redirectError(target, 'invalid_request', 900144, `The response_mode '${mode}' is not supported here.`)
  if (q['response_type'] !== 'code')
    return redirectError(target, 'unsupported_response_type', 700054, "response_type must be 'code' for the authorization code flow.")
  const method = q['code_challenge_method']
  if (q['code_challenge'] !== undefined && method !== 'S256')
    return redirectError(target, 'invalid_request', 5000, 'Only the S256 code_challenge_method is supported.')
  if (q['prompt'] === 'none')
    return redirectError(target, 'login_required', 50058, 'A silent sign-in request was sent but no user is signed in.')
  const scope = q['scope'] ?? ''
  if (scope.trim() === '') return redirectError(target, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.")
  const id = randomBytes(24).toString('base64url')
  state.pending.set(id, {
    ...target,
    clientId,
    scope,
    ...opt('nonce', q['nonce']),
    ...opt('codeChallenge', q['code_challenge']),
    clientInfo: q['client_info'] === '1',
    ...opt('loginHint', q['login_hint']),
    ...opt('maxAge', q['max_age']),
    ...opt('claims', q['claims']),
    segment,
    expiresAt: idp.now() + LIFETIME_MS,
  })
  return signInForm(segment, id, q['login_hint'] ?? '')
}

/**
 * Answers `POST /{tenant}/login`: the sign-in form submitted.
 *
 * @category idp
 * @since 0.1.0
 */
export const signIn = (state: AuthorizeState, users: UserDirectory, idp: IdpContext, request: IncomingRequest, segment: string): EndpointResult => {
  const form = parseForm(request.body)
  const id = form['request'] ?? ''
  const pending = state.pending.get(id)
  if (pending === undefined || pending.expiresAt < idp.now()) {
    state.pending.delete(id)
    return errorPage(50012, 'This sign-in page has expired or was already used. Go back to the application and sign in again.')
  }
  if (form['action'] === 'decline') {
    state.pending.delete(id)
    return redirectError(pending, 'access_denied', 65004, 'User declined to consent to access the app.')
  }
  const user = users.find(form['username'] ?? '')
  if (user === undefined || user.password !== form['password'])
    return signInForm(segment, id, form['username'] ?? '', 'Your account or password is incorrect.')
  state.pending.delete(id)
  const tenantId = idp.resolveTenant(pending.segment)?.tenantId ?? idp.tenantId
  const code = `1.A${randomBytes(48).toString('base64url')}`
  state.codes.set(code, { request: pending, user, tenantId, authTime: Math.floor(idp.now() / 1000), expiresAt: idp.now() + LIFETIME_MS })
  return redirectAnswer(pending.redirectUri, pending.responseMode, [
    ['code', code],
    // the user's home account, wherever they signed in (a guest's too), as Entra sends it
    ['client_info', pending.clientInfo ? Buffer.from(JSON.stringify({ uid: user.objectId, utid: user.tenantId })).toString('base64url') : undefined],
    ['state', pending.state],
    ['session_state', idp.uuid()],
  ])
}

/**
 * The authorize endpoint and sign-in form routes over one state and user directory.
 *
 * @category idp
 * @since 0.1.0
 */
export const authorizeRoute =
  (state: AuthorizeState, users: UserDirectory): Route =>
  (request, idp) => {
    const s = pathSegments(request.path)
    const segment = s[0]
    if (segment === undefined) return undefined
    if (s.length === 4 && s[1] === 'oauth2' && s[2] === 'v2.0' && s[3] === 'authorize' && request.method === 'GET') return authorizeRequest(state, idp, request, segment)
    if (s.length === 2 && s[1] === 'login' && request.method === 'POST') return signIn(state, users, idp, request, segment)
    return undefined
  }
