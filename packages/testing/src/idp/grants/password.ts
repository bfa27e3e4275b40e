/**
 * The `password` grant (ROPC, RFC 6749 §4.3) as Entra answers it for managed users:
 * `username` and `password` checked against the users registered with `registerUser`,
 * public clients allowed (a confidential app must still authenticate), and the user
 * token answer of {@link issueUserTokens}. Errors as Entra gives them: AADSTS50034 for an
 * unknown user, AADSTS50126 for a wrong password, AADSTS900144 for a missing field.
 *
 * @module
 */
import { entraError, errors } from '../errors.js'
import type { EndpointResult, GrantHandler, GrantRequest, IdpContext } from '../types.js'
import { grantScopes, issueUserTokens, multipleResources, userGrantClient } from './userTokens.js'
import type { UserDirectory } from './users.js'

const handle =
  (users: UserDirectory) =>
  async (grant: GrantRequest, idp: IdpContext): Promise<EndpointResult> => {
    const checked = userGrantClient(grant, idp)
    if (!('ctx' in checked)) return checked
    const { ctx, client } = checked
    const username = grant.form['username']
    const password = grant.form['password']
    const scope = grant.form['scope']
    if (username === undefined || username === '') return errors.missingParameter(ctx, 'username')
    if (password === undefined || password === '') return errors.missingParameter(ctx, 'password')
    if (scope === undefined || scope.trim() === '') return errors.missingParameter(ctx, 'scope')
    const scopes = grantScopes(scope, idp.tenantDomain)
    if (scopes === 'multiple_resources') return multipleResources(ctx, scope)
    const user = users.find(username)
    if (user === undefined)
      return entraError(
        ctx,
        400,
        'invalid_grant',
        50034,
        `The user account {EUII Hidden} does not exist in the ${grant.tenant.tenantId} directory. To sign into this application, the account must be added to the directory.`,
      )
    if (user.password !== password)
      return entraError(ctx, 400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.')
    return issueUserTokens(idp, users, grant, client, user, scopes)
  }

/**
 * The `password` grant handler over a user directory (client authentication optional:
 * public clients sign users in without a credential).
 *
 * @category idp
 * @since 0.1.0
 */
export const passwordGrant = (users: UserDirectory): GrantHandler => ({ clientAuthentication: 'optional', handle: handle(users) })
