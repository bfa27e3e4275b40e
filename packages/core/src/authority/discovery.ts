/**
 * Authority validation and discovery without the optional parts: instance discovery
 * (which hosts name the same cloud, and is this host trusted), then tenant discovery (the
 * OpenID provider configuration). The result is what every grant needs: endpoints, the
 * cache `environment`, its aliases and the `realm`. OIDC issuer checks (`oidc.ts`) and
 * regional endpoints (`regional.ts`) live apart, so a bundle that does not use them leaves
 * them out; `resolveAuthority` (`resolve.ts`) puts all of them together.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import { pipe } from 'fp-ts/function'
import { configError, stripQuery } from '../errors/errors.js'
import { printableText } from '../errors/printable.js'
import type { AuthError } from '../errors/errors.js'
import type { GrantEnv } from '../env/env.js'
import type { HttpResponse } from '../http/http.js'
import { cacheGetResponses } from '../policy/httpCache.js'
import type { HttpCacheStore } from '../policy/httpCache.js'
import type { Authority, AuthorityMetadata, ResolvedAuthority } from './types.js'
import { CIAM_DOMAIN_SUFFIX, instanceDiscoveryEndpoint, knownAliasGroup } from './clouds.js'
import type { CloudAliasGroup } from './clouds.js'
import { InstanceDiscoveryResponse, OpenIdConfiguration } from './codecs.js'
import type { AzureRegion, RegionDetectionOptions } from './region.js'
import { decodeWith, parseJson } from '../codecs/decode.js'
import { processJsonAnswer } from '../codecs/processJsonAnswer.js'

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
   * no instance discovery is sent for them, and their only alias is themselves (as in
   * MSAL Python), so such a host can never claim a Microsoft host's cache entries.
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
 * Checks the discovered metadata of a generic OIDC authority (`oidc.ts` has MSAL's).
 *
 * @category model
 * @since 0.1.0
 */
export type OidcMetadataCheck = (authority: Authority, metadata: AuthorityMetadata) => Either<AuthError, AuthorityMetadata>

/**
 * The request options discovery shares with region detection.
 *
 * @category utils
 * @since 0.1.0
 */
export const cacheAndId = (options: Pick<ResolveAuthorityOptions, 'httpCache' | 'correlationId'>): Pick<ResolveAuthorityOptions, 'httpCache' | 'correlationId'> => ({
  ...(options.httpCache === undefined ? {} : { httpCache: options.httpCache }),
  ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
})

/**
 * Resolves an Entra, B2C, ADFS or CIAM authority (see `resolveAuthority` for the steps),
 * without regional endpoints. A generic OIDC authority is refused with a `ConfigError`:
 * use `resolveAuthority`, which also checks its issuer. `azureRegion` is not looked at.
 *
 * @example
 * ```ts
 * import { resolveEntraAuthority, type Authority, type GrantEnv } from '@authfold/core'
 *
 * declare const authority: Authority, env: GrantEnv
 * const resolved = await resolveEntraAuthority(authority)(env)()
 * ```
 * @category discovery
 * @since 0.1.0
 */
export const resolveEntraAuthority = (authority: Authority, options: ResolveAuthorityOptions = {}): ReaderTaskEither<GrantEnv, AuthError, ResolvedAuthority> =>
  resolveCentralWith(refuseOidc)(authority, options)

const refuseOidc: OidcMetadataCheck = () =>
  E.left(configError('unsupported', 'resolveEntraAuthority does not resolve a generic OIDC authority; use resolveAuthority.', 'authority'))

/**
 * Resolves an authority without regional endpoints; a generic OIDC authority's metadata is
 * checked with `checkOidc`.
 *
 * @category discovery
 * @since 0.1.0
 */
