/**
 * Arbitraries of discovery answers for the fuzz tests: hostile, broken and nearly valid
 * OpenID configurations and instance discovery answers, with alias groups that spell
 * Microsoft's hosts in odd ways.
 *
 * @module
 */
import * as fc from 'fast-check'
import { hostileDocumentTextArb, hostileJsonTextArb, hostileStringArb, mutatedTextArb } from '@authfold/testing'

/**
 * The fields of the OpenID configuration.
 *
 * @category testing
 * @since 0.1.0
 */
export const OIDC_FIELDS = ['issuer', 'authorization_endpoint', 'token_endpoint', 'device_authorization_endpoint', 'end_session_endpoint', 'jwks_uri', 'userinfo_endpoint']
/**
 * The fields of an instance discovery answer.
 *
 * @category testing
 * @since 0.1.0
 */
export const INSTANCE_FIELDS = ['tenant_discovery_endpoint', 'api-version', 'metadata']
/**
 * Hosts an alias group may list: Microsoft's, spelt in odd ways, and others.
 *
 * @category testing
 * @since 0.1.0
 */
export const ALIAS_CANDIDATES = [
  'login.microsoftonline.com',
  'LOGIN.MICROSOFTONLINE.COM',
  'login.microsoftonline.com:443',
  'login.windows.net:8443',
  'login.windows.net.',
  ' login.windows.net',
  'sts.windows.net',
  'login.microsoftonline.us:443',
  'contoso.example',
  'contoso.example:443',
  'fs.contoso.com',
]
/**
 * Values that make a valid document likely.
 *
 * @category testing
 * @since 0.1.0
 */
export const GOOD_DISCOVERY: Readonly<Record<string, string>> = {
  issuer: '"https://login.microsoftonline.com/{tenantid}/v2.0"',
  authorization_endpoint: '"https://login.microsoftonline.com/common/oauth2/v2.0/authorize"',
  token_endpoint: '"https://login.microsoftonline.com/common/oauth2/v2.0/token"',
  jwks_uri: '"https://login.microsoftonline.com/common/discovery/v2.0/keys"',
  tenant_discovery_endpoint: '"https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"',
  'api-version': '"1.1"',
  metadata: '[{"preferred_network":"login.microsoftonline.com","preferred_cache":"login.windows.net","aliases":["login.microsoftonline.com","login.windows.net"]}]',
}
/**
 * A valid OpenID configuration.
 *
 * @category testing
 * @since 0.1.0
 */
export const VALID_OIDC = `{${OIDC_FIELDS.filter((f) => GOOD_DISCOVERY[f] !== undefined)
  .map((f) => `"${f}":${GOOD_DISCOVERY[f] ?? ''}`)
  .join(',')}}`
/**
 * A valid instance discovery answer.
 *
 * @category testing
 * @since 0.1.0
 */
export const VALID_INSTANCE = `{${INSTANCE_FIELDS.map((f) => `"${f}":${GOOD_DISCOVERY[f] ?? ''}`).join(',')}}`

/**
 * An alias group whose aliases mix Microsoft hosts (in odd spellings), other hosts and hostile strings.
 *
 * @category testing
 * @since 0.1.0
 */
export const metadataTextArb: fc.Arbitrary<string> = fc
  .array(
    fc.record({
      preferred_network: fc.oneof(fc.constantFrom(...ALIAS_CANDIDATES), hostileStringArb),
      preferred_cache: fc.oneof(fc.constantFrom(...ALIAS_CANDIDATES), hostileStringArb),
      aliases: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ALIAS_CANDIDATES) }, hostileStringArb), { maxLength: 5 }),
    }),
    { maxLength: 3 },
  )
  .map((groups) => JSON.stringify(groups))

/**
 * Bodies of discovery answers: hostile, broken and nearly valid.
 *
 * @category testing
 * @since 0.1.0
 */
export const discoveryBodyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileDocumentTextArb(OIDC_FIELDS, GOOD_DISCOVERY) },
  { weight: 4, arbitrary: fc.tuple(hostileDocumentTextArb(INSTANCE_FIELDS.slice(0, 2), GOOD_DISCOVERY), metadataTextArb).map(([doc, md]) => doc.replace(/^\{/, `{"metadata":${md}${doc === '{}' ? '' : ','}`)) },
  { weight: 2, arbitrary: hostileJsonTextArb({ keys: [...OIDC_FIELDS, ...INSTANCE_FIELDS, 'aliases', 'preferred_cache', 'error'] }) },
  { weight: 2, arbitrary: mutatedTextArb(VALID_OIDC) },
  { weight: 2, arbitrary: mutatedTextArb(VALID_INSTANCE) },
  { weight: 1, arbitrary: hostileStringArb },
)
