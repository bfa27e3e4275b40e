/**
 * Authority validation and discovery: instance discovery (which hosts name the same
 * cloud, and is this host trusted), then tenant discovery (the OpenID provider
 * configuration). The result is what every grant needs: endpoints, the cache
 * `environment`, its aliases and the `realm`.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import { pipe } from 'fp-ts/function'
import { configError, decodeError, httpError, stripQuery, validationError } from '../errors/errors.js'
import type { AuthError, DecodeError, ProtocolError } from '../errors/errors.js'
import type { GrantEnv } from '../env/env.js'
import type { HttpResponse } from '../http/http.js'
import { cacheGetResponses } from '../policy/httpCache.js'
import type { HttpCacheStore } from '../policy/httpCache.js'
import type { Authority, AuthorityMetadata, ResolvedAuthority } from './types.js'
import {
  CIAM_DOMAIN_SUFFIX,
  REGION_PREFIX,
  WELL_KNOWN_B2C_HOSTS,
  instanceDiscoveryEndpoint,
  knownAliasGroup,
  resolveKnownCloud,
} from './clouds.js'
import type { CloudAliasGroup } from './clouds.js'
import { InstanceDiscoveryResponse, OpenIdConfiguration } from './codecs.js'
import { parseAuthority } from './parse.js'
import { chooseRegion, regionalHost } from './region.js'
import type { AzureRegion, RegionDetectionOptions } from './region.js'
import { decodeWith } from '../codecs/decode.js'

/**
 * Options of {@link resolveAuthority}; the names and defaults are MSAL Python's.
 *
 * @category model
 * @since 0.1.0
 */
export interface ResolveAuthorityOptions {
  /**
   * Default `true`. When `false` the host is trusted as given (MSAL's
   * `validate_authority=False`): no validating instance discovery is sent.
   */
  readonly validateAuthority?: boolean
  /**
   * Default `true`: an Entra host Microsoft does not know is validated through
   * `https://login.microsoftonline.com/common/discovery/instance` (a known cloud's own
   * host for known clouds). A URL string uses that endpoint instead; `false` never sends
   * instance discovery (MSAL's `instance_discovery=False`) and no aliases are learnt.
   */
  readonly instanceDiscovery?: boolean | string
  /**
   * Hosts (or authority URLs) the developer vouches for: they are not validated, but
   * their alias metadata is asked from the host itself (best effort).
   */
  readonly knownAuthorities?: ReadonlyArray<string>
  /** A store for discovery answers; GETs with a 2xx answer are reused for 24 hours. */
  readonly httpCache?: HttpCacheStore
  /** Sent as `client-request-id` on discovery requests. */
  readonly correlationId?: string
  /**
   * Entra regional endpoints for the client-credentials grant (MSAL's `azure_region`):
   * a region name, `true` to detect it (`regionName`, then IMDS), `false`/absent for
   * none. The result's `regional` holds the regional endpoints; see {@link withRegion}.
   */
  readonly azureRegion?: AzureRegion
  /** Region detection inputs used when `azureRegion` is `true`. */
  readonly regionDetection?: RegionDetectionOptions
}

/**
 * Validates an authority and discovers its endpoints, following MSAL Python's
 * `Authority.__init__`:
 *
 * 1. generic OIDC (`kind: 'oidc'`): only `<authority>.well-known/openid-configuration`;
 *    the `issuer` must match the authority (MSAL's `has_valid_issuer`) and endpoints must
 *    stay in the authority's Microsoft cloud, if it is one.
 * 2. Entra: a host that is neither a known Microsoft cloud nor known to the developer
 *    (ADFS, B2C, CIAM, `validateAuthority: false`, `knownAuthorities`) is validated by
 *    instance discovery; `invalid_instance` is a {@link ConfigError} and nothing else is
 *    sent. The answer's `tenant_discovery_endpoint` and alias groups are used.
 * 3. Otherwise tenant discovery is `<authority>v2.0/.well-known/openid-configuration`
 *    (ADFS: without `v2.0`; path-less CIAM: under `<t>.onmicrosoft.com`).
 *
 * A tenant the IdP does not know (a 4xx such as Entra's `400 invalid_tenant`) is a
 * {@link ConfigError}; a discovery document without `issuer`, `authorization_endpoint`
 * or `token_endpoint`, or with a non-https endpoint, is a {@link DecodeError} naming the
 * field. `realm` is the tenant segment of the token endpoint; `environment` is the
 * alias group's `preferred_cache` (the host itself when no group is known). For a host
 * with a port, `aliases` also holds the bare host name, under which MSAL Python files
 * its cache entries.
 *
 * @category discovery
 * @since 0.1.0
 * @see MSAL Python `msal.authority.Authority`, `tenant_discovery`, `_instance_discovery`,
 *   `ClientApplication._get_authority_aliases`
 */
