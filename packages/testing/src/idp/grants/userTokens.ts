/**
 * The token answer of the user grants (`password`, `refresh_token`), as Entra v2 gives it:
 *
 * - scopes: `openid`, `profile`, `email` and `offline_access` are OpenID Connect scopes;
 *   every other scope names one resource (`https://res/scope`, `api://app/scope`, or a
 *   short name like `User.Read`, which is Microsoft Graph, here `https://graph.<domain>`).
 *   Scopes of two resources in one request are refused (AADSTS28000). The answer's `scope`
 *   lists the granted resource scopes (short names for Graph, full names otherwise) and,
 *   for Graph only, the OIDC scopes asked for; never `offline_access`.
 * - `access_token`: an RS256 JWT for the resource (`aud`, `scp`, `oid`, `sub`, `tid`, ...).
 * - `refresh_token` only when `offline_access` was asked for; `foci: "1"` for family apps.
 * - `id_token` only when `openid` was asked for: `iss` (the tenant's v2 issuer), `aud` (the
 *   client id), `tid`, `oid`, a pairwise `sub`, `preferred_username`, `name`, `iat`, `nbf`,
 *   `exp`, `ver: "2.0"`, and `nonce` when the request carried one.
 * - `client_info` (base64url of `{"uid": oid, "utid": tid}`) when `client_info=1` was sent.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { entraError, errorContext, errors, type ErrorContext } from '../errors.js'
import type { AuthenticatedClient, EndpointResult, GrantRequest, IdpContext } from '../types.js'
import type { RegisteredUser, UserDirectory } from './users.js'
import { SSH_CERT, sshCertRequest, sshCertificate } from './sshCert.js'

/**
 * The OpenID Connect scopes (MSAL's reserved scopes plus `email`).
 *
 * @category idp
 * @since 0.1.0
 */
export const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'offline_access', 'email'])

/**
 * The scopes a user grant grants.
 *
 * @category idp
 * @since 0.1.0
 */
export interface GrantedScopes {
  /** The access token's audience. */
  readonly resource: string
  /** The answer's `scope` values. */
  readonly answer: ReadonlyArray<string>
  /** The access token's `scp` values. */
  readonly scp: ReadonlyArray<string>
  readonly openid: boolean
  readonly offlineAccess: boolean
  /** Every scope asked for, as asked (kept with a refresh token). */
  readonly requested: ReadonlyArray<string>
}

/**
 * The Microsoft Graph look-alike of an IdP host: `https://graph.<tenantDomain>`.
 *
 * @category idp
 * @since 0.1.0
 */
export const graphResource = (tenantDomain: string): string => `https://graph.${tenantDomain}`

const splitScope = (scope: string): { readonly resource: string | undefined; readonly name: string } => {
  const slash = scope.lastIndexOf('/')
  return scope.includes('://') && slash > scope.indexOf('://') + 2
    ? { resource: scope.slice(0, slash), name: scope.slice(slash + 1) }
    : { resource: undefined, name: scope }
}

/**
 * What a `scope` parameter grants, or `'multiple_resources'` (AADSTS28000).
 *
 * @category idp
 * @since 0.1.0
 */
export const grantScopes = (scope: string, tenantDomain: string): GrantedScopes | 'multiple_resources' => {
  const requested = scope.split(/\s+/).filter((s) => s !== '')
  const oidc = requested.filter((s) => OIDC_SCOPES.has(s.toLowerCase())).map((s) => s.toLowerCase())
  const graph = graphResource(tenantDomain)
  const parts = requested.filter((s) => !OIDC_SCOPES.has(s.toLowerCase())).map(splitScope)
  const resources = new Set(parts.map((p) => (p.resource ?? graph).toLowerCase()))
  if (resources.size > 1) return 'multiple_resources'
  const first = parts[0]
  const resource = first === undefined ? graph : (first.resource ?? graph)
  const isGraph = resource.toLowerCase() === graph.toLowerCase()
  const oidcAnswered = oidc.filter((s) => s !== 'offline_access')
  const names = parts.map((p) => p.name)
  return {
    resource,
    answer: isGraph ? [...names, ...oidcAnswered] : parts.map((p) => (p.resource === undefined ? p.name : `${p.resource}/${p.name}`)),
    scp: isGraph ? [...names, ...oidcAnswered] : names,
    openid: oidc.includes('openid'),
    offlineAccess: oidc.includes('offline_access'),
    requested,
  }
}

/**
 * The pairwise `sub` Entra gives a user in an app's id_token (stable per user and app).
 *
 * @category idp
 * @since 0.1.0
 */
export const pairwiseSubject = (objectId: string, clientId: string): string =>
  createHash('sha256').update(`${objectId}:${clientId}`).digest().subarray(0, 32).toString('base64url')

/**
 * `client_info` as Entra sends it: base64url JSON `{"uid": oid, "utid": tid}`.
 *
 * @category idp
 * @since 0.1.0
 */
export const clientInfoOf = (objectId: string, tenantId: string): string =>
  Buffer.from(JSON.stringify({ uid: objectId, utid: tenantId })).toString('base64url')

const ACR = { none: '0', secret: '1', certificate: '2' } as const

/**
 * The family id of a client (`'1'` for FOCI members).
 *
 * @category idp
 * @since 0.1.0
 */
export const familyOf = (client: AuthenticatedClient): string | undefined => client.client.familyId

/**
 * AADSTS7000218: a confidential app (one with a credential registered) called a user grant
 * without its credential. Undefined when the client may go on.
 *
 * @category idp
 * @since 0.1.0
 */
