/**
 * User realm discovery, `GET /common/userrealm/<username>?api-version=1.0`, as Entra
 * answers it for a managed (cloud-only) user: `account_type: "Managed"`, so MSAL goes on
 * with the `password` grant. A domain the IdP does not know answers `"Unknown"` (MSAL
 * goes on with ROPC too, and Entra then refuses the user).
 *
 * @module
 */
import { pathSegments } from '../discovery.js'
import type { Route } from '../types.js'
import type { UserDirectory } from './users.js'

/**
 * The user realm route over a user directory.
 *
 * @category idp
 * @since 0.1.0
 */
export const userRealmRoute =
  (users: UserDirectory): Route =>
  (request, idp) => {
    const s = pathSegments(request.path)
    if (request.method !== 'GET' || s.length !== 3 || s[0]?.toLowerCase() !== 'common' || s[1]?.toLowerCase() !== 'userrealm') return undefined
    let username: string
    try {
      username = decodeURIComponent(s[2] ?? '')
    } catch {
      username = s[2] ?? ''
    }
    const domain = username.includes('@') ? username.slice(username.lastIndexOf('@') + 1) : ''
    const known = users.find(username) !== undefined || domain.toLowerCase() === idp.tenantDomain.toLowerCase()
    return {
      status: 200,
      json: known
        ? {
            ver: '1.0',
            account_type: 'Managed',
            domain_name: domain,
            cloud_instance_name: 'authfold.test',
            cloud_audience_urn: 'urn:federation:MicrosoftOnline',
          }
        : { ver: '1.0', account_type: 'Unknown', cloud_instance_name: 'authfold.test' },
    }
  }