export const resolveCentralWith =
  (checkOidc: OidcMetadataCheck) =>
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
        TE.chainEitherK((metadata) => checkOidc(authority, metadata)),
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
          TE.map((metadata) => finish(authority, metadata, groups)),
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
  return {
    validate,
    tenantDiscoveryEndpoint: defaultTenantDiscoveryEndpoint(authority),
    staticGroups: group === undefined || options.instanceDiscovery === false ? undefined : [group],
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
    TE.chainEitherK((res) =>
      pipe(
        processJsonAnswer({ subject: 'instance discovery response', url, read: decodeWith(InstanceDiscoveryResponse, 'instance discovery response') })(res),
        E.mapLeft((e): AuthError =>
          e._tag === 'ProtocolError' && e.error === 'invalid_instance'
            ? configError(
                'untrusted_authority',
                `The authority ${authority.url} is not known to Microsoft (instance discovery answered invalid_instance). ` +
                  'If it is your own trusted host, pass validateAuthority: false, list it in knownAuthorities, or set instanceDiscovery: false.',
                'authority',
              )
            : e,
        ),
      ),
    ),
  )

const tenantDiscovery = (get: Get, url: string, authority: Authority): TE.TaskEither<AuthError, AuthorityMetadata> =>
  pipe(
    get(url),
    TE.chainEitherK((res): Either<AuthError, AuthorityMetadata> => {
      if (res.status >= 400 && res.status < 500) {
        const json = pipe(parseJson(res.body, 'OpenID configuration'), E.getOrElseW(() => undefined))
        const error = stringField(json, 'error')
        const description = stringField(json, 'error_description')
        return E.left(
          configError(
            'invalid_authority',
            `Unable to get the configuration of the authority ${authority.url}: its discovery endpoint ${stripQuery(url)} answered ${res.status}` +
              `${error === undefined ? '' : ` ${printableText(error, 100)}`}${description === undefined ? '' : ` (${printableText(description)})`}. ` +
              'Check the tenant name or id; an authority looks like https://login.microsoftonline.com/<tenant>, ' +
              'https://<tenant>.ciamlogin.com or https://<tenant>.b2clogin.com/<tenant>.onmicrosoft.com/<policy>.',
            error === 'invalid_tenant' ? 'tenant' : 'authority',
          ),
        )
      }
      return pipe(processJsonAnswer({ subject: 'OpenID configuration', url, read: decodeWith(OpenIdConfiguration, 'OpenID configuration') })(res), E.map(pickMetadata))
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

const finish = (
  authority: Authority,
  metadata: AuthorityMetadata,
  groups: ReadonlyArray<CloudAliasGroup> | undefined,
): ResolvedAuthority => {
  const found = groups === undefined ? undefined : knownAliasGroup(authority.host, groups)
  // Microsoft's hosts get their aliases only from the built-in table or Microsoft's answer
  // for a Microsoft host: a group for any other host that names one of them is not believed.
  const microsoftHost = knownAliasGroup(authority.host) !== undefined
  // An alias is judged as a cache lookup may read it: without case, spaces, port or trailing dot
  // ("login.microsoftonline.com:443" would otherwise become "login.microsoftonline.com" below).
  const group =
    found === undefined || microsoftHost
      ? found
      : { ...found, aliases: found.aliases.filter((a) => knownAliasGroup(a.trim().toLowerCase().replace(/:\d*$/, '').replace(/\.$/, '')) === undefined) }
  // MSAL Python files entries under the host name without its port; accept those too.
  const withoutPorts = (hosts: ReadonlyArray<string>): ReadonlyArray<string> =>
    dedupe([...hosts, ...hosts.map((h) => h.replace(/:\d+$/, ''))])
  const aliases = withoutPorts(
    group === undefined ? [authority.host] : dedupe([authority.host, ...group.aliases.map((a) => a.toLowerCase())]),
  )
  return {
    authority,
    metadata,
    // MSAL Python files entries under the authority's own host (its app-token lookup matches
    // it exactly), not under the alias group's preferred_cache; every alias is still read.
    environment: authority.host,
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

const stringField = (json: unknown, name: string): string | undefined => {
  const v = typeof json === 'object' && json !== null ? (json as Readonly<Record<string, unknown>>)[name] : undefined
  return typeof v === 'string' ? v : undefined
}

