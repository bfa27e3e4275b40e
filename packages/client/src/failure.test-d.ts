import { describe, expectTypeOf, it } from 'vitest'
import type { AuthError, CacheError, HttpError, ProtocolError } from '@authfold/core'
import { AuthFailureError, isAuthFailure, type AuthFailure } from './failure.js'

describe('AuthFailureError narrows', () => {
  it('instanceof and isAuthFailure give the typed authError; a switch on _tag narrows it', () => {
    const e: unknown = undefined
    if (e instanceof AuthFailureError) {
      expectTypeOf(e.authError).toEqualTypeOf<AuthError>()
      expectTypeOf(e).toMatchTypeOf<Error>()
      const a = e.authError
      switch (a._tag) {
        case 'HttpError':
          expectTypeOf(a).toEqualTypeOf<HttpError>()
          expectTypeOf(a.code).toEqualTypeOf<HttpError['code']>()
          break
        case 'ProtocolError':
          expectTypeOf(a).toEqualTypeOf<ProtocolError>()
          break
        case 'CacheError':
          expectTypeOf(a).toEqualTypeOf<CacheError>()
          break
      }
    }
    if (isAuthFailure(e)) expectTypeOf(e).toEqualTypeOf<AuthFailure>()
    expectTypeOf<AuthFailure>().toEqualTypeOf<AuthFailureError>()
  })
})
