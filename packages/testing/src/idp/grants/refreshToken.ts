/**
 * The `refresh_token` grant (RFC 6749 §6) as Entra answers it: the refresh token must be
 * one this server issued, not past its inactivity window, to this client or (for FOCI
 * tokens) to a member of the same family. Each redemption issues a new refresh token
 * (rotation); the old one stays valid, as with Entra. The `scope` parameter may name any
 * resource (refresh tokens are scope-independent); without it, the scopes of the original
 * grant are used.
 *
 * Errors: AADSTS70000 (`invalid_grant`) for a refresh token this server never issued or
 * revoked, and for one issued to another app (with `suberror` and
 * `error_additional_info` `client_mismatch`, which MSAL's FOCI logic reads);
 * AADSTS700082 for an expired one; AADSTS900144 when it is missing.
 *
 * @module
 */
import { entraError, errors, type ErrorContext } from '../errors.js'
import type { EndpointResult, GrantHandler, GrantRequest, IdpContext } from '../types.js'
import { familyOf, grantScopes, issueUserTokens, multipleResources, userGrantClient } from './userTokens.js'
import type { UserDirectory } from './users.js'

const invalidRefreshToken = (ctx: ErrorContext): EndpointResult =>
  entraError(ctx, 400, 'invalid_grant', 70000, "The provided value for the input parameter 'refresh_token' or 'assertion' is not valid.")

const clientMismatch = (ctx: ErrorContext): EndpointResult => {
  const base = entraError(ctx, 400, 'invalid_grant', 70000, 'The refresh token was issued to a different client and cannot be redeemed by this one.')
  return { ...base, json: { ...(base.json as Readonly<Record<string, unknown>>), suberror: 'client_mismatch', error_additional_info: ['client_mismatch'] } }
}

const days = (ms: number): string => {
  const d = Math.floor(ms / 86_400_000)
  const rest = new Date(ms % 86_400_000).toISOString().slice(11, 19)
  return `${d}.${rest}`
}

const handle =
  (users: UserDirectory) =>
  async (grant: GrantRequest, idp: IdpContext): Promise<EndpointResult> => {
    const checked = userGrantClient(grant, idp)
    if (!('ctx' in checked)) return checked
    const { ctx, client } = checked
    const token = grant.form['refresh_token']
    if (token === undefined || token === '') return errors.missingParameter(ctx, 'refresh_token')
    const record = users.refreshToken(token)
    if (record === undefined) return invalidRefreshToken(ctx)
    const user = users.findByObjectId(record.objectId)
    if (user === undefined) return invalidRefreshToken(ctx)
    if (ctx.now > record.expiresAt)
      return entraError(
        ctx,
        400,
        'invalid_grant',
        700082,
        `The refresh token has expired due to inactivity. The token was issued on ${new Date(record.issuedAt).toISOString()} and was inactive for ${days(record.expiresAt - record.issuedAt)}.`,
      )
    const family = familyOf(client)
    const sameClient = record.clientId === client.client.clientId
    const sameFamily = record.familyId !== undefined && family !== undefined && record.familyId === family
    if (!sameClient && !sameFamily) return clientMismatch(ctx)
    const scope = grant.form['scope'] ?? record.scopes.join(' ')
    const scopes = grantScopes(scope, idp.tenantDomain)
    if (scopes === 'multiple_resources') return multipleResources(ctx, scope)
    // A refresh token is always answered with a new one (offline access carries over).
    return issueUserTokens(idp, users, grant, client, user, { ...scopes, offlineAccess: true })
  }

/**
 * The `refresh_token` grant handler over a user directory (client authentication optional).
 *
 * @category idp
 * @since 0.1.0
 */
export const refreshTokenGrant = (users: UserDirectory): GrantHandler => ({ clientAuthentication: 'optional', handle: handle(users) })