export const resolveAuthority =
  (
    authority: Authority,
    options: ResolveAuthorityOptions = {},
  ): ReaderTaskEither<GrantEnv, AuthError, ResolvedAuthority> =>
  (env) =>
    options.azureRegion === undefined || options.azureRegion === false
      ? resolveCentral(authority, options)(env)
      : pipe(
          resolveCentral(authority, options)(env),
          TE.chain((central) => withRegion(central, options.azureRegion, { ...options.regionDetection, ...cacheAndId(options) })(env)),
        )

const cacheAndId = (options: ResolveAuthorityOptions): Pick<ResolveAuthorityOptions, 'httpCache' | 'correlationId'> => ({
  ...(options.httpCache === undefined ? {} : { httpCache: options.httpCache }),
  ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
})

const resolveCentral =
  (authority: Authority, options: ResolveAuthorityOptions): ReaderTaskEither<GrantEnv, AuthError, ResolvedAuthority> =>
  (env) => {
    const http =
      options.httpCache === undefined ? env.http : cacheGetResponses(options.httpCache, env.now)(env.http)
    const headers: Record<string, string> =
      options.correlationId === undefined
        ? { accept: 'application/json' }
        : { accept: 'application/json', 'client-request-id': options.correlationId }
    const get = (url: string): TE.TaskEither<AuthError, HttpResponse> => {
      env.log('verbose', `Authority discovery: GET ${stripQuery(url)}`, false)
      return http({ method: 'GET', url, headers })
    }

    if (authority.kind === 'oidc') {
      const discoveryUrl = withQuery(`${authority.url.replace(/\/+$/, '')}/.well-known/openid-configuration`, authority.query)
      return pipe(
        tenantDiscovery(get, discoveryUrl, authority),
        TE.chainEitherK((metadata) => checkOidcMetadata(authority, metadata)),
        TE.map((metadata) => finish(authority, metadata, undefined)),
      )
    }

    const plan = planDiscovery(authority, options)
    return pipe(
      plan.validate === undefined
        ? TE.right<AuthError, { readonly tenantDiscoveryEndpoint: string; readonly groups: ReadonlyArray<CloudAliasGroup> | undefined }>({
            tenantDiscoveryEndpoint: plan.tenantDiscoveryEndpoint,
            groups: plan.staticGroups,
          })
        : pipe(
            instanceDiscovery(get, plan.validate, authority),
            TE.map((r) => ({ tenantDiscoveryEndpoint: r.tenant_discovery_endpoint, groups: r.metadata })),
          ),
      TE.chain(({ tenantDiscoveryEndpoint, groups }) =>
        pipe(
          tenantDiscovery(get, tenantDiscoveryEndpoint, authority),
          TE.chain((metadata) =>
            groups !== undefined || plan.bestEffortAliases === undefined
              ? TE.right(finish(authority, metadata, groups))
              : pipe(
                  bestEffortAliasGroups(get, plan.bestEffortAliases, authority),
                  TE.map((g) => finish(authority, metadata, g)),
                ),
          ),
        ),
      ),
    )
  }

/**
 * What {@link resolveAuthority} will send for an (Entra, B2C, ADFS or CIAM) authority,
 * computed without I/O.
 *
 * @category model
 * @since 0.1.0
 */
export interface DiscoveryPlan {
  /** The instance discovery URL to validate the host with, when validation is needed. */
  readonly validate: string | undefined
  /** The tenant discovery URL to use when no validation answer provides one. */
  readonly tenantDiscoveryEndpoint: string
  /** Alias groups known without the network (the built-in Microsoft clouds). */
  readonly staticGroups: ReadonlyArray<CloudAliasGroup> | undefined
  /** An instance discovery URL asked for aliases only, whose failure is ignored. */
  readonly bestEffortAliases: string | undefined
  readonly isKnownToMicrosoft: boolean
  readonly isKnownToDeveloper: boolean
}

