import { describe, expectTypeOf, it } from 'vitest'
import type * as t from 'io-ts'
import type { AccessTokenEntityCodec, AccountEntityCodec, AppMetadataEntityCodec, IdTokenEntityCodec, RefreshTokenEntityCodec } from './entityCodecs.js'
import type { accessTokenShape, accountShape, appMetadataShape, idTokenShape, refreshTokenShape } from './entityShapes.js'

type Fields<S extends { readonly required: ReadonlyArray<string>; readonly optional: ReadonlyArray<string> }> = S['required'][number] | S['optional'][number]

describe('the entry shapes name exactly the io-ts codecs\' fields', () => {
  it('for every section', () => {
    expectTypeOf<Fields<typeof accessTokenShape>>().toEqualTypeOf<keyof t.TypeOf<typeof AccessTokenEntityCodec>>()
    expectTypeOf<Fields<typeof refreshTokenShape>>().toEqualTypeOf<keyof t.TypeOf<typeof RefreshTokenEntityCodec>>()
    expectTypeOf<Fields<typeof idTokenShape>>().toEqualTypeOf<keyof t.TypeOf<typeof IdTokenEntityCodec>>()
    expectTypeOf<Fields<typeof accountShape>>().toEqualTypeOf<keyof t.TypeOf<typeof AccountEntityCodec>>()
    expectTypeOf<Fields<typeof appMetadataShape>>().toEqualTypeOf<keyof t.TypeOf<typeof AppMetadataEntityCodec>>()
  })
})
