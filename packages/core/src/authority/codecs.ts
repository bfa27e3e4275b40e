/**
 * io-ts decoders for the two discovery documents: Entra's instance discovery answer and
 * the OpenID Connect provider configuration (OpenID Connect Discovery 1.0 §3, RFC 8414).
 * Built with `io-ts/Decoder` (pure combinators: a bundle keeps only what it uses).
 *
 * @module
 */
import * as D from 'io-ts/Decoder'
import { arrayOf, fieldsOf } from '../codecs/decode.js'

/**
 * An absolute `https:` URL.
 *
 * @category codecs
 * @since 0.1.0
 */
export const HttpsUrl: D.Decoder<unknown, string> = {
  decode: (u) => (typeof u === 'string' && isHttpsUrl(u) ? D.success(u) : D.failure(u, 'an https URL')),
}

/**
 * A non-empty string.
 *
 * @category codecs
 * @since 0.1.0
 */
export const NonEmptyString: D.Decoder<unknown, string> = {
  decode: (u) => (typeof u === 'string' && u !== '' ? D.success(u) : D.failure(u, 'a non-empty string')),
}

/**
 * The OpenID provider configuration authfold needs. `issuer`, `authorization_endpoint`
 * and `token_endpoint` are required; endpoints must be https. Other fields are kept.
 *
 * @category codecs
 * @since 0.1.0
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export const OpenIdConfiguration = /*#__PURE__*/ fieldsOf(
  {
    issuer: NonEmptyString,
    authorization_endpoint: HttpsUrl,
    token_endpoint: HttpsUrl,
  },
  {
    device_authorization_endpoint: HttpsUrl,
    end_session_endpoint: HttpsUrl,
    jwks_uri: HttpsUrl,
    userinfo_endpoint: HttpsUrl,
  },
)

/**
 * A decoded OpenID provider configuration.
 *
 * @category model
 * @since 0.1.0
 */
export type OpenIdConfiguration = D.TypeOf<typeof OpenIdConfiguration>

/**
 * One alias group in an instance discovery answer.
 *
 * @category codecs
 * @since 0.1.0
 */
export const InstanceDiscoveryMetadataEntry = /*#__PURE__*/ fieldsOf(
  {
    preferred_network: D.string,
    preferred_cache: D.string,
    aliases: /*#__PURE__*/ arrayOf(D.string),
  },
  {},
)

/**
 * A successful `/common/discovery/instance` answer.
 *
 * @category codecs
 * @since 0.1.0
 * @see MSAL Python `msal.authority._instance_discovery`
 */
export const InstanceDiscoveryResponse = /*#__PURE__*/ fieldsOf(
  { tenant_discovery_endpoint: HttpsUrl },
  { 'api-version': D.string, metadata: /*#__PURE__*/ arrayOf(InstanceDiscoveryMetadataEntry) },
)

/**
 * A decoded instance discovery answer.
 *
 * @category model
 * @since 0.1.0
 */
export type InstanceDiscoveryResponse = D.TypeOf<typeof InstanceDiscoveryResponse>

const isHttpsUrl = (s: string): boolean => {
  try {
    const u = new URL(s)
    return u.protocol === 'https:' && u.hostname !== ''
  } catch {
    return false
  }
}
