/**
 * io-ts codecs for the two discovery documents: Entra's instance discovery answer and
 * the OpenID Connect provider configuration (OpenID Connect Discovery 1.0 §3, RFC 8414).
 *
 * @module
 */
import * as t from 'io-ts'

/**
 * An absolute `https:` URL.
 *
 * @category codecs
 * @since 0.1.0
 */
export const HttpsUrl = new t.Type<string, string, unknown>(
  'an https URL',
  (u): u is string => typeof u === 'string' && isHttpsUrl(u),
  (u, c) => (typeof u === 'string' && isHttpsUrl(u) ? t.success(u) : t.failure(u, c)),
  (s) => s,
)

/**
 * A non-empty string.
 *
 * @category codecs
 * @since 0.1.0
 */
export const NonEmptyString = new t.Type<string, string, unknown>(
  'a non-empty string',
  (u): u is string => typeof u === 'string' && u !== '',
  (u, c) => (typeof u === 'string' && u !== '' ? t.success(u) : t.failure(u, c)),
  (s) => s,
)

/**
 * The OpenID provider configuration authfold needs. `issuer`, `authorization_endpoint`
 * and `token_endpoint` are required; endpoints must be https. Other fields are kept.
 *
 * @category codecs
 * @since 0.1.0
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export const OpenIdConfiguration = t.intersection([
  t.type({
    issuer: NonEmptyString,
    authorization_endpoint: HttpsUrl,
    token_endpoint: HttpsUrl,
  }),
  t.partial({
    device_authorization_endpoint: HttpsUrl,
    end_session_endpoint: HttpsUrl,
    jwks_uri: HttpsUrl,
    userinfo_endpoint: HttpsUrl,
  }),
])

/**
 * A decoded OpenID provider configuration.
 *
 * @category model
 * @since 0.1.0
 */
export type OpenIdConfiguration = t.TypeOf<typeof OpenIdConfiguration>

/**
 * One alias group in an instance discovery answer.
 *
 * @category codecs
 * @since 0.1.0
 */
export const InstanceDiscoveryMetadataEntry = t.type({
  preferred_network: t.string,
  preferred_cache: t.string,
  aliases: t.array(t.string),
})

/**
 * A successful `/common/discovery/instance` answer.
 *
 * @category codecs
 * @since 0.1.0
 * @see MSAL Python `msal.authority._instance_discovery`
 */
export const InstanceDiscoveryResponse = t.intersection([
  t.type({ tenant_discovery_endpoint: HttpsUrl }),
  t.partial({ 'api-version': t.string, metadata: t.array(InstanceDiscoveryMetadataEntry) }),
])

/**
 * A decoded instance discovery answer.
 *
 * @category model
 * @since 0.1.0
 */
export type InstanceDiscoveryResponse = t.TypeOf<typeof InstanceDiscoveryResponse>

const isHttpsUrl = (s: string): boolean => {
  try {
    const u = new URL(s)
    return u.protocol === 'https:' && u.hostname !== ''
  } catch {
    return false
  }
}
