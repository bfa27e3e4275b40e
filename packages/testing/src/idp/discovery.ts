/**
 * Discovery endpoints, shaped like Entra's:
 * - `GET /common/discovery/instance?api-version=…&authorization_endpoint=…` (instance metadata),
 * - `GET /{tenant}/v2.0/.well-known/openid-configuration` and `/{tenant}/.well-known/openid-configuration`,
 * - `GET /{tenant}/discovery/v2.0/keys` and `/{tenant}/discovery/keys` (JWKS).
 *
 * @module
 */
import { errorContext, errors } from './errors.js'
import { publicInstanceDiscovery } from './publicHost.js'
import type { EndpointResult, IdpContext, IncomingRequest, Route, TenantMatch } from './types.js'

/**
 * Splits a path into its non-empty segments.
 *
 * @category idp
 * @since 0.1.0
 */
export const pathSegments = (path: string): ReadonlyArray<string> => path.split('/').filter((s) => s !== '')

const MULTI_TENANT = new Set(['common', 'organizations', 'consumers'])

/**
 * Resolves a tenant path segment against the IdP's tenant: its GUID, its domain, or one of
 * `common`, `organizations`, `consumers` (case-insensitive).
 *
 * @category idp
 * @since 0.1.0
 */
export const resolveTenantSegment =
  (tenantId: string, tenantDomain: string) =>
  (segment: string): TenantMatch | undefined => {
    const s = segment.toLowerCase()
    if (MULTI_TENANT.has(s)) return { segment, tenantId, multiTenant: true }
    if (s === tenantId.toLowerCase() || s === tenantDomain.toLowerCase()) return { segment, tenantId, multiTenant: false }
    return undefined
  }

/**
 * The path segment endpoints are published under: the segment for multi-tenant aliases,
 * the GUID otherwise (Entra answers a domain's discovery with GUID endpoints).
 *
 * @category idp
 * @since 0.1.0
 */
export const endpointTenant = (tenant: TenantMatch): string => (tenant.multiTenant ? tenant.segment.toLowerCase() : tenant.tenantId)

/**
 * Entra's OpenID Connect discovery document for a tenant.
 *
 * @category idp
 * @since 0.1.0
 */
export const openIdConfiguration = (idp: IdpContext, tenant: TenantMatch): Readonly<Record<string, unknown>> => {
  const t = endpointTenant(tenant)
  const base = `${idp.url}/${t}`
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: idp.issuer(tenant.multiTenant ? '{tenantid}' : tenant.tenantId),
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${idp.url}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'authfold.test',
    cloud_graph_host_name: 'graph.authfold.test',
    msgraph_host: 'graph.authfold.test',
    rbac_url: `${idp.url}/rbac`,
  }
}

const json = (value: unknown): EndpointResult => ({ status: 200, json: value })

/**
 * The instance discovery answer: this host is its own cloud, with `localhost:PORT` as alias;
 * with a `publicHost`, an endpoint on one of its aliases gets Entra's answer.
 *
 * @category idp
 * @since 0.1.0
 */
export const instanceDiscovery = (idp: IdpContext, request: IncomingRequest): EndpointResult => {
  const ctx = errorContext(idp, request.correlationId)
  const authorizationEndpoint = request.query['authorization_endpoint']
  if (authorizationEndpoint === undefined) return errors.missingParameter(ctx, 'authorization_endpoint')
  let target: URL
  try {
    target = new URL(authorizationEndpoint)
  } catch {
    return errors.unknownInstance(ctx)
  }
  const tenant = pathSegments(target.pathname)[0] ?? 'common'
  const entra = publicInstanceDiscovery(idp, target, tenant)
  if (entra !== undefined) return entra
  const port = idp.host.slice(idp.host.lastIndexOf(':') + 1)
  const aliases = [idp.host, `localhost:${port}`]
  if (target.protocol !== 'https:' || !aliases.includes(target.host.toLowerCase())) return errors.unknownInstance(ctx)
  return json({
    tenant_discovery_endpoint: `${idp.url}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: idp.host, preferred_cache: idp.host, aliases }],
  })
}

/**
 * The discovery routes (instance metadata, OpenID configuration, JWKS).
 *
 * @category idp
 * @since 0.1.0
 */
export const discoveryRoutes: ReadonlyArray<Route> = [
  (request, idp) => {
    const s = pathSegments(request.path)
    if (request.method !== 'GET' || s.length !== 3 || s[0]?.toLowerCase() !== 'common' || s[1] !== 'discovery' || s[2] !== 'instance')
      return undefined
    return instanceDiscovery(idp, request)
  },
  (request, idp) => {
    const s = pathSegments(request.path)
    const isConfig =
      request.method === 'GET' &&
      ((s.length === 4 && s[1] === 'v2.0' && s[2] === '.well-known' && s[3] === 'openid-configuration') ||
        (s.length === 3 && s[1] === '.well-known' && s[2] === 'openid-configuration'))
    if (!isConfig || s[0] === undefined) return undefined
    const tenant = idp.resolveTenant(s[0])
    return tenant === undefined
      ? errors.tenantNotFound(errorContext(idp, request.correlationId), s[0])
      : json(openIdConfiguration(idp, tenant))
  },
  (request, idp) => {
    const s = pathSegments(request.path)
    const isKeys =
      request.method === 'GET' &&
      ((s.length === 4 && s[1] === 'discovery' && s[2] === 'v2.0' && s[3] === 'keys') || (s.length === 3 && s[1] === 'discovery' && s[2] === 'keys'))
    if (!isKeys || s[0] === undefined) return undefined
    return idp.resolveTenant(s[0]) === undefined
      ? errors.tenantNotFound(errorContext(idp, request.correlationId), s[0])
      : json(idp.jwks)
  },
]
