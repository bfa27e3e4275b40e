/**
 * `POST /{tenant}/oauth2/v2.0/token`: parses the form, resolves the tenant, finds the grant
 * handler for `grant_type` in the server's registry, authenticates the client as the
 * handler asks, then lets the handler answer.
 *
 * @module
 */
import { authenticateClient } from './clientAuth.js'
import { endpointTenant, pathSegments } from './discovery.js'
import { errorContext, errors } from './errors.js'
import type { EndpointResult, IdpContext, IncomingRequest, Route } from './types.js'

/**
 * The tenant segment when `path` is a token endpoint path (`/{tenant}/oauth2/v2.0/token`).
 *
 * @category idp
 * @since 0.1.0
 */
export const tokenPathTenant = (path: string): string | undefined => {
  const s = pathSegments(path)
  return s.length === 4 && s[1] === 'oauth2' && s[2] === 'v2.0' && s[3] === 'token' ? s[0] : undefined
}

/**
 * Parses an `application/x-www-form-urlencoded` body, keeping the first value of each name.
 * Never throws.
 *
 * @category idp
 * @since 0.1.0
 */
export const parseForm = (body: string): Readonly<Record<string, string>> => {
  const out: Record<string, string> = {}
  for (const [k, v] of new URLSearchParams(body)) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = v
  return out
}

const NO_STORE = { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' } as const

const withNoStore = (r: EndpointResult): EndpointResult => ({ ...r, headers: { ...NO_STORE, ...r.headers } })

/**
 * Answers one token request.
 *
 * @category idp
 * @since 0.1.0
 */
export const tokenEndpoint = async (idp: IdpContext, request: IncomingRequest, segment: string): Promise<EndpointResult> => {
  const ctx = errorContext(idp, request.correlationId)
  if (request.method !== 'POST') return errors.postOnly(ctx, request.method)
  const tenant = idp.resolveTenant(segment)
  if (tenant === undefined) return errors.tenantNotFound(ctx, segment)
  const form = parseForm(request.body)
  const grantType = form['grant_type']
  if (grantType === undefined || grantType === '') return errors.missingParameter(ctx, 'grant_type')
  const handler = idp.grants.get(grantType)
  if (handler === undefined) return errors.unsupportedGrant(ctx, grantType)
  const auth = await authenticateClient(idp, request, form, tenant, handler.clientAuthentication)
  if (auth._tag === 'rejected') return auth.answer
  return handler.handle({ request, tenant, form, client: auth.client, tokenEndpoint: idp.tokenEndpoint(endpointTenant(tenant)) }, idp)
}

/**
 * The token endpoint route.
 *
 * @category idp
 * @since 0.1.0
 */
export const tokenRoute: Route = (request, idp) => {
  const segment = tokenPathTenant(request.path)
  return segment === undefined ? undefined : tokenEndpoint(idp, request, segment).then(withNoStore)
}
