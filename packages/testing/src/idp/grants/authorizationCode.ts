/**
 * The `authorization_code` grant (RFC 6749 §4.1.3, RFC 7636 §4.6) for codes issued by the
 * sign-in page (see `authorize.ts`). A code is usable once (AADSTS54005 the second time),
 * for ten minutes (AADSTS70008), by the client it was issued to (AADSTS70000), with the
 * redirect URI it was sent to (AADSTS500112), and, when the authorization request had a
 * PKCE challenge, with the verifier whose S256 hash it is (AADSTS501481). The answer is
 * the user token answer of `issueUserTokens`; its id_token carries the `nonce` the
 * authorization request sent and the `auth_time` of the sign-in.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import type { AuthorizeState } from '../authorize.js'
import { entraError, errors } from '../errors.js'
import type { EndpointResult, GrantHandler, GrantRequest, IdpContext } from '../types.js'
import { grantScopes, issueUserTokens, multipleResources, userGrantClient } from './userTokens.js'
import type { UserDirectory } from './users.js'

const s256 = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url')

const handle =
  (state: AuthorizeState, users: UserDirectory) =>
  async (grant: GrantRequest, idp: IdpContext): Promise<EndpointResult> => {
    const checked = userGrantClient(grant, idp)
    if (!('ctx' in checked)) return checked
    const { ctx, client } = checked
    const code = grant.form['code']
    if (code === undefined || code === '') return errors.missingParameter(ctx, 'code')
    if (state.redeemed.has(code))
      return entraError(ctx, 400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.')
    const issued = state.codes.get(code)
    if (issued === undefined || issued.expiresAt < idp.now()) {
      state.codes.delete(code)
      return entraError(ctx, 400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.')
    }
    // Whatever happens next, the code is spent.
    state.codes.delete(code)
    state.redeemed.add(code)
    const r = issued.request
    if (r.clientId !== client.client.clientId)
      return entraError(ctx, 400, 'invalid_grant', 70000, 'The provided value for the input parameter \'code\' is not valid. The code was issued to another client.')
    if (grant.form['redirect_uri'] !== r.redirectUri)
      return entraError(ctx, 400, 'invalid_grant', 500112, 'The reply address does not match the reply address provided when requesting the authorization code.')
    if (r.codeChallenge !== undefined) {
      const verifier = grant.form['code_verifier']
      if (verifier === undefined || verifier === '') return errors.missingParameter(ctx, 'code_verifier')
      if (s256(verifier) !== r.codeChallenge)
        return entraError(ctx, 400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.')
    }
    const scope = grant.form['scope'] ?? r.scope
    const scopes = grantScopes(scope, idp.tenantDomain)
    if (scopes === 'multiple_resources') return multipleResources(ctx, scope)
    const user = users.findByObjectId(issued.user.objectId)
    if (user === undefined)
      return entraError(ctx, 400, 'invalid_grant', 50034, `The user account {EUII Hidden} does not exist in the ${issued.tenantId} directory.`)
    return issueUserTokens(idp, users, grant, client, user, scopes, {
      auth_time: issued.authTime,
      ...(r.nonce === undefined ? {} : { nonce: r.nonce }),
    })
  }

/**
 * The `authorization_code` grant handler over the authorize state and the user directory
 * (client authentication optional: public clients redeem with PKCE alone).
 *
 * @category idp
 * @since 0.1.0
 */
export const authorizationCodeGrant = (state: AuthorizeState, users: UserDirectory): GrantHandler => ({
  clientAuthentication: 'optional',
  handle: handle(state, users),
})
