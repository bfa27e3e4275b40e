/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { decorateScopes, mergeClaimsChallengeAndCapabilities, type ConfigError } from '@authfold/core'

/**
 * What a user-token request asks for, checked: the scopes decorated as MSAL decorates them
 * (`openid profile offline_access` added, `excludeScopes` left out) and the claims challenge
 * merged with the client capabilities (`xms_cc`).
 *
 * @category model
 * @since 0.1.0
 */
export interface UserRequestScopes {
  readonly scopes: ReadonlyArray<string>
  readonly claims: string | undefined
}

/**
 * Decorates the scopes and merges the claims of a user-token request, as every user grant
 * does before it sends anything (a reserved scope alone, or a claims challenge that is not
 * a JSON object, is a `ConfigError`).
 *
 * @example
 * ```ts
 * import { userRequestScopes } from '@authfold/grants'
 *
 * userRequestScopes({ scopes: ['User.Read'] }) // Right({ scopes: ['User.Read', 'openid', 'profile', 'offline_access'], claims: undefined })
 * ```
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._decorate_scope`, `_merge_claims_challenge_and_capabilities`
 */
export const userRequestScopes = (p: {
  readonly scopes: ReadonlyArray<string>
  readonly excludeScopes?: ReadonlyArray<string> | undefined
  readonly clientCapabilities?: ReadonlyArray<string> | undefined
  readonly claimsChallenge?: string | undefined
}): E.Either<ConfigError, UserRequestScopes> =>
  pipe(
    decorateScopes(p.scopes, p.excludeScopes === undefined ? {} : { excludeScopes: p.excludeScopes }),
    E.chain((scopes) =>
      pipe(
        mergeClaimsChallengeAndCapabilities(p.clientCapabilities, p.claimsChallenge),
        E.map((claims) => ({ scopes, claims })),
      ),
    ),
  )