/**
 * Decides which discovery requests an authority needs (MSAL Python's
 * `_initialize_entra_authority` decision table), as pure data.
 *
 * @category discovery
 * @since 0.1.0
 * @see MSAL Python `Authority._initialize_entra_authority`
 */
export const planDiscovery = (authority: Authority, options: ResolveAuthorityOptions = {}): DiscoveryPlan => {
  const host = authority.host
  const group = knownAliasGroup(host)
  const knownToMicrosoft = group !== undefined
  const inKnownAuthorities = (options.knownAuthorities ?? []).some((k) => hostOf(k) === host)
  const knownToDeveloper =
    authority.kind === 'adfs' ||
    authority.kind === 'b2c' ||
    authority.kind === 'ciam' ||
    options.validateAuthority === false ||
    inKnownAuthorities
  const endpoint =
    options.instanceDiscovery === false
      ? undefined
      : typeof options.instanceDiscovery === 'string'
        ? options.instanceDiscovery
        : instanceDiscoveryEndpoint(host)
  const validate =
    endpoint !== undefined && !knownToMicrosoft && !knownToDeveloper
      ? withQuery(endpoint, `api-version=1.1&authorization_endpoint=${encodeURIComponent(authorizeUrl(authority))}`)
      : undefined
  const bestEffortAliases =
    endpoint !== undefined && !knownToMicrosoft && knownToDeveloper && authority.kind === 'entra'
      ? withQuery(
          typeof options.instanceDiscovery === 'string' ? options.instanceDiscovery : `https://${host}/common/discovery/instance`,
          `api-version=1.1&authorization_endpoint=${encodeURIComponent(authorizeUrl(authority))}`,
        )
      : undefined
  return {
    validate,
    tenantDiscoveryEndpoint: defaultTenantDiscoveryEndpoint(authority),
    staticGroups: group === undefined || options.instanceDiscovery === false ? undefined : [group],
    bestEffortAliases,
    isKnownToMicrosoft: knownToMicrosoft,
    isKnownToDeveloper: knownToDeveloper,
  }
}

/**
 * The tenant discovery URL MSAL derives from an authority without instance discovery:
 * `<authority>v2.0/.well-known/openid-configuration`, ADFS without `v2.0`, OIDC directly
 * under the issuer; the authority's query string is kept.
 *
 * @category discovery
 * @since 0.1.0
 * @see MSAL Python `Authority._initialize_entra_authority`, `_initialize_oidc_authority`
 */
export const defaultTenantDiscoveryEndpoint = (authority: Authority): string => {
  const base = authority.url.replace(/\/+$/, '')
  const suffix =
    authority.kind === 'adfs' || authority.kind === 'oidc'
      ? '/.well-known/openid-configuration'
      : '/v2.0/.well-known/openid-configuration'
  return withQuery(`${base}${suffix}`, authority.query)
}

/**
 * The tenant that cache entries are filed under: the first path segment of the token
 * endpoint (a GUID for Entra tenants, `common` for `common`, `adfs` for ADFS); for a
 * path-less CIAM host `<t>.onmicrosoft.com`.
 *
 * @category discovery
 * @since 0.1.0
 * @see MSAL Python `Authority.__init__` (`canonicalize(self.token_endpoint)`)
 */
export const realmOf = (tokenEndpoint: string, fallback: string): string => {
  try {
    const u = new URL(tokenEndpoint)
    const first = u.pathname.split('/')[1]
    const hostname = u.hostname.toLowerCase()
    if (hostname.endsWith(CIAM_DOMAIN_SUFFIX) && (first === undefined || first === ''))
      return `${hostname.slice(0, -CIAM_DOMAIN_SUFFIX.length)}.onmicrosoft.com`
    return first === undefined || first === '' ? fallback : first
  } catch {
    return fallback
  }
}

/**
 * True when a discovered `issuer` is acceptable for an OIDC authority (MSAL Python's
 * ordered rules: exact match; same scheme and host; CIAM tenant pattern; a Microsoft
 * issuer in the same cloud, or under a custom domain; a region-shaped prefix of the
 * authority host; a B2C subdomain).
 *
 * @category discovery
 * @since 0.1.0
 * @see MSAL Python `Authority.has_valid_issuer`
 */
