/**
 * Standing in for a public Entra host: when the IdP is started with `publicHost`
 * (`login.microsoftonline.com`), a request whose `Host` header names that host or one of
 * its cloud's aliases is answered as Entra answers it there: discovery documents name
 * `https://<that host>/...` endpoints, tokens carry the cloud's issuer, and instance
 * discovery answers with Entra's alias groups (core's `KNOWN_CLOUD_ALIAS_GROUPS`, the
 * table msal-common ships; `publicHost.test.ts` pins the answer to msal-common's literal).
 * Clients reach the IdP on 127.0.0.1 through a transport that keeps the public `Host`
 * (and SNI); the TLS certificate names every alias.
 *
 * @module
 */
import { KNOWN_CLOUD_ALIAS_GROUPS } from '@authfold/core'
import type { EndpointResult, IdpContext, IncomingRequest } from './types.js'

/**
 * The hosts the IdP answers for as `publicHost`: the aliases of its Entra cloud, or the
 * host alone when it belongs to none. Lower-case.
 *
 * @category idp
 * @since 0.1.0
 */
export const publicHostAliases = (publicHost: string): ReadonlyArray<string> => {
  const host = publicHost.toLowerCase()
  return KNOWN_CLOUD_ALIAS_GROUPS.find((g) => g.aliases.includes(host))?.aliases ?? [host]
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
      metadata: KNOWN_CLOUD_ALIAS_GROUPS,
    },
  }
}
