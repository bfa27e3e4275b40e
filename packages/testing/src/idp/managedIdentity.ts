/**
 * Managed identity endpoints served by the local identity provider, so that the IdP's
 * faults (see `faults.ts`, target `'managedidentity'`) play on them: IMDS, App Service,
 * Service Fabric, Azure ML and Azure Arc (GETs; Arc's two rounds) and Cloud Shell (a form POST) at
 * {@link MANAGED_IDENTITY_PATHS}, each checking what the real service
 * checks and answering in its own format (as `managedIdentity/simulator.ts` does, over
 * HTTPS here), the access token a JWT the IdP signs.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
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
  serviceFabric: '/managedidentity/servicefabric/metadata/identity/oauth2/token',
  machineLearning: '/managedidentity/azureml/msi/token',
  cloudShell: '/managedidentity/cloudshell/oauth2/token',
  arc: '/managedidentity/arc/metadata/identity/oauth2/token',
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

const serviceFabric =
  (identityHeader: string) =>
  async (r: IncomingRequest, idp: IdpContext): Promise<EndpointResult> => {
    const q = r.query
    if (r.headers['secret'] !== identityHeader) return bad(401, { error: { code: 'SecretHeaderNotFound', message: 'Secret is not found in the request headers.' } })
    if (q['api-version'] !== '2019-07-01-preview') return bad(400, { error: { code: 'InvalidApiVersion', message: 'api-version is not supported' } })
    const resource = q['resource']
    if (resource === undefined || resource === '') return bad(400, { error: { code: 'ArgumentNullOrEmpty', message: 'resource is null or empty' } })
    const { token, expiresOn } = await signed(idp, resource, 'system')
    return { status: 200, json: { token_type: 'Bearer', access_token: token, expires_on: expiresOn, resource } }
  }

const pad = (n: number): string => String(n).padStart(2, '0')

/** Azure ML's date format: "MM/DD/YYYY hh:mm:ss AM|PM +00:00". */
const asDate = (epochSeconds: number): string => {
  const d = new Date(epochSeconds * 1000)
  const h = d.getUTCHours()
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(h % 12 === 0 ? 12 : h % 12)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'} +00:00`
}

const machineLearning =
  (secret: string) =>
  async (r: IncomingRequest, idp: IdpContext): Promise<EndpointResult> => {
    const q = r.query
    if (r.headers['secret'] !== secret) return bad(401, { message: 'Missing or invalid secret' })
    if (q['api-version'] !== '2017-09-01') return bad(400, { message: 'Invalid api-version' })
    const resource = q['resource']
    if (resource === undefined || resource === '') return bad(400, { message: 'resource is required' })
    const { token, expiresOn } = await signed(idp, resource, q['clientid'] ?? 'system')
    return { status: 200, json: { access_token: token, expires_on: asDate(expiresOn), resource, token_type: 'Bearer' } }
  }

const cloudShell = async (r: IncomingRequest, idp: IdpContext): Promise<EndpointResult> => {
  if (r.method !== 'POST') return bad(405, { error: 'invalid_request', error_description: 'POST only' })
  if (r.headers['metadata'] !== 'true') return bad(400, { error: 'invalid_request', error_description: 'Metadata header required' })
  const resource = new URLSearchParams(r.body).get('resource')
  if (resource === null || resource === '') return bad(400, { error: 'invalid_request', error_description: 'resource is required' })
  const { token, expiresOn } = await signed(idp, resource, 'system')
  const lifetime = String(LIFETIME_SECONDS)
  return { status: 200, json: { access_token: token, refresh_token: '', expires_in: lifetime, expires_on: String(expiresOn), not_before: String(expiresOn - LIFETIME_SECONDS), resource, token_type: 'Bearer' } }
}

/**
 * Azure Arc's agent: a request without `Authorization` gets `401` with
 * `WWW-Authenticate: Basic realm=<key file>`, a fresh key written to a new `.key` file in
 * `keyFolder`; a request with `Authorization: Basic <that key>` gets the token (each key
 * once), `expires_in` as a string.
 */
const arc =
  (keyFolder: string | undefined, keys: Set<string>) =>
  async (r: IncomingRequest, idp: IdpContext): Promise<EndpointResult> => {
    if (r.method !== 'GET') return bad(405, { error: 'invalid_request', error_description: 'GET only' })
    if (r.headers['metadata'] !== 'true') return bad(400, { error: 'invalid_request', error_description: 'Metadata header required' })
    if (r.query['api-version'] !== '2020-06-01') return bad(400, { error: 'invalid_request', error_description: 'Invalid api-version' })
    const resource = r.query['resource']
    if (resource === undefined || resource === '') return bad(400, { error: 'invalid_request', error_description: 'resource is required' })
    const auth = r.headers['authorization']
    if (auth === undefined) {
      if (keyFolder === undefined) return bad(500, { error: 'server_error', error_description: 'The IdP serves Azure Arc only with arcKeyFolder.' })
      const file = join(keyFolder, `${randomBytes(8).toString('hex')}.key`)
      const key = randomBytes(24).toString('hex')
      await writeFile(file, key, { mode: 0o600 })
      keys.add(key)
      return { status: 401, headers: { 'www-authenticate': `Basic realm=${file}` }, text: '' }
    }
    const key = /^Basic (.+)$/.exec(auth)?.[1]
    if (key === undefined || !keys.delete(key)) return bad(401, { error: 'invalid_request', error_description: 'The key is not valid' })
    const { token, expiresOn } = await signed(idp, resource, 'system')
    const lifetime = String(LIFETIME_SECONDS)
    return { status: 200, json: { access_token: token, expires_in: lifetime, expires_on: String(expiresOn), not_before: String(expiresOn - LIFETIME_SECONDS), resource, token_type: 'Bearer' } }
  }

/**
 * A route (for `addRoute`) serving the managed identity sources at
 * {@link MANAGED_IDENTITY_PATHS}: App Service requires `X-IDENTITY-HEADER: secret`, Service
 * Fabric and Azure ML `secret: secret`; Azure Arc writes its key files to `options.arcKeyFolder`
 * (without one, its challenge round answers 500).
 *
 * @category idp
 * @since 0.1.0
 * @see https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token
 */
export const managedIdentityRoute = (secret: string, options: { readonly arcKeyFolder?: string } = {}): Route => {
  const sources: ReadonlyArray<readonly [string, (r: IncomingRequest, idp: IdpContext) => Promise<EndpointResult>]> = [
    [MANAGED_IDENTITY_PATHS.imds, imds],
    [MANAGED_IDENTITY_PATHS.appService, appService(secret)],
    [MANAGED_IDENTITY_PATHS.serviceFabric, serviceFabric(secret)],
    [MANAGED_IDENTITY_PATHS.machineLearning, machineLearning(secret)],
    [MANAGED_IDENTITY_PATHS.cloudShell, cloudShell],
    [MANAGED_IDENTITY_PATHS.arc, arc(options.arcKeyFolder, new Set())],
  ]
  return (request, idp) => sources.find(([path]) => path === request.path)?.[1](request, idp)
}