export const hasValidIssuer = (issuer: string, authorityUrl: string): boolean => {
  if (issuer === '') return false
  if (issuer.replace(/\/+$/, '') === authorityUrl.replace(/\/+$/, '')) return true
  const iss = safeUrl(issuer)
  const auth = safeUrl(authorityUrl)
  if (iss === undefined || auth === undefined || iss.hostname === '') return false
  const issuerHost = iss.hostname.toLowerCase()
  const authorityHost = auth.hostname.toLowerCase()
  if (iss.protocol === auth.protocol && iss.host.toLowerCase() === auth.host.toLowerCase()) return true
  if (issuerHost.endsWith(CIAM_DOMAIN_SUFFIX)) {
    const issuerTenant = issuerHost.slice(0, -CIAM_DOMAIN_SUFFIX.length)
    const parts = auth.pathname.split('/').filter((p) => p !== '')
    const authorityTenant = parts[0] !== undefined ? parts[0].toLowerCase() : (authorityHost.split('.')[0] ?? '')
    if (issuerTenant !== '' && issuerTenant === authorityTenant) {
      const p = iss.pathname.replace(/\/+$/, '').toLowerCase()
      return p === '' || p === `/${issuerTenant}` || p === `/${issuerTenant}/v2.0`
    }
    return false
  }
  const issuerCloud = resolveKnownCloud(issuerHost)
  if (issuerCloud !== undefined && iss.protocol === 'https:') {
    const authorityCloud = resolveKnownCloud(authorityHost)
    if (authorityCloud === undefined || authorityCloud === issuerCloud) return true
  }
  const dot = issuerHost.indexOf('.')
  if (dot > 0 && REGION_PREFIX.test(issuerHost.slice(0, dot)) && issuerHost.slice(dot + 1) === authorityHost) return true
  return WELL_KNOWN_B2C_HOSTS.filter((h) => h !== 'ciamlogin.com').some((h) => issuerHost.endsWith(`.${h}`))
}

/**
 * Adds the regional endpoints to a resolved (central) Entra authority: the authority
 * `https://<regional host>/<realm>` is discovered without instance discovery, as MSAL
 * Python does, and its endpoints are stored in `regional`. `environment`, `aliases` and
 * `realm` stay the central ones, so tokens are cached under the central cloud. Only
 * Entra authorities are regionalized; others, and a failed detection, are returned as
 * they are.
 *
 * @category region
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._get_regional_authority`, `_build_client`
 */
export const withRegion =
  (
    central: ResolvedAuthority,
    azureRegion: AzureRegion | undefined,
    options: RegionDetectionOptions & Pick<ResolveAuthorityOptions, 'httpCache' | 'correlationId'> = {},
  ): ReaderTaskEither<GrantEnv, AuthError, ResolvedAuthority> =>
  (env) => {
    if (central.authority.kind !== 'entra' || azureRegion === undefined || azureRegion === false) return TE.right(central)
    return pipe(
      chooseRegion(azureRegion, options)(env),
      TE.chain((region): TE.TaskEither<AuthError, ResolvedAuthority> => {
        if (region === undefined) return TE.right(central)
        const host = regionalHost(region, central.authority.host)
        const parsed = parseAuthority(`https://${host}/${central.realm}`)
        if (E.isLeft(parsed)) {
          env.log('warning', `Region "${region}" does not give a valid host (${parsed.left.message}); using the global endpoints.`, false)
          return TE.right(central)
        }
        return pipe(
          resolveCentral(parsed.right, { instanceDiscovery: false, ...cacheAndId(options) })(env),
          TE.map((regional) => ({ ...central, regional: { region, authority: regional.authority, metadata: regional.metadata } })),
        )
      }),
    )
  }

/**
 * The authority a client-credentials request should be sent to: the regional one when
 * {@link withRegion} found a region, else the central one. Cache fields stay central.
 *
 * @category region
 * @since 0.1.0
 */
export const regionalOrCentral = (resolved: ResolvedAuthority): ResolvedAuthority =>
  resolved.regional === undefined ? resolved : { ...resolved, metadata: resolved.regional.metadata }

// ---------------------------------------------------------------------------------------

type Get = (url: string) => TE.TaskEither<AuthError, HttpResponse>

