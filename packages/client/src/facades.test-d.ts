import { describe, expectTypeOf, it } from 'vitest'
import type * as TE from 'fp-ts/TaskEither'
import type { CacheStore } from '@authfold/cache'
import type { AuthError, ResolvedAuthority } from '@authfold/core'
import type { AuthResult } from '@authfold/grants'
import { createConfidentialClient, type ConfidentialClient } from './confidentialClient.js'
import { createPublicClient, type PublicClient } from './publicClient.js'
import { acquireTokenForClient, type AcquireTokenForClientOptions } from './methods/acquireTokenForClient.js'
import type { ClientContext, ConfidentialContext } from './context.js'
import type { CallOptions } from './callLimits.js'

describe('the facades keep their public signatures', () => {
  it('confidential: Promise methods and their TaskEither twins', () => {
    expectTypeOf(createConfidentialClient).returns.toEqualTypeOf<ConfidentialClient>()
    expectTypeOf<ConfidentialClient['acquireTokenForClient']>().toEqualTypeOf<
      (scopes: ReadonlyArray<string>, options?: AcquireTokenForClientOptions) => Promise<AuthResult>
    >()
    expectTypeOf<ConfidentialClient['te']['acquireTokenForClient']>().toEqualTypeOf<
      (scopes: ReadonlyArray<string>, options?: AcquireTokenForClientOptions) => TE.TaskEither<AuthError, AuthResult>
    >()
    expectTypeOf<ConfidentialClient['removeTokensForClient']>().toEqualTypeOf<(options?: CallOptions) => Promise<void>>()
    expectTypeOf<ConfidentialClient['resolveAuthority']>().toEqualTypeOf<(options?: CallOptions) => Promise<ResolvedAuthority>>()
    expectTypeOf<ConfidentialClient['serializeCache']>().toEqualTypeOf<(options?: CallOptions) => Promise<string>>()
    expectTypeOf<ConfidentialClient['deserializeCache']>().toEqualTypeOf<(json: string, options?: CallOptions) => Promise<void>>()
    expectTypeOf<ConfidentialClient['cacheStore']>().toEqualTypeOf<CacheStore>()
    expectTypeOf<AcquireTokenForClientOptions>().toMatchTypeOf<CallOptions>()
  })

  it('public: no client-credentials method, and no credential in its configuration', () => {
    expectTypeOf(createPublicClient).returns.toEqualTypeOf<PublicClient>()
    expectTypeOf<PublicClient>().not.toHaveProperty('acquireTokenForClient')
    expectTypeOf<PublicClient['te']['resolveAuthority']>().toEqualTypeOf<(options?: CallOptions) => TE.TaskEither<AuthError, ResolvedAuthority>>()
    expectTypeOf(createPublicClient).parameter(0).not.toHaveProperty('credential')
  })

  it('a method module needs the context it can work with: client credentials only on a confidential one', () => {
    expectTypeOf(acquireTokenForClient).parameter(0).toEqualTypeOf<ConfidentialContext>()
    expectTypeOf<ClientContext>().not.toMatchTypeOf<ConfidentialContext>()
  })
})
