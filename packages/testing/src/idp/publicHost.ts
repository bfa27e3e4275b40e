/**
 * Standing in for a public Entra host: when the IdP is started with `publicHost`
 * (`login.microsoftonline.com`), a request whose `Host` header names that host or one of
 * its cloud's aliases is answered as Entra answers it there: discovery documents name
 * `https://<that host>/...` endpoints, tokens carry the cloud's issuer, and instance
 * discovery answers with Entra's alias groups. Clients reach the IdP on 127.0.0.1 through
 * a transport that keeps the public `Host` (and SNI); the TLS certificate names every alias.
 *
 * @module
 */
import type { EndpointResult, IdpContext, IncomingRequest } from './types.js'

/**
 * One alias group of Entra's instance discovery answer.
 *
 * @category idp
 * @since 0.1.0
 */
export interface EntraCloudGroup {
  readonly preferred_network: string
  readonly preferred_cache: string
  readonly aliases: ReadonlyArray<string>
}

/**
 * The `metadata` of Entra's instance discovery answer (api-version 1.1), as
 * `login.microsoftonline.com/common/discovery/instance` gives it (msal-common ships the
 * same groups as its built-in copy).
 *
 * @category idp
 * @since 0.1.0
 * @see https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/common/oauth2/v2.0/authorize
 */
export const ENTRA_CLOUD_GROUPS: ReadonlyArray<EntraCloudGroup> = [
  {
    preferred_network: 'login.microsoftonline.com',
    preferred_cache: 'login.windows.net',
    aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
  },
  {
    preferred_network: 'login.partner.microsoftonline.cn',
    preferred_cache: 'login.partner.microsoftonline.cn',
    aliases: ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'],
  },
  { preferred_network: 'login.microsoftonline.de', preferred_cache: 'login.microsoftonline.de', aliases: ['login.microsoftonline.de'] },
  {
    preferred_network: 'login.microsoftonline.us',
    preferred_cache: 'login.microsoftonline.us',
    aliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  },
  { preferred_network: 'login-us.microsoftonline.com', preferred_cache: 'login-us.microsoftonline.com', aliases: ['login-us.microsoftonline.com'] },
]

/**
 * The hosts the IdP answers for as `publicHost`: the aliases of its Entra cloud, or the
 * host alone when it belongs to none. Lower-case.
 *
 * @category idp
 * @since 0.1.0
 */
export const publicHostAliases = (publicHost: string): ReadonlyArray<string> => {
  const host = publicHost.toLowerCase()
  return ENTRA_CLOUD_GROUPS.find((g) => g.aliases.includes(host))?.aliases ?? [host]
}

/**
 * The host a request was sent to, from its `Host` header: lower-case, without `:443`.
 *
 * @category idp
 * @since 0.1.0
 */
export const requestedHost = (request: IncomingRequest): string => (request.headers['host'] ?? '').toLowerCase().replace(/:443$/, '')

/**
 * The IdP as seen under the host a request names: under one of the public aliases, its
 * URLs are `https://<that host>` and its issuer is the public host's
 * (`https://login.microsoftonline.com/<tid>/v2.0` under every alias, as Entra issues v2
 * tokens); under any other host, the IdP itself.
 *
 * @category idp
 * @since 0.1.0
 */
export const servedAs = (idp: IdpContext, request: IncomingRequest): IdpContext => {
  const cloud = idp.publicCloud
  const host = requestedHost(request)
  if (cloud === undefined || !cloud.aliases.includes(host)) return idp
  const url = `https://${host}`
  return {
    ...idp,
    host,
    url,
    issuer: (tid) => `https://${cloud.host}/${tid}/v2.0`,
    tokenEndpoint: (segment) => `${url}/${segment}/oauth2/v2.0/token`,
  }
}

/**
 * Entra's instance discovery answer for an authorization endpoint on one of the public
 * aliases; `undefined` for any other endpoint (the caller answers those).
 *
 * @category idp
 * @since 0.1.0
 */
export const publicInstanceDiscovery = (idp: IdpContext, target: URL, tenant: string): EndpointResult | undefined => {
  const cloud = idp.publicCloud
  if (cloud === undefined || target.protocol !== 'https:' || !cloud.aliases.includes(target.host.toLowerCase())) return undefined
  return {
    status: 200,
    json: {
      tenant_discovery_endpoint: `https://${target.host.toLowerCase()}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: ENTRA_CLOUD_GROUPS,
    },
  }
}