const instanceDiscovery = (
  get: Get,
  url: string,
  authority: Authority,
): TE.TaskEither<AuthError, InstanceDiscoveryResponse> =>
  pipe(
    get(url),
    TE.chainEitherK((res): Either<AuthError, InstanceDiscoveryResponse> => {
      const json = parseJson(res.body)
      const error = errorField(json)
      if (error === 'invalid_instance')
        return E.left(
          configError(
            'untrusted_authority',
            `The authority ${authority.url} is not known to Microsoft (instance discovery answered invalid_instance). ` +
              'If it is your own trusted host, pass validateAuthority: false, list it in knownAuthorities, or set instanceDiscovery: false.',
            'authority',
          ),
        )
      if (res.status >= 500) return E.left(statusError(url, res, 'Instance discovery'))
      if (error !== undefined) return E.left(protocolError(res, json, 'Instance discovery'))
      if (res.status < 200 || res.status >= 300) return E.left(statusError(url, res, 'Instance discovery'))
      if (json === undefined) return E.left(notJson('instance discovery response', res))
      return decodeWith(InstanceDiscoveryResponse, 'instance discovery response')(json)
    }),
  )

const bestEffortAliasGroups = (
  get: Get,
  url: string,
  authority: Authority,
): TE.TaskEither<AuthError, ReadonlyArray<CloudAliasGroup> | undefined> =>
  pipe(
    get(url),
    TE.map((res) => {
      if (res.status < 200 || res.status >= 300) return undefined
      const decoded = decodeWith(InstanceDiscoveryResponse, 'instance discovery response')(parseJson(res.body))
      if (E.isLeft(decoded)) return undefined
      const groups = decoded.right.metadata
      return groups !== undefined && groups.some((g) => g.aliases.some((a) => a.toLowerCase() === authority.host))
        ? groups
        : undefined
    }),
    TE.orElse(() => TE.right<AuthError, ReadonlyArray<CloudAliasGroup> | undefined>(undefined)),
  )

const tenantDiscovery = (get: Get, url: string, authority: Authority): TE.TaskEither<AuthError, AuthorityMetadata> =>
  pipe(
    get(url),
    TE.chainEitherK((res): Either<AuthError, AuthorityMetadata> => {
      if (res.status === 200) {
        const json = parseJson(res.body)
        if (json === undefined) return E.left(notJson('OpenID configuration', res))
        return pipe(decodeWith(OpenIdConfiguration, 'OpenID configuration')(json), E.map(pickMetadata))
      }
      if (res.status >= 400 && res.status < 500) {
        const json = parseJson(res.body)
        const error = errorField(json)
        const description = descriptionField(json)
        return E.left(
          configError(
            'invalid_authority',
            `Unable to get the configuration of the authority ${authority.url}: its discovery endpoint ${stripQuery(url)} answered ${res.status}` +
              `${error === undefined ? '' : ` ${error}`}${description === undefined ? '' : ` (${firstLine(description)})`}. ` +
              'Check the tenant name or id; an authority looks like https://login.microsoftonline.com/<tenant>, ' +
              'https://<tenant>.ciamlogin.com or https://<tenant>.b2clogin.com/<tenant>.onmicrosoft.com/<policy>.',
            error === 'invalid_tenant' ? 'tenant' : 'authority',
          ),
        )
      }
      return E.left(statusError(url, res, 'Tenant discovery'))
    }),
  )

const pickMetadata = (c: OpenIdConfiguration): AuthorityMetadata => {
  const out: { -readonly [K in keyof AuthorityMetadata]: AuthorityMetadata[K] } = {
    issuer: c.issuer,
    authorization_endpoint: c.authorization_endpoint,
    token_endpoint: c.token_endpoint,
  }
  if (c.device_authorization_endpoint !== undefined) out.device_authorization_endpoint = c.device_authorization_endpoint
  if (c.end_session_endpoint !== undefined) out.end_session_endpoint = c.end_session_endpoint
  if (c.jwks_uri !== undefined) out.jwks_uri = c.jwks_uri
  if (c.userinfo_endpoint !== undefined) out.userinfo_endpoint = c.userinfo_endpoint
  return out
}

