/**
 * An Entra authority known without discovery: its endpoints and cache fields computed from
 * the cloud host and the tenant, as Entra publishes them, with no request.
 *
 * @module
 */
import { WORLD_WIDE } from './clouds.js'
import type { ResolvedAuthority } from './types.js'

// The alias groups of `KNOWN_CLOUD_ALIAS_GROUPS` with more than one host (a host in no group,
// or alone in its group, is its own only alias), built per call: the lean entry bundles
// these few hosts instead of the whole table (static.test.ts checks they agree).
const aliasesOf = (h: string): ReadonlyArray<string> => {
  const group = [
    ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
    ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'],
    ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  ].find((g) => g.includes(h))
  return group === undefined ? [h] : [h, ...group.filter((a) => a !== h)]
}

/**
 * The {@link ResolvedAuthority} of an Entra tenant, without instance or tenant discovery:
 * the token endpoint `https://<host>/<tenant>/oauth2/v2.0/token` (and its siblings), the
 * cache `environment` the host itself, the aliases of its Microsoft cloud (so entries MSAL
 * wrote under `login.windows.net` are read), the cache `realm` the tenant as given. Pass the
 * tenant's GUID for a realm that matches what MSAL files after discovery (discovery turns a
 * domain such as `contoso.onmicrosoft.com` into the GUID). No I/O: what the lean client
 * credentials entry (`@authfold/grants/lean`) uses instead of `resolveAuthority`.
 *
 * @example
 * ```ts
 * import { staticEntraAuthority } from '@authfold/core'
 *
 * const authority = staticEntraAuthority('72f988bf-86f1-41af-91ab-2d7cd011db47')
 * ```
 * @category discovery
 * @since 0.1.0
 * @see MSAL Python `Authority.__init__` with `instance_discovery=False` and known endpoints
 */
export const staticEntraAuthority = (tenant: string, host: string = WORLD_WIDE): ResolvedAuthority => {
  const h = host.toLowerCase()
  const base = `https://${h}/${tenant}/`
  return {
    authority: { kind: 'entra', url: base, host: h, tenant, path: tenant },
    metadata: {
      issuer: `${base}v2.0`,
      authorization_endpoint: `${base}oauth2/v2.0/authorize`,
      token_endpoint: `${base}oauth2/v2.0/token`,
      device_authorization_endpoint: `${base}oauth2/v2.0/devicecode`,
    },
    environment: h,
    aliases: aliasesOf(h),
    realm: tenant,
  }
}
