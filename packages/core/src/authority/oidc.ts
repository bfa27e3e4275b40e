/**
 * Checks of a generic OpenID Connect authority's discovery document: MSAL Python's
 * `has_valid_issuer` and the same-cloud rule for its endpoints. Only bundled by apps that
 * resolve with `resolveAuthority` (which accepts `oidcAuthority`).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import { stripQuery, validationError } from '../errors/errors.js'
import type { AuthError } from '../errors/errors.js'
import type { Authority, AuthorityMetadata } from './types.js'
import { CIAM_DOMAIN_SUFFIX, REGION_PREFIX, WELL_KNOWN_B2C_HOSTS, resolveKnownCloud } from './clouds.js'

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
 * MSAL's checks of an OIDC authority's metadata: the issuer ({@link hasValidIssuer}), and
 * endpoints in the authority's own Microsoft cloud when it is one.
 *
 * @category discovery
 * @since 0.1.0
 * @see MSAL Python `Authority._initialize_oidc_authority`
 */
export const checkOidcMetadata = (authority: Authority, m: AuthorityMetadata): Either<AuthError, AuthorityMetadata> => {
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

const safeUrl = (s: string): URL | undefined => {
  try {
    return new URL(s)
  } catch {
    return undefined
  }
}
