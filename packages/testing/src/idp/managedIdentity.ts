/**
 * Managed identity endpoints served by the local identity provider, so that the IdP's
 * faults (see `faults.ts`, target `'managedidentity'`) play on them: IMDS
 * (`GET /managedidentity/imds/metadata/identity/oauth2/token`) and App Service
 * (`GET /managedidentity/appservice/msi/token`), each checking what the real service
 * checks and answering in its own format (as `managedIdentity/simulator.ts` does, over
 * HTTPS here), the access token a JWT the IdP signs.
 *
 * @module
 */
import type { EndpointResult, IdpContext, IncomingRequest, Route } from './types.js'

/**
 * The paths of the managed identity endpoints on the IdP (IMDS's is the fixed
 * `http://169.254.169.254` path under `/managedidentity/imds`).
 *
 * @category idp
 * @since 0.1.0
 */
export const MANAGED_IDENTITY_PATHS = {
  imds: '/managedidentity/imds/metadata/identity/oauth2/token',
  appService: '/managedidentity/appservice/msi/token',
} as const

const LIFETIME_SECONDS = 3600

const bad = (status: number, json: unknown): EndpointResult => ({ status, json })

const signed = async (idp: IdpContext, resource: string, clientId: string): Promise<{ readonly token: string; readonly expiresOn: number }> => {
  const iat = Math.floor(idp.now() / 1000)
  const token = await idp.signJwt({ aud: resource, iss: idp.issuer(idp.tenantId), iat, nbf: iat, exp: iat + LIFETIME_SECONDS, appid: clientId, oid: idp.uuid(), tid: idp.tenantId })
  return { token, expiresOn: iat + LIFETIME_SECONDS }
}

const imds = async (r: IncomingRequest, idp: IdpContext): Promise<EndpointResult> => {
  const q = r.query
  if (r.method !== 'GET') return bad(405, { error: 'invalid_request', error_description: 'GET only' })
  if (r.headers['metadata'] !== 'true') return bad(400, { error: 'invalid_request', error_description: 'Required metadata header not specified' })
  if (q['api-version'] !== '2018-02-01') return bad(400, { error: 'invalid_request', error_description: 'Invalid api-version' })
  const resource = q['resource']
  if (resource === undefined || resource === '') return bad(400, { error: 'invalid_request', error_description: 'Required audience parameter not specified' })
  const clientId = q['client_id'] ?? 'system'
  const { token, expiresOn } = await signed(idp, resource, clientId)
  const lifetime = String(LIFETIME_SECONDS)
  return { status: 200, json: { access_token: token, client_id: clientId, expires_in: lifetime, expires_on: String(expiresOn), ext_expires_in: lifetime, not_before: String(expiresOn - LIFETIME_SECONDS), resource, token_type: 'Bearer' } }
}

const appService =
  (identityHeader: string) =>
  async (r: IncomingRequest, idp: IdpContext): Promise<EndpointResult> => {
    const q = r.query
    if (r.headers['x-identity-header'] !== identityHeader) return bad(401, { statusCode: 401, message: 'Unauthorized request, missing or invalid X-IDENTITY-HEADER' })
    if (q['api-version'] !== '2019-08-01') return bad(400, { statusCode: 400, message: 'Invalid api-version' })
    const resource = q['resource']
    if (resource === undefined || resource === '') return bad(400, { statusCode: 400, message: 'resource is required' })
    const clientId = q['client_id'] ?? 'system'
    const { token, expiresOn } = await signed(idp, resource, clientId)
    return { status: 200, json: { access_token: token, expires_on: String(expiresOn), resource, token_type: 'Bearer', client_id: clientId } }
  }

/**
 * A route (for `addRoute`) serving IMDS and App Service at {@link MANAGED_IDENTITY_PATHS};
 * App Service requires `X-IDENTITY-HEADER: identityHeader`.
 *
 * @category idp
 * @since 0.1.0
 * @see https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token
 */
export const managedIdentityRoute =
  (identityHeader: string): Route =>
  (request, idp) =>
    request.path === MANAGED_IDENTITY_PATHS.imds ? imds(request, idp) : request.path === MANAGED_IDENTITY_PATHS.appService ? appService(identityHeader)(request, idp) : undefined
