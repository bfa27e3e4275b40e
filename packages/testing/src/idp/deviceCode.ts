/**
 * The device code flow (RFC 8628) as Entra serves it:
 *
 * - `POST /{tenant}/oauth2/v2.0/devicecode` (`client_id`, `scope`): `user_code`,
 *   `device_code`, `verification_uri`, `expires_in` (900), `interval` (5) and Entra's
 *   `message`;
 * - the device page `GET /common/oauth2/deviceauth`: a real HTML form where the user types
 *   the code, then signs in (username and password of a registered user), then approves or
 *   declines;
 * - the token endpoint's `urn:ietf:params:oauth:grant-type:device_code` grant:
 *   `authorization_pending` until the user approves, `slow_down` when polled faster than the
 *   interval (the interval then grows by 5 s), `expired_token` after expiry,
 *   `authorization_declined`, `bad_verification_code` for a code it never issued (or issued
 *   to another app), then the user token answer of `issueUserTokens` (id_token,
 *   `client_info`) once; a second redemption is `invalid_grant`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { pathSegments } from './discovery.js'
import { entraError, errorContext, errors, type ErrorContext } from './errors.js'
import { grantScopes, issueUserTokens, multipleResources, userGrantClient } from './grants/userTokens.js'
import type { UserDirectory } from './grants/users.js'
import { parseForm } from './tokenEndpoint.js'
import type { EndpointResult, GrantHandler, GrantRequest, IdpContext, IncomingRequest, Route, TenantMatch } from './types.js'

/**
 * The device-code grant type.
 *
 * @category idp
 * @since 0.1.0
 */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

/**
 * Where a device code stands.
 *
 * @category idp
 * @since 0.1.0
 */
export type DeviceCodeStatus = 'pending' | 'approved' | 'declined' | 'redeemed'

/**
 * A device code as the server holds it.
 *
 * @category idp
 * @since 0.1.0
 */
export interface DeviceCodeRecord {
  readonly userCode: string
  readonly clientId: string
  readonly tenant: TenantMatch
  readonly scope: string
  /** Epoch ms. */
  readonly expiresAt: number
  /** Seconds the client must wait between polls (grows by 5 on each `slow_down`). */
  interval: number
  /** Epoch ms of the last poll. */
  lastPollAt?: number
  status: DeviceCodeStatus
  /** The user who approved. */
  objectId?: string
}

/**
 * Settings of the device code endpoints.
 *
 * @category idp
 * @since 0.1.0
 */
export interface DeviceCodeSettings {
  /** Seconds a code lives. Default 900 (Entra's 15 minutes). */
  readonly lifetimeSeconds?: number
  /** Seconds between polls. Default 5 (Entra's). */
  readonly intervalSeconds?: number
}

/**
 * What tests do with device codes: approve or decline one as a user would on the device
 * page, look at them, change the settings.
 *
 * @category idp
 * @since 0.1.0
 */
export interface DeviceCodeApi {
  /** Approves a code as `username` (who must be registered); false when the code is unknown, not pending or expired. */
  readonly approve: (userCode: string, username: string) => boolean
  /** Declines a code; false when it is unknown or not pending. */
  readonly decline: (userCode: string) => boolean
  /** The status of a code, or undefined. */
  readonly status: (userCode: string) => DeviceCodeStatus | undefined
  /** Changes the lifetime and interval of the codes issued from now on. */
  readonly configure: (settings: DeviceCodeSettings) => void
}

/**
 * The device code endpoints of one server: its routes, its grant handler, and the test API.
 *
 * @category idp
 * @since 0.1.0
 */
export interface DeviceCodeEndpoints {
  readonly route: Route
  readonly grant: GrantHandler
  readonly api: DeviceCodeApi
}

const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

const newUserCode = (): string => Array.from(randomBytes(9), (b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join('')

/** Polls arriving this much before the interval has passed are still accepted (timer jitter). */
const POLL_TOLERANCE_MS = 200

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

const page = (title: string, body: string, status = 200): EndpointResult => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  text: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
})

const notice = (text: string | undefined): string => (text === undefined ? '' : `<p id="error" role="alert">${escapeHtml(text)}</p>`)

const codePage = (action: string, error?: string): EndpointResult =>
  page(
    'Enter code',
    `${notice(error)}<p>Enter the code displayed on your app or device.</p><form method="post" action="${escapeHtml(action)}"><input id="otc" name="otc" autocomplete="off" required><button id="next" type="submit">Next</button></form>`,
    error === undefined ? 200 : 400,
  )

