/**
 * The Microsoft clouds authfold knows without asking the network: their login hosts,
 * their alias groups (what instance discovery would answer) and the B2C / CIAM host
 * suffixes. All values are frozen literals; nothing is computed at import time.
 *
 * @module
 */

/**
 * Login hosts of the Microsoft clouds, to build authorities with {@link authorityFor}.
 * The names follow msal-node's `AzureCloudInstance`; the values are hosts as in MSAL
 * Python's `AZURE_PUBLIC`, `AZURE_CHINA`, `AZURE_US_GOVERNMENT`.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `msal.authority.AZURE_PUBLIC` / `AZURE_CHINA` / `AZURE_US_GOVERNMENT`
 */
export const AzureCloudInstance = {
  /** Microsoft Entra global (public) cloud. */
  AzurePublic: 'login.microsoftonline.com',
  /** Microsoft Entra operated by 21Vianet (China). */
  AzureChina: 'login.chinacloudapi.cn',
  /** Microsoft Entra for US Government. */
  AzureUsGovernment: 'login.microsoftonline.us',
} as const

/**
 * One of the {@link AzureCloudInstance} hosts, or any other login host.
 *
 * @category model
 * @since 0.1.0
 */
export type AzureCloudHost = (typeof AzureCloudInstance)[keyof typeof AzureCloudInstance] | (string & {})

/**
 * The global login host MSAL uses for instance discovery of hosts it does not know.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `msal.authority.WORLD_WIDE`
 */
export const WORLD_WIDE = 'login.microsoftonline.com'

/**
 * One alias group of an instance discovery answer (`metadata[]`).
 *
 * @category model
 * @since 0.1.0
 */
export interface CloudAliasGroup {
  readonly preferred_network: string
  readonly preferred_cache: string
  readonly aliases: ReadonlyArray<string>
}

/**
 * The alias groups of the Microsoft clouds, as `/common/discovery/instance?api-version=1.1`
 * answers them (msal-common ships the same table). A host listed here is
 * "known to Microsoft": it is never validated over the network.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `msal.authority._HOSTS_BY_CLOUD`, msal-common `InstanceDiscoveryMetadata`
 */
export const KNOWN_CLOUD_ALIAS_GROUPS: ReadonlyArray<CloudAliasGroup> = [
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
  {
    preferred_network: 'login.microsoftonline.de',
    preferred_cache: 'login.microsoftonline.de',
    aliases: ['login.microsoftonline.de'],
  },
  {
    preferred_network: 'login.microsoftonline.us',
    preferred_cache: 'login.microsoftonline.us',
    aliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  },
  {
    preferred_network: 'login-us.microsoftonline.com',
    preferred_cache: 'login-us.microsoftonline.com',
    aliases: ['login-us.microsoftonline.com'],
  },
  {
    preferred_network: 'login.sovcloud-identity.fr',
    preferred_cache: 'login.sovcloud-identity.fr',
    aliases: ['login.sovcloud-identity.fr'],
  },
  {
    preferred_network: 'login.sovcloud-identity.de',
    preferred_cache: 'login.sovcloud-identity.de',
    aliases: ['login.sovcloud-identity.de'],
  },
  {
    preferred_network: 'login.sovcloud-identity.sg',
    preferred_cache: 'login.sovcloud-identity.sg',
    aliases: ['login.sovcloud-identity.sg'],
  },
]

/**
 * Host suffixes (after a dot) that mark a B2C or CIAM authority.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `msal.authority.WELL_KNOWN_B2C_HOSTS`
 */
export const WELL_KNOWN_B2C_HOSTS: ReadonlyArray<string> = ['b2clogin.com', 'b2clogin.cn', 'b2clogin.us', 'b2clogin.de', 'ciamlogin.com']

/**
 * The host suffix of Entra External ID (CIAM) tenants.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `msal.authority._CIAM_DOMAIN_SUFFIX`
 */
export const CIAM_DOMAIN_SUFFIX = '.ciamlogin.com'

/**
 * The alias group a host belongs to, from the built-in table, if any.
 *
 * @category utils
 * @since 0.1.0
 */
export const knownAliasGroup = (
  host: string,
  groups: ReadonlyArray<CloudAliasGroup> = KNOWN_CLOUD_ALIAS_GROUPS,
): CloudAliasGroup | undefined => {
  const h = host.toLowerCase()
  return groups.find((g) => g.aliases.some((a) => a.toLowerCase() === h))
}

/**
 * True when MSAL treats the host as a Microsoft cloud it knows (no instance discovery).
 *
 * @category utils
 * @since 0.1.0
 * @see MSAL Python `msal.authority.WELL_KNOWN_AUTHORITY_HOSTS`
 */
export const isKnownToMicrosoft = (host: string): boolean => knownAliasGroup(host) !== undefined

/**
 * The host MSAL asks for instance discovery: the host itself when it is a known
 * Microsoft cloud, else the global {@link WORLD_WIDE} host.
 *
 * @category utils
 * @since 0.1.0
 * @see MSAL Python `msal.authority._get_instance_discovery_host`
 */
export const instanceDiscoveryHost = (host: string): string => (isKnownToMicrosoft(host) ? host.toLowerCase() : WORLD_WIDE)

/**
 * The default instance discovery endpoint for a host.
 *
 * @category utils
 * @since 0.1.0
 * @see MSAL Python `msal.authority._get_instance_discovery_endpoint`
 */
export const instanceDiscoveryEndpoint = (host: string): string =>
  `https://${instanceDiscoveryHost(host)}/common/discovery/instance`

/**
 * The Microsoft cloud a host belongs to (its alias group's `preferred_network`), also
 * for regional hosts `<region>.<alias>`; `undefined` for custom domains.
 *
 * @category utils
 * @since 0.1.0
 * @see MSAL Python `msal.authority._resolve_known_cloud`
 */
export const resolveKnownCloud = (host: string): string | undefined => {
  const h = host.toLowerCase()
  if (h === 'ciamlogin.com') return KNOWN_CLOUD_ALIAS_GROUPS[0]?.preferred_network
  const direct = knownAliasGroup(h)
  if (direct !== undefined) return direct.preferred_network
  const dot = h.indexOf('.')
  if (dot <= 0) return undefined
  const prefix = h.slice(0, dot)
  const base = h.slice(dot + 1)
  if (!REGION_PREFIX.test(prefix)) return undefined
  if (base === 'ciamlogin.com') return KNOWN_CLOUD_ALIAS_GROUPS[0]?.preferred_network
  return knownAliasGroup(base)?.preferred_network
}

/**
 * An RFC 1123 DNS label: the shape of a region prefix (not an allow-list of regions).
 *
 * @category constants
 * @since 0.1.0
 */
export const REGION_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
