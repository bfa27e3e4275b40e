/**
 * `resolveAuthority`: authority validation and discovery with everything MSAL does, put
 * together from `discovery.ts` (Entra, B2C, ADFS, CIAM), `oidc.ts` (generic OIDC issuer
 * checks) and `regional.ts` (regional endpoints). An app that only needs an Entra authority
 * can import `resolveEntraAuthority` and bundle less.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import { pipe } from 'fp-ts/function'
import type { AuthError } from '../errors/errors.js'
import type { GrantEnv } from '../env/env.js'
import type { Authority, ResolvedAuthority } from './types.js'
import { cacheAndId, resolveCentralWith, type ResolveAuthorityOptions } from './discovery.js'
import { checkOidcMetadata } from './oidc.js'
import { withRegion } from './regional.js'

export * from './discovery.js'
export * from './oidc.js'
export * from './regional.js'

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
 * authority's own host, as MSAL Python writes it (never the alias group's `preferred_cache`). For a host
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
      ? resolveCentralWith(checkOidcMetadata)(authority, options)(env)
      : pipe(
          resolveCentralWith(checkOidcMetadata)(authority, options)(env),
          TE.chain((central) => withRegion(central, options.azureRegion, { ...options.regionDetection, ...cacheAndId(options) })(env)),
        )
