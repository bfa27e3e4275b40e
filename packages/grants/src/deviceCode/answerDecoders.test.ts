/**
 * The device authorization and user realm answer decoders are hand-written (`fieldsOf`); this
 * proves them equivalent to the io-ts decoders they replace (kept here as the reference): the
 * same `decodeWith` outcome, key order included, for any input.
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as D from 'io-ts/Decoder'
import { pipe } from 'fp-ts/function'
import { decodeWith, keepUnknownFields, NonBlankString, NumberLike } from '@authfold/core'
import { DeviceCodeAnswer } from './flow.js'
import { UserRealmDecoder } from '../usernamePassword/userRealm.js'

const ioTsDeviceCodeAnswer = pipe(
  D.struct({ user_code: NonBlankString, device_code: NonBlankString }),
  D.intersect(
    D.partial({
      verification_uri: NonBlankString,
      verification_url: NonBlankString,
      verification_uri_complete: D.string,
      expires_in: NumberLike,
      interval: NumberLike,
      message: D.string,
    }),
  ),
)
const ioTsUserRealm = keepUnknownFields(
  pipe(
    D.struct({ account_type: D.string }),
    D.intersect(
      D.partial({
        ver: D.string,
        domain_name: D.string,
        cloud_instance_name: D.string,
        cloud_audience_urn: D.string,
        federation_protocol: D.string,
        federation_metadata_url: D.string,
        federation_active_auth_url: D.string,
      }),
    ),
  ),
)

const value = fc.oneof(fc.string(), fc.constantFrom('', ' ', '900', '5', 'x'), fc.integer(), fc.double(), fc.constantFrom(null, undefined, true))
const objectWith = (fields: ReadonlyArray<string>) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 5 }), fc.constant('__proto__')), value, { maxKeys: 10 }) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
  )
const same = (hand: D.Decoder<unknown, unknown>, reference: D.Decoder<unknown, unknown>) => (u: unknown) => {
  const a = decodeWith(hand, 'answer')(u)
  const b = decodeWith(reference, 'answer')(u)
  expect(a).toStrictEqual(b)
  if (a._tag === 'Right' && b._tag === 'Right') expect(Object.keys(a.right as object)).toEqual(Object.keys(b.right as object))
}

describe('the hand-written device code and user realm decoders decode as the io-ts ones did', () => {
  it('DeviceCodeAnswer (3,000 runs): unknown fields dropped, an undefined optional field kept as undefined', () => {
    const fields = ['user_code', 'device_code', 'verification_uri', 'verification_url', 'verification_uri_complete', 'expires_in', 'interval', 'message']
    const valid = fc.record({ user_code: fc.constant('ABC'), device_code: fc.constant('dc') }).chain((b) => fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 3 }).map((x) => ({ ...b, ...x })))
    fc.assert(fc.property(fc.oneof(objectWith(fields), valid), same(DeviceCodeAnswer, ioTsDeviceCodeAnswer)), { numRuns: 3_000 })
    expect(decodeWith(DeviceCodeAnswer, 'a')({ user_code: 'U', device_code: 'D', interval: undefined, extra: 1 })).toStrictEqual({
      _tag: 'Right',
      right: { user_code: 'U', device_code: 'D', interval: undefined },
    })
  })

  it('UserRealmDecoder (3,000 runs)', () => {
    const fields = ['account_type', 'ver', 'domain_name', 'cloud_instance_name', 'cloud_audience_urn', 'federation_protocol', 'federation_metadata_url', 'federation_active_auth_url']
    const valid = fc.record({ account_type: fc.constantFrom('Managed', 'Federated') }).chain((b) => fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 3 }).map((x) => ({ ...b, ...x })))
    fc.assert(fc.property(fc.oneof(objectWith(fields), valid), same(UserRealmDecoder, ioTsUserRealm)), { numRuns: 3_000 })
  })
})