const signInPage = (action: string, otc: string, clientId: string, error?: string): EndpointResult =>
  page(
    'Sign in',
    `${notice(error)}<p>Sign in to continue to ${escapeHtml(clientId)}.</p><form method="post" action="${escapeHtml(action)}"><input type="hidden" name="otc" value="${escapeHtml(otc)}"><input type="hidden" name="step" value="signin"><label>Username <input id="username" name="login" type="email" required></label><label>Password <input id="password" name="passwd" type="password" required></label><button id="signin" type="submit">Sign in</button></form>`,
    error === undefined ? 200 : 400,
  )

const consentPage = (action: string, otc: string, ticket: string, clientId: string, username: string): EndpointResult =>
  page(
    'Are you trying to sign in?',
    `<p>${escapeHtml(username)}, are you trying to sign in to ${escapeHtml(clientId)}? Only continue if you started this sign-in yourself.</p><form method="post" action="${escapeHtml(action)}"><input type="hidden" name="otc" value="${escapeHtml(otc)}"><input type="hidden" name="step" value="consent"><input type="hidden" name="ticket" value="${escapeHtml(ticket)}"><button id="approve" name="decision" value="approve" type="submit">Continue</button><button id="decline" name="decision" value="decline" type="submit">Cancel</button></form>`,
  )

/**
 * Makes the device code endpoints over a user directory (one per server).
 *
 * @category idp
 * @since 0.1.0
 */
