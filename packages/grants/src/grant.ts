/**
 * The one shape every grant has: parameters, then the cache state, then the effects, giving
 * a `TaskEither` of the result and the next cache state. It is fp-ts's
 * `StateReaderTaskEither`, so grants compose with `SRTE.chain`, `SRTE.map` and `pipe`.
 *
 * @module
 */
import type { StateReaderTaskEither } from 'fp-ts/StateReaderTaskEither'
import type { AuthError, GrantEnv } from '@authfold/core'
import type { CacheState } from '@authfold/cache'

/**
 * A grant pipeline over the token cache.
 *
 * @category model
 * @since 0.1.0
 */
export type Grant<A> = StateReaderTaskEither<CacheState, GrantEnv, AuthError, A>

/**
 * Where a result came from, as MSAL reports it in `token_source`.
 *
 * @category model
 * @since 0.1.0
 */
export type TokenSource = 'cache' | 'identity_provider' | 'broker'

/**
 * The result of a grant, shaped like MSAL Python's dict (snake_case field names), so code
 * and tests written for MSAL read the same values.
 *
 * @category model
 * @since 0.1.0
 */
export interface AuthResult {
  readonly access_token: string
  readonly token_type: string
  /** Seconds until the access token expires. */
  readonly expires_in: number
  readonly token_source: TokenSource
  /** Epoch seconds after which a proactive refresh is due (from the IdP's `refresh_in`). */
  readonly refresh_on?: number
  readonly ext_expires_in?: number
  readonly scope?: string
  readonly refresh_token?: string
  readonly id_token?: string
  readonly id_token_claims?: Readonly<Record<string, unknown>>
  readonly client_info?: string
}
