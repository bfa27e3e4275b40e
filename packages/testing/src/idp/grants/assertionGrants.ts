/**
 * The middle-tier grants, as Entra answers them:
 *
 * - **On-behalf-of** (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`,
 *   `requested_token_use=on_behalf_of`): the `assertion` must be a JWT this server signed
 *   (RS256, its key), not expired, whose audience is the calling client (its id or
 *   `api://<id>`); its `oid` names the user, who gets the user token answer of
 *   {@link issueUserTokens} (with a refresh token when `offline_access` is asked).
 *   Simplification: Entra also checks the calling app has consent for the downstream scopes
 *   and that the assertion's app is allowed; this server checks signature, lifetime and
 *   audience only.
 * - **User federated identity credential** (`grant_type=user_fic`): the
 *   `user_federated_identity_credential` must be a JWT this server signed and not expired
 *   (Entra also checks it was issued for the agent identity; not checked here), and the
 *   user is named by `username` or `user_id` (object id).
 *
 * Errors: AADSTS50027 (`invalid_request`) for an assertion that is not a JWT or fails its
 * signature; AADSTS500133 (`invalid_grant`) for an expired one; AADSTS50013
 * (`invalid_grant`) for one issued to another audience; AADSTS900144 for a missing field;
 * AADSTS50034 for an unknown user.
 *
 * @module
 */
import { createLocalJWKSet, jwtVerify, errors as joseErrors } from 'jose'
import { entraError, errorContext, errors, type ErrorContext } from '../errors.js'
import type { EndpointResult, GrantHandler, GrantRequest, IdpContext } from '../types.js'
import { grantScopes, issueUserTokens, multipleResources, userGrantClient } from './userTokens.js'
import type { RegisteredUser, UserDirectory } from './users.js'

/**
 * The on-behalf-of grant type (RFC 7523 JWT bearer).
 *
 * @category idp
 * @since 0.1.0
 */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

const malformed = (ctx: ErrorContext): EndpointResult => entraError(ctx, 400, 'invalid_request', 50027, 'JWT token is invalid or malformed.')

/** Verifies a JWT this server signed; its claims, or the error answer. */
const verifyOwnJwt = async (
  ctx: ErrorContext,
  idp: IdpContext,
  jwt: string,
): Promise<{ readonly claims: Readonly<Record<string, unknown>> } | EndpointResult> => {
  try {
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(idp.jwks), {
      algorithms: ['RS256'],
      currentDate: new Date(idp.now()),
      clockTolerance: idp.clockSkewSeconds,
    })
    return { claims: payload }
  } catch (e) {
    return e instanceof joseErrors.JWTExpired
      ? entraError(ctx, 400, 'invalid_grant', 500133, 'Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token.')
      : malformed(ctx)
  }
}

const unknownUser = (ctx: ErrorContext, grant: GrantRequest): EndpointResult =>
  entraError(
    ctx,
    400,
    'invalid_grant',
    50034,
    `The user account {EUII Hidden} does not exist in the ${grant.tenant.tenantId} directory. To sign into this application, the account must be added to the directory.`,
  )

const audienceOk = (aud: unknown, clientId: string): boolean => {
  const auds = Array.isArray(aud) ? aud : [aud]
  return auds.some((a) => typeof a === 'string' && (a.toLowerCase() === clientId.toLowerCase() || a.toLowerCase() === `api://${clientId}`.toLowerCase()))
}

const issue = async (
  grant: GrantRequest,
  idp: IdpContext,
  users: UserDirectory,
  user: (claims: Readonly<Record<string, unknown>>) => RegisteredUser | undefined | 'missing',
  jwtField: string,
  checkAudience: boolean,
): Promise<EndpointResult> => {
  const checked = userGrantClient(grant, idp)
  if (!('ctx' in checked)) return checked
  const { ctx, client } = checked
  const jwt = grant.form[jwtField]
  const scope = grant.form['scope']
  if (jwt === undefined || jwt === '') return errors.missingParameter(ctx, jwtField)
  if (scope === undefined || scope.trim() === '') return errors.missingParameter(ctx, 'scope')
  const verified = await verifyOwnJwt(ctx, idp, jwt)
  if (!('claims' in verified)) return verified
  if (checkAudience && !audienceOk(verified.claims['aud'], client.client.clientId))
    return entraError(ctx, 400, 'invalid_grant', 50013, 'Assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: ...]. Assertion audience does not match the Client app presenting the assertion.')
  const subject = user(verified.claims)
  if (subject === 'missing') return errors.missingParameter(ctx, 'username')
  if (subject === undefined) return unknownUser(ctx, grant)
  const scopes = grantScopes(scope, idp.tenantDomain)
  if (scopes === 'multiple_resources') return multipleResources(ctx, scope)
  return issueUserTokens(idp, users, grant, client, subject, scopes)
}

/**
 * The on-behalf-of grant handler (confidential clients only).
 *
 * @category idp
 * @since 0.1.0
 */
export const onBehalfOfGrant = (users: UserDirectory): GrantHandler => ({
  clientAuthentication: 'required',
  handle: async (grant, idp) => {
    if (grant.form['requested_token_use'] !== 'on_behalf_of')
      return errors.missingParameter(errorContext(idp, grant.request.correlationId), 'requested_token_use')
    return issue(grant, idp, users, (claims) => (typeof claims['oid'] === 'string' ? users.findByObjectId(claims['oid']) : undefined), 'assertion', true)
  },
})

/**
 * The `user_fic` grant handler (confidential clients only): the user by `username` or
 * `user_id`.
 *
 * @category idp
 * @since 0.1.0
 */
export const userFicGrant = (users: UserDirectory): GrantHandler => ({
  clientAuthentication: 'required',
  handle: (grant, idp) =>
    issue(
      grant,
      idp,
      users,
      () => {
        const username = grant.form['username']
        const userId = grant.form['user_id']
        return username !== undefined && username !== ''
          ? users.find(username)
          : userId !== undefined && userId !== ''
            ? users.findByObjectId(userId)
            : 'missing'
      },
      'user_federated_identity_credential',
      false,
    ),
})
