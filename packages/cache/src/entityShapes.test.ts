import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { AccessTokenEntityCodec, AccountEntityCodec, AppMetadataEntityCodec, IdTokenEntityCodec, RefreshTokenEntityCodec } from './entityCodecs.js'
import { accessTokenShape, accountShape, appMetadataShape, hasShape, idTokenShape, refreshTokenShape } from './entityShapes.js'

const pairs = [
  [accessTokenShape, AccessTokenEntityCodec],
  [refreshTokenShape, RefreshTokenEntityCodec],
  [idTokenShape, IdTokenEntityCodec],
  [accountShape, AccountEntityCodec],
  [appMetadataShape, AppMetadataEntityCodec],
] as const

describe('hasShape', () => {
  it('answers as the io-ts codec does, for any object over the section\'s fields', () => {
    for (const [shape, codec] of pairs) {
      const fields = [...shape.required, ...shape.optional, 'extra_field']
      const value = fc.oneof(fc.string(), fc.constant(null), fc.integer(), fc.boolean(), fc.constant(undefined), fc.object({ maxDepth: 1 }))
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...fields), value), (entry) => {
          expect(hasShape(shape)(entry)).toBe(codec.is(entry))
        }),
        { numRuns: 500 },
      )
    }
  })

  it('needs the required fields as strings and allows null for the optional ones', () => {
    expect(hasShape(accessTokenShape)({ credential_type: 'AccessToken', secret: 's', realm: null, user_assertion_hash: null })).toBe(true)
    expect(hasShape(accessTokenShape)({ credential_type: 'AccessToken' })).toBe(false)
    expect(hasShape(accessTokenShape)({ credential_type: 'AccessToken', secret: 's', expires_on: 1 })).toBe(false)
    expect(hasShape(appMetadataShape)({ client_id: 'c', environment: 'e', family_id: null, anything: { kept: true } })).toBe(true)
  })
})
