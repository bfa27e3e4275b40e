import { describe, expectTypeOf, it } from 'vitest'
import type * as TE from 'fp-ts/TaskEither'
import type { AuthError } from '@authfold/core'
import type { AuthCodeFlow, AuthResponse, UserAuthResult } from '@authfold/grants'
import type { ConfidentialClient } from './confidentialClient.js'
import type { PublicClient } from './publicClient.js'
import type { CallOptions } from './callLimits.js'
import type { AcquireTokenByAuthCodeFlowOptions } from './methods/acquireTokenByAuthCodeFlow.js'
import type { AcquireTokenByAuthorizationCodeOptions } from './methods/acquireTokenByAuthorizationCode.js'
import type { GetAuthorizationRequestUrlOptions } from './methods/getAuthorizationRequestUrl.js'
import type { InitiateAuthCodeFlowOptions } from './methods/initiateAuthCodeFlow.js'

describe('the auth code methods, on both facades', () => {
  it('have the same Promise and TaskEither signatures on the public and the confidential client', () => {
    expectTypeOf<PublicClient['initiateAuthCodeFlow']>().toEqualTypeOf<(scopes: ReadonlyArray<string>, options?: InitiateAuthCodeFlowOptions) => Promise<AuthCodeFlow>>()
    expectTypeOf<ConfidentialClient['initiateAuthCodeFlow']>().toEqualTypeOf<PublicClient['initiateAuthCodeFlow']>()
    expectTypeOf<PublicClient['te']['acquireTokenByAuthCodeFlow']>().toEqualTypeOf<
      (flow: AuthCodeFlow, authResponse: AuthResponse, options?: AcquireTokenByAuthCodeFlowOptions) => TE.TaskEither<AuthError, UserAuthResult>
    >()
    expectTypeOf<ConfidentialClient['acquireTokenByAuthCodeFlow']>().toEqualTypeOf<
      (flow: AuthCodeFlow, authResponse: AuthResponse, options?: AcquireTokenByAuthCodeFlowOptions) => Promise<UserAuthResult>
    >()
    expectTypeOf<ConfidentialClient['getAuthorizationRequestUrl']>().toEqualTypeOf<(scopes: ReadonlyArray<string>, options?: GetAuthorizationRequestUrlOptions) => Promise<string>>()
    expectTypeOf<PublicClient['acquireTokenByAuthorizationCode']>().toEqualTypeOf<
      (code: string, scopes: ReadonlyArray<string>, options?: AcquireTokenByAuthorizationCodeOptions) => Promise<UserAuthResult>
    >()
    expectTypeOf<InitiateAuthCodeFlowOptions>().toMatchTypeOf<CallOptions>()
    expectTypeOf<AcquireTokenByAuthCodeFlowOptions>().toMatchTypeOf<CallOptions>()
  })

  it('the flow is plain JSON: no function, no undefined-only field', () => {
    expectTypeOf<AuthCodeFlow['redirect_uri']>().toEqualTypeOf<string | null>()
    expectTypeOf<AuthCodeFlow['scope']>().toEqualTypeOf<ReadonlyArray<string>>()
  })
})
