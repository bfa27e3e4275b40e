/**
 * The discovery answer decoders are hand-written (`fieldsOf`, `arrayOf`); this proves them
 * equivalent to the io-ts decoders they replace (kept here as the reference).
 */
import { describe, it } from 'vitest'
import * as fc from 'fast-check'
import * as D from 'io-ts/Decoder'
import { pipe } from 'fp-ts/function'
import { keepUnknownFields } from '../codecs/decode.js'
import { answerArb, fieldValueArb, nearlyValidArb, sameAs } from '../codecs/equivalence.testkit.js'
import { HttpsUrl, InstanceDiscoveryMetadataEntry, InstanceDiscoveryResponse, NonEmptyString, OpenIdConfiguration } from './codecs.js'

const ioTsOpenIdConfiguration = keepUnknownFields(
  pipe(
    D.struct({ issuer: NonEmptyString, authorization_endpoint: HttpsUrl, token_endpoint: HttpsUrl }),
    D.intersect(D.partial({ device_authorization_endpoint: HttpsUrl, end_session_endpoint: HttpsUrl, jwks_uri: HttpsUrl, userinfo_endpoint: HttpsUrl })),
  ),
)
const ioTsEntry = keepUnknownFields(D.struct({ preferred_network: D.string, preferred_cache: D.string, aliases: D.array(D.string) }))
const ioTsInstanceDiscovery = keepUnknownFields(
  pipe(D.struct({ tenant_discovery_endpoint: HttpsUrl }), D.intersect(D.partial({ 'api-version': D.string, metadata: D.array(ioTsEntry) }))),
)

const OIDC_FIELDS = ['issuer', 'authorization_endpoint', 'token_endpoint', 'device_authorization_endpoint', 'end_session_endpoint', 'jwks_uri', 'userinfo_endpoint']
const ENTRY_FIELDS = ['preferred_network', 'preferred_cache', 'aliases']
const url = fc.constantFrom('https://login.example/t/oauth2/v2.0/token', 'https://login.example/t/v2.0/.well-known/openid-configuration')
const entryArb = fc.oneof(
  nearlyValidArb(fc.record({ preferred_network: fc.string(), preferred_cache: fc.string(), aliases: fc.array(fc.string(), { maxLength: 3 }) }), ENTRY_FIELDS),
  answerArb(ENTRY_FIELDS),
)

describe('the hand-written discovery decoders decode as the io-ts ones did', () => {
  it('OpenIdConfiguration (3,000 runs)', () => {
    const valid = fc.record({ issuer: fc.string({ minLength: 1 }), authorization_endpoint: url, token_endpoint: url, jwks_uri: url })
    fc.assert(fc.property(fc.oneof(answerArb(OIDC_FIELDS), nearlyValidArb(valid, OIDC_FIELDS)), sameAs(OpenIdConfiguration, ioTsOpenIdConfiguration)), { numRuns: 3_000 })
  })

  it('InstanceDiscoveryMetadataEntry and InstanceDiscoveryResponse (3,000 runs each), entries failing inside the metadata array too', () => {
    fc.assert(fc.property(entryArb, sameAs(InstanceDiscoveryMetadataEntry, ioTsEntry)), { numRuns: 3_000 })
    const response = fc.record(
      { tenant_discovery_endpoint: fc.oneof(url, fieldValueArb), 'api-version': fc.oneof(fc.constant('1.1'), fieldValueArb), metadata: fc.oneof(fc.array(entryArb, { maxLength: 3 }), fieldValueArb) },
      { requiredKeys: [] },
    )
    fc.assert(fc.property(fc.oneof(response, answerArb(['tenant_discovery_endpoint', 'api-version', 'metadata'])), sameAs(InstanceDiscoveryResponse, ioTsInstanceDiscovery)), { numRuns: 3_000 })
  })
})
