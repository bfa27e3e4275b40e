/**
 * The `client_credentials` grant (RFC 6749 §4.4) as Entra answers it: one
 * `<resource>/.default` scope, an app-only RS256 access token for that resource,
 * `expires_in`/`ext_expires_in`, and `refresh_in` (half the lifetime) when the lifetime is
 * over two hours. The `claims` and `fmi_path` parameters are echoed into the token.
 * With `token_type=ssh-cert` the answer is an SSH certificate (see `sshCert.ts`).
 *
 * @module
 */
import { errorContext, errors } from '../errors.js'
import type { EndpointResult, GrantHandler, GrantRequest, IdpContext } from '../types.js'
import { SSH_CERT, sshCertRequest, sshCertificate } from './sshCert.js'

const DEFAULT_SUFFIX = '/.default'

/**
 * The resource of a client-credentials scope, or the error answer for a bad scope.
 *
 * @category idp
 * @since 0.1.0
 */
export const resourceOfScope = (scope: string): { readonly resource: string } | 'not_default' | 'not_single' => {
  const scopes = scope.split(/\s+/).filter((s) => s !== '')
  const [only] = scopes
  if (scopes.length !== 1 || only === undefined) return 'not_single'
  if (!only.endsWith(DEFAULT_SUFFIX) || only.length === DEFAULT_SUFFIX.length) return 'not_default'
  return { resource: only.slice(0, -DEFAULT_SUFFIX.length) }
}

/**
 * The client capabilities (`xms_cc`) asked for in a `claims` request parameter
 * (`{"access_token":{"xms_cc":{"values":["cp1"]}}}`), if any.
 *
 * @category idp
 * @since 0.1.0
 */
export const capabilitiesOfClaims = (claims: string): ReadonlyArray<string> | undefined => {
  try {
    const parsed: unknown = JSON.parse(claims)
    const values = (parsed as { access_token?: { xms_cc?: { values?: unknown } } } | null)?.access_token?.xms_cc?.values
    return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : undefined
  } catch {
    return undefined
  }
}

const ACR = { none: '0', secret: '1', certificate: '2' } as const

const handle = async (grant: GrantRequest, idp: IdpContext): Promise<EndpointResult> => {
  const ctx = errorContext(idp, grant.request.correlationId)
  const authenticated = grant.client
  if (authenticated === undefined) return errors.missingParameter(ctx, 'client_id')
  const scope = grant.form['scope']
  if (scope === undefined) return errors.missingParameter(ctx, 'scope')
  const parsed = resourceOfScope(scope)
  if (parsed === 'not_single') return errors.invalidScope(ctx, scope)
  if (parsed === 'not_default') return errors.scopeNotDefault(ctx, scope)
  const ssh = sshCertRequest(ctx, grant.form)
  if (ssh !== undefined && 'status' in ssh) return ssh
  const { client, credential } = authenticated
  const now = Math.floor(ctx.now / 1000)
  const lifetime = client.accessTokenLifetimeSeconds
  const issuer = idp.issuer(grant.tenant.tenantId)
  const claims = grant.form['claims']
  const capabilities = claims === undefined ? undefined : capabilitiesOfClaims(claims)
  const fmiPath = grant.form['fmi_path']
  const sign = (claims: Readonly<Record<string, unknown>>): Promise<string> => (ssh === undefined ? idp.signJwt(claims) : sshCertificate(idp, ssh, claims))
  const accessToken = await sign({
    aud: parsed.resource,
    iss: issuer,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    appid: client.clientId,
    appidacr: ACR[credential],
    azp: client.clientId,
    azpacr: ACR[credential],
    idp: issuer,
    idtyp: 'app',
    oid: client.objectId,
    sub: client.objectId,
    tid: grant.tenant.tenantId,
    uti: idp.uuid(),
    ver: '2.0',
    ...(client.roles.length > 0 ? { roles: [...client.roles] } : {}),
    ...(claims === undefined ? {} : { xms_claims: claims }),
    ...(capabilities === undefined ? {} : { xms_cc: capabilities }),
    ...(fmiPath === undefined ? {} : { fmi_path: fmiPath }),
  })
  return {
    status: 200,
    json: {
      token_type: ssh === undefined ? 'Bearer' : SSH_CERT,
      expires_in: lifetime,
      ext_expires_in: lifetime,
      ...(lifetime > 7200 ? { refresh_in: Math.floor(lifetime / 2) } : {}),
      access_token: accessToken,
    },
  }
}

/**
 * The `client_credentials` grant handler (client authentication required).
 *
 * @category idp
 * @since 0.1.0
 */
export const clientCredentialsGrant: GrantHandler = { clientAuthentication: 'required', handle }
