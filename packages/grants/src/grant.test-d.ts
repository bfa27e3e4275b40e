/**
 * The grant shape users compose at compile time: `Grant<A>` is fp-ts's
 * `StateReaderTaskEither<CacheState, GrantEnv, AuthError, A>`, and the client-credentials
 * grant is one, so it chains with `SRTE.chain`, maps with `SRTE.map` and runs as
 * `grant(cache)(env)()`.
 */
import { describe, expectTypeOf, it } from 'vitest'
import * as SRTE from 'fp-ts/StateReaderTaskEither'
import type { StateReaderTaskEither } from 'fp-ts/StateReaderTaskEither'
import type { Either } from 'fp-ts/Either'
import type { TaskEither } from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import type { AuthError, GrantEnv } from '@authfold/core'
import type { CacheState } from '@authfold/cache'
import { clientCredentials, type AuthResult, type ClientCredentialsParams, type Grant } from '@authfold/grants'

declare const params: ClientCredentialsParams
declare const cache: CacheState
declare const env: GrantEnv

describe('Grant', () => {
  it('is StateReaderTaskEither<CacheState, GrantEnv, AuthError, A>', () => {
    expectTypeOf<Grant<AuthResult>>().toEqualTypeOf<StateReaderTaskEither<CacheState, GrantEnv, AuthError, AuthResult>>()
    expectTypeOf<Grant<number>>().toEqualTypeOf<(s: CacheState) => (r: GrantEnv) => TaskEither<AuthError, [number, CacheState]>>()
  })

  it('clientCredentials(params) is a Grant<AuthResult>, run as grant(cache)(env)()', () => {
    expectTypeOf(clientCredentials).parameter(0).toEqualTypeOf<ClientCredentialsParams>()
    expectTypeOf(clientCredentials(params)).toEqualTypeOf<Grant<AuthResult>>()
    expectTypeOf(clientCredentials(params)(cache)(env)).toEqualTypeOf<TaskEither<AuthError, [AuthResult, CacheState]>>()
    expectTypeOf(clientCredentials(params)(cache)(env)()).resolves.toEqualTypeOf<Either<AuthError, [AuthResult, CacheState]>>()
  })

  it('composes with SRTE.chain and SRTE.map: two grants threaded through one cache', () => {
    const both = pipe(
      clientCredentials(params),
      SRTE.chain((first) =>
        pipe(
          clientCredentials({ ...params, scopes: ['https://other.example/.default'] }),
          SRTE.map((second) => [first.access_token, second.access_token] as const),
        ),
      ),
    )
    expectTypeOf(both).toEqualTypeOf<StateReaderTaskEither<CacheState, GrantEnv, AuthError, readonly [string, string]>>()
    expectTypeOf(both(cache)(env)()).resolves.toEqualTypeOf<Either<AuthError, [readonly [string, string], CacheState]>>()
  })

  it('a user step with a narrower error widens to AuthError in the chain', () => {
    const audit = (r: AuthResult): StateReaderTaskEither<CacheState, GrantEnv, AuthError, AuthResult> => SRTE.right(r)
    const withAudit = pipe(clientCredentials(params), SRTE.chain(audit), SRTE.map((r) => r.token_source))
    expectTypeOf(withAudit).toEqualTypeOf<Grant<'cache' | 'identity_provider' | 'broker'>>()
  })

  it('the environment and the state cannot be swapped', () => {
    // @ts-expect-error the cache comes first, then the environment
    clientCredentials(params)(env)
  })

  it('AuthResult keeps MSAL Python\'s snake_case fields', () => {
    expectTypeOf<AuthResult['access_token']>().toEqualTypeOf<string>()
    expectTypeOf<AuthResult['expires_in']>().toEqualTypeOf<number>()
    expectTypeOf<AuthResult['token_source']>().toEqualTypeOf<'cache' | 'identity_provider' | 'broker'>()
    expectTypeOf<AuthResult>().toHaveProperty('refresh_on')
  })
})
