/**
 * The authority of the lean confidential client: an Entra authority URL read without
 * discovery.
 *
 * @module
 */
import type * as E from 'fp-ts/Either'
import { configError, staticEntraAuthority, type ConfigError, type ResolvedAuthority, left, right } from '@authfold/core'

const refuse = (why: string): E.Either<ConfigError, never> =>
  left(configError('invalid_authority', `${why} The lean client knows Entra tenants only; use createConfidentialClient from '@authfold/client', which discovers any authority.`, 'authority'))

/**
 * Reads `https://<host>/<tenant>` (a trailing `/` allowed) as an Entra tenant's
 * {@link ResolvedAuthority} with no request: its endpoints, cache environment, aliases and
 * realm as `staticEntraAuthority` computes them (MSAL with `instance_discovery=False`). An
 * authority that needs discovery to be understood (ADFS, Azure AD B2C, a CIAM or OIDC issuer,
 * a path deeper than the tenant) is a {@link ConfigError} naming the full client, as is
 * anything that is not an `https` URL.
 *
 * @example
 * ```ts
 * import { leanEntraAuthority } from '@authfold/client/lean'
 *
 * const authority = leanEntraAuthority('https://login.microsoftonline.com/contoso.onmicrosoft.com') // Right
 * const adfs = leanEntraAuthority('https://adfs.contoso.com/adfs') // Left: ConfigError
 * ```
 * @category discovery
 * @since 0.1.0
 * @see MSAL Python `Authority.__init__` with `instance_discovery=False`
 */
export const leanEntraAuthority = (authority: string): E.Either<ConfigError, ResolvedAuthority> => {
  const m = /^https:\/\/([a-z0-9][a-z0-9.-]*(?::\d+)?)\/([a-z0-9][a-z0-9._-]*)\/?$/i.exec(authority)
  if (m === null) return refuse(`The authority ${JSON.stringify(authority)} is not https://<host>/<tenant> (a tenant id, a domain, common, organizations or consumers).`)
  const host = m[1] ?? ''
  const tenant = m[2] ?? ''
  if (/\.b2clogin\.|\.ciamlogin\./i.test(host) || /^(adfs|tfp)$/i.test(tenant))
    return refuse(`The authority ${JSON.stringify(authority)} is not an Entra tenant (ADFS, B2C or CIAM).`)
  return right(staticEntraAuthority(tenant, host))
}
