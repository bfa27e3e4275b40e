/**
 * Parsing an authority URL into a canonical {@link Authority}. Pure: no I/O, never throws.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import { configError } from '../errors/errors.js'
import type { ConfigError } from '../errors/errors.js'
import type { Authority, AuthorityKind } from './types.js'
import { CIAM_DOMAIN_SUFFIX, WELL_KNOWN_B2C_HOSTS } from './clouds.js'
import type { AzureCloudHost } from './clouds.js'

/**
 * Options of {@link parseAuthority}.
 *
 * @category model
 * @since 0.1.0
 */
export interface ParseAuthorityOptions {
  /**
   * Treat the URL as a generic OpenID Connect issuer (MSAL Python's `oidc_authority`):
   * only its own `/.well-known/openid-configuration` is used, no Entra rules apply and
   * a path is optional.
   */
  readonly oidcAuthority?: boolean
}

const B2C_HOST_SUFFIXES = WELL_KNOWN_B2C_HOSTS.filter((h) => h !== 'ciamlogin.com')

/**
 * Parses and canonicalizes an authority URL.
 *
 * - Entra in every cloud (`https://login.microsoftonline.com/<tenant>`, `.us`, `.cn`,
 *   their aliases, or any other host), the tenant being a GUID, a domain, `common`,
 *   `organizations` or `consumers`;
 * - B2C: `https://<t>.b2clogin.com/<t>.onmicrosoft.com/<policy>`, `https://<host>/tfp/<t>/<policy>`,
 *   or any host whose second segment starts with `b2c_`;
 * - ADFS: `https://<host>/adfs`;
 * - CIAM: `https://<t>.ciamlogin.com` (becomes `https://<t>.ciamlogin.com/<t>.onmicrosoft.com/`)
 *   or `https://<t>.ciamlogin.com/<tenant>`;
 * - generic OIDC with `{ oidcAuthority: true }`, and dSTS (`/dstsv2/...`) always.
 *
 * The canonical `url` is `https://<lower-case host[:port]>/<path>/` with a trailing slash.
 * A non-https URL, a malformed URL, credentials or a fragment in the URL, or a missing
 * tenant yield a {@link ConfigError} whose `field` names the culprit. Any string in
 * gives a `Right` or a `Left`; it never throws, and parsing a canonical `url` again
 * gives the same `Authority`.
 *
 * @category parsers
 * @since 0.1.0
 * @see MSAL Python `msal.authority.canonicalize` and `Authority._initialize_entra_authority`
 */
export const parseAuthority = (url: string, options: ParseAuthorityOptions = {}): Either<ConfigError, Authority> => {
  const field = options.oidcAuthority === true ? 'oidcAuthority' : 'authority'
  const bad = (message: string, f: string = field): Either<ConfigError, Authority> =>
    E.left(configError('invalid_authority', message, f))
  if (typeof url !== 'string') return bad(`The ${field} must be a string such as https://login.microsoftonline.com/<tenant>.`)
  if (url === '') return bad(`The ${field} is empty; give an https URL such as https://login.microsoftonline.com/<tenant>.`)
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return bad(`The ${field} contains whitespace or control characters; remove them.`)
  const parsed = safeUrl(url)
  if (parsed === undefined)
    return bad(`The ${field} is not a valid URL; give one such as https://login.microsoftonline.com/<tenant>.`)
  if (parsed.protocol !== 'https:')
    return bad(`The ${field} must use https (got "${parsed.protocol.replace(/:$/, '')}"); identity providers are only trusted over TLS.`)
  if (parsed.username !== '' || parsed.password !== '') return bad(`The ${field} must not contain credentials.`)
  if (parsed.hash !== '') return bad(`The ${field} must not contain a fragment (#...).`)
  if (parsed.hostname === '') return bad(`The ${field} has no host.`)
  const host = parsed.host.toLowerCase()
  const hostname = parsed.hostname.toLowerCase()
  const segments = parsed.pathname.split('/').filter((s) => s !== '')
  const query = parsed.search === '' || parsed.search === '?' ? undefined : parsed.search.slice(1)

  const build = (kind: AuthorityKind, tenant: string, segs: ReadonlyArray<string>): Either<ConfigError, Authority> => {
    const path = segs.join('/')
    const base = { kind, url: `https://${host}/${path === '' ? '' : `${path}/`}`, host, tenant, path }
    return E.right(query === undefined ? base : { ...base, query })
  }

  const first = segments[0]
  if (options.oidcAuthority === true || first?.toLowerCase() === 'dstsv2') return build('oidc', first ?? '', segments)

  if (hostname.endsWith(CIAM_DOMAIN_SUFFIX) && hostname.length > CIAM_DOMAIN_SUFFIX.length) {
    if (first !== undefined) return build('ciam', first, segments)
    const tenant = `${hostname.slice(0, -CIAM_DOMAIN_SUFFIX.length)}.onmicrosoft.com`
    return build('ciam', tenant, [tenant])
  }

  if (first === undefined)
    return bad(
      `The ${field} has no tenant: add one, e.g. https://${host}/common, https://${host}/organizations or https://${host}/<tenant id or domain>.`,
      'tenant',
    )

  if (first.toLowerCase() === 'adfs') return build('adfs', 'adfs', ['adfs', ...segments.slice(1)])

  if (first.toLowerCase() === 'tfp') {
    const tenant = segments[1]
    if (tenant === undefined) return bad(`The B2C ${field} has no tenant after /tfp/: use https://${host}/tfp/<tenant>/<policy>.`, 'tenant')
    if (segments[2] === undefined)
      return bad(`The B2C ${field} has no policy: use https://${host}/tfp/${tenant}/<policy>.`, 'policy')
    return build('b2c', tenant, ['tfp', ...segments.slice(1)])
  }

  const isB2cHost = B2C_HOST_SUFFIXES.some((s) => hostname.endsWith(`.${s}`))
  const second = segments[1]
  if (isB2cHost || (segments.length === 2 && second !== undefined && second.toLowerCase().startsWith('b2c_'))) {
    if (second === undefined)
      return bad(`The B2C ${field} has no policy: use https://${host}/${first}/<policy>.`, 'policy')
    return build('b2c', first, segments)
  }

  return build('entra', first, segments)
}

/**
 * Parses a generic OpenID Connect issuer as an authority (`kind: 'oidc'`).
 *
 * @category parsers
 * @since 0.1.0
 * @see MSAL Python `ClientApplication(oidc_authority=...)`
 */
export const parseOidcAuthority = (url: string): Either<ConfigError, Authority> => parseAuthority(url, { oidcAuthority: true })

/**
 * Builds the authority of a tenant in a cloud, e.g.
 * `authorityFor(AzureCloudInstance.AzureUsGovernment, 'contoso.onmicrosoft.com')`.
 * The cloud may be given as a host or as an `https://` URL.
 *
 * @category constructors
 * @since 0.1.0
 * @see MSAL Python `msal.authority.AuthorityBuilder`
 */
export const authorityFor = (cloud: AzureCloudHost, tenant: string): Either<ConfigError, Authority> => {
  const instance = cloud.replace(/^https:\/\//i, '').replace(/\/+$/, '')
  const t = tenant.replace(/^\/+|\/+$/g, '')
  if (t === '') return E.left(configError('invalid_authority', 'The tenant is empty; give a tenant id, a domain, common, organizations or consumers.', 'tenant'))
  return parseAuthority(`https://${instance}/${t}`)
}

const safeUrl = (s: string): URL | undefined => {
  try {
    return new URL(s)
  } catch {
    return undefined
  }
}