const checkOidcMetadata = (authority: Authority, m: AuthorityMetadata): Either<AuthError, AuthorityMetadata> => {
  if (!hasValidIssuer(m.issuer, authority.url))
    return E.left(
      validationError(
        'issuer_mismatch',
        `The issuer ${m.issuer} published by ${authority.url}.well-known/openid-configuration does not match the authority. ` +
          'Use the issuer URL itself as oidcAuthority; for a Microsoft Entra authority use authority instead of oidcAuthority.',
      ),
    )
  const cloud = resolveKnownCloud(authority.host.replace(/:\d+$/, ''))
  if (cloud !== undefined) {
    const endpoints: ReadonlyArray<readonly [string, string | undefined]> = [
      ['token_endpoint', m.token_endpoint],
      ['authorization_endpoint', m.authorization_endpoint],
      ['device_authorization_endpoint', m.device_authorization_endpoint],
    ]
    for (const [name, value] of endpoints) {
      if (value === undefined) continue
      const h = safeUrl(value)?.hostname ?? ''
      if (resolveKnownCloud(h) !== cloud)
        return E.left(
          validationError(
            'issuer_mismatch',
            `The ${name} ${stripQuery(value)} published for ${authority.url} is not in the same Microsoft cloud as the authority; refusing to use it.`,
          ),
        )
    }
  }
  return E.right(m)
}

const finish = (
  authority: Authority,
  metadata: AuthorityMetadata,
  groups: ReadonlyArray<CloudAliasGroup> | undefined,
): ResolvedAuthority => {
  const group = groups === undefined ? undefined : knownAliasGroup(authority.host, groups)
  // MSAL Python files entries under the host name without its port; accept those too.
  const withoutPorts = (hosts: ReadonlyArray<string>): ReadonlyArray<string> =>
    dedupe([...hosts, ...hosts.map((h) => h.replace(/:\d+$/, ''))])
  const aliases = withoutPorts(
    group === undefined ? [authority.host] : dedupe([authority.host, ...group.aliases.map((a) => a.toLowerCase())]),
  )
  return {
    authority,
    metadata,
    environment: group === undefined ? authority.host : group.preferred_cache.toLowerCase(),
    aliases,
    realm: realmOf(metadata.token_endpoint, authority.tenant),
  }
}

const authorizeUrl = (a: Authority): string => `${a.url}oauth2/v2.0/authorize`

const withQuery = (url: string, query: string | undefined): string =>
  query === undefined || query === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${query}`

const hostOf = (k: string): string => {
  const s = k.trim().toLowerCase()
  if (s.includes('://')) return safeUrl(s)?.host.toLowerCase() ?? s
  return s.replace(/\/.*$/, '')
}

const dedupe = (xs: ReadonlyArray<string>): ReadonlyArray<string> => Array.from(new Set(xs))

const safeUrl = (s: string): URL | undefined => {
  try {
    return new URL(s)
  } catch {
    return undefined
  }
}

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}

const errorField = (json: unknown): string | undefined =>
  typeof json === 'object' && json !== null && typeof (json as { error?: unknown }).error === 'string'
    ? (json as { error: string }).error
    : undefined

const descriptionField = (json: unknown): string | undefined =>
  typeof json === 'object' && json !== null && typeof (json as { error_description?: unknown }).error_description === 'string'
    ? (json as { error_description: string }).error_description
    : undefined

const firstLine = (s: string): string => (s.split(/\r?\n/)[0] ?? '').slice(0, 300)

const notJson = (subject: string, res: HttpResponse): DecodeError =>
  decodeError('not_json', subject, '', 'a JSON object', `a ${res.headers['content-type'] ?? 'non-JSON'} body of ${res.body.length} characters`)

const statusError = (url: string, res: HttpResponse, what: string): AuthError => {
  const retry = Number(res.headers['retry-after'])
  return httpError(
    'status',
    url,
    `${what} at ${stripQuery(url)} answered HTTP ${res.status}; this is usually transient, try again later.`,
    Number.isFinite(retry) && res.headers['retry-after'] !== undefined ? { status: res.status, retryAfter: retry } : { status: res.status },
  )
}

const protocolError = (res: HttpResponse, json: unknown, what: string): ProtocolError => {
  const error = errorField(json) ?? 'unknown_error'
  const description = descriptionField(json)
  const base: ProtocolError = {
    _tag: 'ProtocolError',
    code: 'oauth_error',
    status: res.status,
    error,
    message: `${what} failed: ${error}${description === undefined ? '' : ` (${firstLine(description)})`}.`,
  }
  return description === undefined ? base : { ...base, errorDescription: description }
}