export const publicClientCheck = (ctx: ErrorContext, client: AuthenticatedClient): EndpointResult | undefined =>
  client.credential === 'none' && (client.client.secret !== undefined || client.client.certificate !== undefined || client.client.publicKeyPem !== undefined)
    ? entraError(ctx, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
    : undefined

/**
 * What every user grant checks first: a client id was sent, and a confidential app
 * authenticated. Gives the error context and client, or the error answer to send.
 *
 * @category idp
 * @since 0.1.0
 */
export const userGrantClient = (
  grant: GrantRequest,
  idp: IdpContext,
): { readonly ctx: ErrorContext; readonly client: AuthenticatedClient } | EndpointResult => {
  const ctx = errorContext(idp, grant.request.correlationId)
  const client = grant.client
  if (client === undefined) return errors.missingParameter(ctx, 'client_id')
  return publicClientCheck(ctx, client) ?? { ctx, client }
}

/**
 * AADSTS28000: scopes of more than one resource.
 *
 * @category idp
 * @since 0.1.0
 */
export const multipleResources = (ctx: ErrorContext, scope: string): EndpointResult =>
  entraError(
    ctx,
    400,
    'invalid_scope',
    28000,
    `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
  )

/**
 * AADSTS50020: the user is neither a member of the tenant nor invited into it.
 *
 * @category idp
 * @since 0.1.0
 */
export const notInTenant = (ctx: ErrorContext, tenantId: string): EndpointResult =>
  entraError(
    ctx,
    400,
    'invalid_grant',
    50020,
    `User account '{EUII Hidden}' from identity provider does not exist in tenant '${tenantId}' and cannot access the application in that tenant. The account needs to be added as an external user in the tenant first.`,
  )

/** The default refresh-token inactivity window: 90 days. */
const DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS = 90 * 24 * 3600

/**
 * Issues the tokens of a user grant and builds Entra's answer.
 *
 * @category idp
 * @since 0.1.0
 */
export const issueUserTokens = async (
  idp: IdpContext,
  users: UserDirectory,
  grant: GrantRequest,
  client: AuthenticatedClient,
  user: RegisteredUser,
  scopes: GrantedScopes,
  /** Claims the id_token carries besides the usual ones (the auth code's `nonce` and `auth_time`). */
  idTokenClaims: Readonly<Record<string, unknown>> = {},
): Promise<EndpointResult> => {
  const ctx = errorContext(idp, grant.request.correlationId)
  // common/organizations issue for the user's home tenant; a tenant's own authority for that
  // tenant, where the user must be a member or an invited guest (AADSTS50020 otherwise).
  const tenantId = grant.tenant.multiTenant ? user.tenantId : grant.tenant.tenantId
  const objectId = users.objectIdIn(user, tenantId)
  if (objectId === undefined) return notInTenant(ctx, tenantId)
  const clientId = client.client.clientId
  const now = Math.floor(ctx.now / 1000)
  const lifetime = client.client.accessTokenLifetimeSeconds
  const issuer = idp.issuer(tenantId)
  const sub = pairwiseSubject(objectId, clientId)
  // With token_type=ssh-cert the access token is an SSH certificate for the user (see sshCert.ts).
  const ssh = sshCertRequest(ctx, grant.form)
  if (ssh !== undefined && 'status' in ssh) return ssh
  const signAccess = (claims: Readonly<Record<string, unknown>>): Promise<string> => (ssh === undefined ? idp.signJwt(claims) : sshCertificate(idp, ssh, claims))
  const accessToken = await signAccess({
    aud: scopes.resource,
    iss: issuer,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    azp: clientId,
    azpacr: ACR[client.credential],
    idtyp: 'user',
    name: user.name,
    oid: objectId,
    preferred_username: user.username,
    scp: scopes.scp.join(' '),
    sub,
    tid: tenantId,
    uti: idp.uuid(),
    ver: '2.0',
  })
  const nonce = grant.form['nonce']
  const idToken = scopes.openid
    ? await idp.signJwt({
        aud: clientId,
        iss: issuer,
        iat: now,
        nbf: now,
        exp: now + 3600,
        name: user.name,
        oid: objectId,
        preferred_username: user.username,
        sub,
        tid: tenantId,
        ver: '2.0',
        ...(nonce === undefined || nonce === '' ? {} : { nonce }),
        ...idTokenClaims,
      })
    : undefined
  const familyId = familyOf(client)
  const refreshToken = scopes.offlineAccess
    ? users.issueRefreshToken({
        clientId,
        ...(familyId === undefined ? {} : { familyId }),
        objectId: user.objectId,
        tenantId: user.tenantId,
        scopes: scopes.requested,
        issuedAt: ctx.now,
        expiresAt: ctx.now + (client.client.refreshTokenLifetimeSeconds ?? DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS) * 1000,
      })
    : undefined
  return {
    status: 200,
    json: {
      token_type: ssh === undefined ? 'Bearer' : SSH_CERT,
      scope: scopes.answer.join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      // Entra adds refresh_in (half the lifetime) to tokens living over two hours.
      ...(lifetime > 7200 ? { refresh_in: Math.floor(lifetime / 2) } : {}),
      access_token: accessToken,
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      ...(familyId === undefined || refreshToken === undefined ? {} : { foci: familyId }),
      ...(idToken === undefined ? {} : { id_token: idToken }),
      ...(grant.form['client_info'] === '1' ? { client_info: clientInfoOf(user.objectId, user.tenantId) } : {}),
    },
  }
}
