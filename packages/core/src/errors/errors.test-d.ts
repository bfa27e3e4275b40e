/**
 * Compile-time guarantees of the `AuthError` union that user code relies on: a `switch`
 * on `_tag` narrows to one member, a check of `code` narrows to the members that have it,
 * and the union is closed (an exhaustive switch type-checks with `never` at the end).
 */
import { describe, expectTypeOf, it } from 'vitest'
import type { AuthError, CacheError, ConfigError, DecodeError, HttpError, ProtocolError, ValidationError } from './errors.js'
import { configError, httpError, isAuthError, validationError } from './errors.js'

describe('AuthError narrowing', () => {
  it('is exactly the six tagged members', () => {
    expectTypeOf<AuthError['_tag']>().toEqualTypeOf<
      'HttpError' | 'ProtocolError' | 'DecodeError' | 'ValidationError' | 'ConfigError' | 'CacheError'
    >()
    expectTypeOf<AuthError>().toEqualTypeOf<HttpError | ProtocolError | DecodeError | ValidationError | ConfigError | CacheError>()
  })

  it('narrows by _tag in a switch, and the switch is exhaustive', () => {
    const describe = (e: AuthError): string => {
      switch (e._tag) {
        case 'HttpError':
          expectTypeOf(e).toEqualTypeOf<HttpError>()
          expectTypeOf(e.url).toEqualTypeOf<string>()
          expectTypeOf(e.status).toEqualTypeOf<number | undefined>()
          expectTypeOf(e.retryAfter).toEqualTypeOf<number | undefined>()
          return e.code
        case 'ProtocolError':
          expectTypeOf(e).toEqualTypeOf<ProtocolError>()
          expectTypeOf(e.error).toEqualTypeOf<string>()
          expectTypeOf(e.status).toEqualTypeOf<number>()
          expectTypeOf(e.suberror).toEqualTypeOf<string | undefined>()
          expectTypeOf(e.claims).toEqualTypeOf<string | undefined>()
          return e.error
        case 'DecodeError':
          expectTypeOf(e).toEqualTypeOf<DecodeError>()
          expectTypeOf(e.path).toEqualTypeOf<string>()
          return e.path
        case 'ValidationError':
          expectTypeOf(e).toEqualTypeOf<ValidationError>()
          return e.code
        case 'ConfigError':
          expectTypeOf(e).toEqualTypeOf<ConfigError>()
          expectTypeOf(e.field).toEqualTypeOf<string | undefined>()
          return e.code
        case 'CacheError':
          expectTypeOf(e).toEqualTypeOf<CacheError>()
          return e.code
        default:
          expectTypeOf(e).toBeNever()
          return e
      }
    }
    expectTypeOf(describe).returns.toEqualTypeOf<string>()
  })

  it('narrows by code: a code owned by one member gives that member', () => {
    const onCode = (e: AuthError): void => {
      if (e.code === 'oauth_error') expectTypeOf(e).toEqualTypeOf<ProtocolError>()
      if (e.code === 'network' || e.code === 'timeout') expectTypeOf(e).toEqualTypeOf<HttpError>()
      if (e.code === 'reserved_scope') expectTypeOf(e).toEqualTypeOf<ConfigError>()
      if (e.code === 'nonce_mismatch') expectTypeOf(e).toEqualTypeOf<ValidationError>()
      if (e.code === 'lock_timeout') expectTypeOf(e).toEqualTypeOf<CacheError>()
      if (e.code === 'invalid_shape') expectTypeOf(e).toEqualTypeOf<DecodeError>()
    }
    expectTypeOf(onCode).parameter(0).toEqualTypeOf<AuthError>()
  })

  it('narrows by code: a code two members share gives both, and _tag then splits them', () => {
    const onTampered = (e: AuthError): void => {
      if (e.code !== 'tampered') return
      expectTypeOf(e).toEqualTypeOf<ValidationError | CacheError>()
      if (e._tag === 'CacheError') expectTypeOf(e).toEqualTypeOf<CacheError>()
      else expectTypeOf(e).toEqualTypeOf<ValidationError>()
    }
    expectTypeOf(onTampered).returns.toBeVoid()
  })

  it('codes are closed unions, not string', () => {
    expectTypeOf<HttpError['code']>().toEqualTypeOf<'network' | 'timeout' | 'status' | 'throttled' | 'too_large' | 'aborted'>()
    expectTypeOf<ProtocolError['code']>().toEqualTypeOf<'oauth_error'>()
    expectTypeOf<CacheError['code']>().toEqualTypeOf<'io' | 'lock_timeout' | 'tampered' | 'conflict'>()
    expectTypeOf<'not-a-code'>().not.toExtend<AuthError['code']>()
  })

  it('builders return the narrow member, and only accept that member\'s codes', () => {
    expectTypeOf(configError).returns.toEqualTypeOf<ConfigError>()
    expectTypeOf(validationError).returns.toEqualTypeOf<ValidationError>()
    expectTypeOf(httpError).returns.toEqualTypeOf<HttpError>()
    expectTypeOf(configError).parameter(0).toEqualTypeOf<ConfigError['code']>()
    // @ts-expect-error a ValidationError code is no ConfigError code
    configError('nonce_mismatch', 'x')
  })

  it('isAuthError is a type guard to the union', () => {
    const u: unknown = undefined
    if (isAuthError(u)) expectTypeOf(u).toEqualTypeOf<AuthError>()
    expectTypeOf(isAuthError).guards.toEqualTypeOf<AuthError>()
  })
})
