/**
 * A federated domain's user realm answer, as Entra gives it for a domain whose users sign
 * in at their own IdP (AD FS): `account_type: "Federated"`, `federation_protocol: "WSTrust"`,
 * the MEX address and the WS-Trust endpoint. Add it to a server with `addRoute`; the
 * WS-Trust side comes with the wstrust package.
 *
 * @module
 */
import { pathSegments } from '../discovery.js'
import type { Route } from '../types.js'

/**
 * A domain federated with another IdP.
 *
 * @category idp
 * @since 0.1.0
 */
export interface FederatedDomain {
  /** e.g. `fabrikam.test` (matched case-insensitively against the username's domain). */
  readonly domain: string
  /** The MEX address, e.g. `https://adfs.fabrikam.test/adfs/services/trust/mex`. */
  readonly federationMetadataUrl: string
  /** The WS-Trust endpoint, e.g. `https://adfs.fabrikam.test/adfs/services/trust/2005/usernamemixed`. */
  readonly federationActiveAuthUrl: string
}

/**
 * The user realm route of federated domains: `GET /common/userrealm/<user>@<domain>` answers
 * `Federated` for one of `domains`, and leaves every other username to the next route.
 *
 * @example
 * ```ts
 * import { federatedRealmRoute, type IdentityProvider } from '@authfold/testing'
 *
 * declare const idp: IdentityProvider, federationMetadataUrl: string, federationActiveAuthUrl: string
 * idp.addRoute(federatedRealmRoute([{ domain: 'fabrikam.test', federationMetadataUrl, federationActiveAuthUrl }]))
 * ```
 * @category idp
 * @since 0.1.0
 */
export const federatedRealmRoute =
  (domains: ReadonlyArray<FederatedDomain>): Route =>
  (request) => {
    const s = pathSegments(request.path)
    if (request.method !== 'GET' || s.length !== 3 || s[0]?.toLowerCase() !== 'common' || s[1]?.toLowerCase() !== 'userrealm') return undefined
    let username: string
    try {
      username = decodeURIComponent(s[2] ?? '')
    } catch {
      return undefined
    }
    const at = username.lastIndexOf('@')
    const domain = at < 0 ? '' : username.slice(at + 1).toLowerCase()
    const federated = domains.find((d) => d.domain.toLowerCase() === domain)
    if (federated === undefined) return undefined
    return {
      status: 200,
      json: {
        ver: '1.0',
        account_type: 'Federated',
        domain_name: federated.domain,
        federation_protocol: 'WSTrust',
        federation_metadata_url: federated.federationMetadataUrl,
        federation_active_auth_url: federated.federationActiveAuthUrl,
        cloud_instance_name: 'authfold.test',
        cloud_audience_urn: 'urn:federation:MicrosoftOnline',
      },
    }
  }