export const createDeviceCodeEndpoints = (users: UserDirectory, now: () => number): DeviceCodeEndpoints => {
  const byDeviceCode = new Map<string, DeviceCodeRecord>()
  const byUserCode = new Map<string, DeviceCodeRecord>()
  /** Sign-ins waiting for the user's decision: ticket -> user. */
  const tickets = new Map<string, { readonly userCode: string; readonly objectId: string }>()
  let settings: Required<DeviceCodeSettings> = { lifetimeSeconds: 900, intervalSeconds: 5 }

  const live = (userCode: string): DeviceCodeRecord | undefined => {
    const r = byUserCode.get(userCode.trim().toUpperCase())
    return r !== undefined && r.status === 'pending' && r.expiresAt > now() ? r : undefined
  }

  const issue = (idp: IdpContext, request: IncomingRequest, tenant: TenantMatch): EndpointResult => {
    const ctx = errorContext(idp, request.correlationId)
    if (request.method !== 'POST') return errors.postOnly(ctx, request.method)
    const form = parseForm(request.body)
    const clientId = form['client_id']
    const scope = form['scope']
    if (clientId === undefined || clientId === '') return errors.missingParameter(ctx, 'client_id')
    if (idp.findClient(clientId) === undefined) return errors.unknownClient(ctx, clientId, tenant.tenantId)
    if (scope === undefined || scope.trim() === '') return errors.missingParameter(ctx, 'scope')
    if (grantScopes(scope, idp.tenantDomain) === 'multiple_resources') return multipleResources(ctx, scope)
    const record: DeviceCodeRecord = {
      userCode: newUserCode(),
      clientId,
      tenant,
      scope,
      expiresAt: now() + settings.lifetimeSeconds * 1000,
      interval: settings.intervalSeconds,
      status: 'pending',
    }
    const deviceCode = `DAQABAAEAAAD${randomBytes(48).toString('base64url')}`
    byDeviceCode.set(deviceCode, record)
    byUserCode.set(record.userCode, record)
    const verificationUri = `${idp.url}/common/oauth2/deviceauth`
    return {
      status: 200,
      headers: { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
      json: {
        user_code: record.userCode,
        device_code: deviceCode,
        verification_uri: verificationUri,
        expires_in: settings.lifetimeSeconds,
        interval: settings.intervalSeconds,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${record.userCode} to authenticate.`,
      },
    }
  }

  const devicePage = (request: IncomingRequest): EndpointResult => {
    const action = request.path
    if (request.method !== 'POST') return codePage(action)
    const form = parseForm(request.body)
    const otc = (form['otc'] ?? '').trim().toUpperCase()
    const record = live(otc)
    if (record === undefined) return codePage(action, 'That code is not valid or has expired. Check the code and try again.')
    if (form['step'] === 'signin') {
      const user = users.find(form['login'] ?? '')
      if (user === undefined || user.password !== (form['passwd'] ?? '')) return signInPage(action, otc, record.clientId, 'Your account or password is incorrect.')
      const ticket = randomBytes(24).toString('base64url')
      tickets.set(ticket, { userCode: otc, objectId: user.objectId })
      return consentPage(action, otc, ticket, record.clientId, user.username)
    }
    if (form['step'] === 'consent') {
      const ticket = tickets.get(form['ticket'] ?? '')
      tickets.delete(form['ticket'] ?? '')
      if (ticket === undefined || ticket.userCode !== otc) return codePage(action, 'This sign-in has already been used. Enter the code again.')
      if (form['decision'] === 'approve') {
        record.status = 'approved'
        record.objectId = ticket.objectId
        return page('You have signed in', `<p id="done">You have signed in to ${escapeHtml(record.clientId)} on your device. You may now close this window.</p>`)
      }
      record.status = 'declined'
      return page('Sign-in declined', '<p id="done">You declined the sign-in on the other device. You may now close this window.</p>')
    }
    return signInPage(action, otc, record.clientId)
  }

  const route: Route = (request, idp) => {
    const s = pathSegments(request.path)
    if (s.length === 4 && s[1] === 'oauth2' && s[2] === 'v2.0' && s[3] === 'devicecode') {
      const tenant = idp.resolveTenant(s[0] ?? '')
      return tenant === undefined ? errors.tenantNotFound(errorContext(idp, request.correlationId), s[0] ?? '') : issue(idp, request, tenant)
    }
    if (s.length === 3 && s[0]?.toLowerCase() === 'common' && s[1] === 'oauth2' && s[2] === 'deviceauth') return devicePage(request)
    return undefined
  }

  const pollError = (ctx: ErrorContext, error: Parameters<typeof entraError>[2], code: number, text: string): EndpointResult => entraError(ctx, 400, error, code, text)

  const handle = async (grant: GrantRequest, idp: IdpContext): Promise<EndpointResult> => {
    const checked = userGrantClient(grant, idp)
    if (!('ctx' in checked)) return checked
    const { ctx, client } = checked
    const deviceCode = grant.form['device_code']
    if (deviceCode === undefined || deviceCode === '') return errors.missingParameter(ctx, 'device_code')
    const record = byDeviceCode.get(deviceCode)
    if (record === undefined || record.clientId !== client.client.clientId)
      return pollError(ctx, 'bad_verification_code', 70000, "The provided value for the input parameter 'device_code' is not valid.")
    const t = now()
    const tooSoon = record.lastPollAt !== undefined && t - record.lastPollAt < record.interval * 1000 - POLL_TOLERANCE_MS
    record.lastPollAt = t
    if (record.status === 'redeemed') return pollError(ctx, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.')
    if (record.expiresAt <= t) return pollError(ctx, 'expired_token', 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.")
    if (record.status === 'declined') return pollError(ctx, 'authorization_declined', 70000, 'The user declined the authentication request.')
    if (tooSoon) {
      record.interval += 5
      return pollError(ctx, 'slow_down', 70016, `OAuth 2.0 device flow error. Polling too fast: wait ${record.interval} seconds between polls.`)
    }
    if (record.status === 'pending') return pollError(ctx, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.')
    const user = record.objectId === undefined ? undefined : users.findByObjectId(record.objectId)
    if (user === undefined) return pollError(ctx, 'invalid_grant', 50034, 'The user account does not exist in the directory.')
    const scopes = grantScopes(record.scope, idp.tenantDomain)
    if (scopes === 'multiple_resources') return multipleResources(ctx, record.scope)
    record.status = 'redeemed'
    return issueUserTokens(idp, users, { ...grant, tenant: record.tenant }, client, user, scopes)
  }

  const api: DeviceCodeApi = {
    approve: (userCode, username) => {
      const record = live(userCode)
      const user = users.find(username)
      if (record === undefined || user === undefined) return false
      record.status = 'approved'
      record.objectId = user.objectId
      return true
    },
    decline: (userCode) => {
      const record = live(userCode)
      if (record === undefined) return false
      record.status = 'declined'
      return true
    },
    status: (userCode) => byUserCode.get(userCode.trim().toUpperCase())?.status,
    configure: (s) => {
      settings = { ...settings, ...s }
    },
  }

  return { route, grant: { clientAuthentication: 'optional', handle }, api }
}
