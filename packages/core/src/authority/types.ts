/**
 * The authority model shared by every grant. Parsing, validation and discovery live in
 * the sibling modules; this file holds only the types.
 *
 * @module
 */

/**
 * The kinds of authority authfold knows.
 *
 * @category model
 * @since 0.1.0
 */
export type AuthorityKind = 'entra' | 'b2c' | 'adfs' | 'ciam' | 'oidc'

/**
 * A parsed, canonical authority (no I/O done yet).
 *
 * @category model
 * @since 0.1.0
 */
export interface Authority {
  readonly kind: AuthorityKind
  /** Canonical URL with a trailing slash, e.g. `https://login.microsoftonline.com/contoso.com/`. */
  readonly url: string
  /** Lower-case host (with port when not 443), e.g. `login.microsoftonline.com`. */
  readonly host: string
  /** The tenant segment (`common`, a GUID, a domain; for B2C the tenant, for ADFS `adfs`). */
  readonly tenant: string
  /** The path after the host without leading/trailing slashes (B2C: `tenant/policy`). */
  readonly path: string
  /** A query string given with the authority (without `?`), kept for tenant discovery as MSAL Python does. */
  readonly query?: string
}

/**
 * The endpoints an authority publishes (OpenID Connect discovery, RFC 8414 names).
 *
 * @category model
 * @since 0.1.0
 */
export interface AuthorityMetadata {
  readonly issuer: string
  readonly authorization_endpoint: string
  readonly token_endpoint: string
  readonly device_authorization_endpoint?: string
  readonly end_session_endpoint?: string
  readonly jwks_uri?: string
  /** The OpenID Connect UserInfo endpoint, when published. */
  readonly userinfo_endpoint?: string
}

/**
 * An authority after validation and discovery: what a grant needs to send a request and
 * fold the answer into the cache.
 *
 * @category model
 * @since 0.1.0
 */
export interface ResolvedAuthority {
  readonly authority: Authority
  readonly metadata: AuthorityMetadata
  /** The host written as `environment` in cache entries (the preferred cache alias). */
  readonly environment: string
  /** Every host that names the same cloud; cache lookups accept any of them. */
  readonly aliases: ReadonlyArray<string>
  /** The tenant written as `realm` in cache entries (from the token endpoint's path). */
  readonly realm: string
  /**
   * The Entra regional endpoints (ESTS-R) chosen by `azureRegion`, for the
   * client-credentials grant only; cache fields above stay those of the central cloud.
   */
  readonly regional?: {
    readonly region: string
    readonly authority: Authority
    readonly metadata: AuthorityMetadata
  }
}
