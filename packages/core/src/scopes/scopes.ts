/**
 * Scope decoration for user grants: MSAL adds `openid profile offline_access` so that
 * every user sign-in yields an id_token and a refresh token.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import { configError } from '../errors/errors.js'
import type { ConfigError } from '../errors/errors.js'

/**
 * The scopes MSAL adds itself and refuses from callers.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._decorate_scope` (`reserved_scope`)
 */
export const RESERVED_SCOPES: ReadonlyArray<string> = ['openid', 'profile', 'offline_access']

/**
 * Options of {@link decorateScopes}.
 *
 * @category model
 * @since 0.1.0
 */
export interface DecorateScopesOptions {
  /** Reserved scopes to leave out (MSAL's `exclude_scopes`, e.g. `["offline_access"]`). */
  readonly excludeScopes?: ReadonlyArray<string>
}

/**
 * Checks MSAL's `exclude_scopes` constructor rule: a list of strings that does not
 * contain `openid`.
 *
 * @category scopes
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.__init__` (`exclude_scopes`)
 */
export const validateExcludeScopes = (excludeScopes: unknown): Either<ConfigError, ReadonlyArray<string>> => {
  if (excludeScopes === undefined || excludeScopes === null) return E.right([])
  if (!Array.isArray(excludeScopes) || !excludeScopes.every((s): s is string => typeof s === 'string'))
    return E.left(configError('invalid_argument', 'excludeScopes must be an array of strings, e.g. ["offline_access"].', 'excludeScopes'))
  if (excludeScopes.includes('openid'))
    return E.left(configError('invalid_argument', 'excludeScopes cannot contain "openid": user grants always ask for it.', 'excludeScopes'))
  return E.right(excludeScopes)
}

/**
 * Decorates the scopes of a user grant as MSAL Python's `_decorate_scope` does: the
 * input must be an array; it must not contain a reserved scope (`openid`, `profile`,
 * `offline_access`: a {@link ConfigError} with code `reserved_scope`); the result is the
 * input (duplicates removed, order kept) plus the reserved scopes, minus `excludeScopes`.
 * Like MSAL Python, `/.default` scopes get no special treatment here (the
 * client-credentials grant simply does not decorate).
 *
 * @category scopes
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._decorate_scope`
 */
export const decorateScopes = (
  scopes: ReadonlyArray<string>,
  options: DecorateScopesOptions = {},
): Either<ConfigError, ReadonlyArray<string>> => {
  if (!Array.isArray(scopes) || !scopes.every((s): s is string => typeof s === 'string'))
    return E.left(configError('invalid_argument', 'scopes must be an array of strings, e.g. ["User.Read"].', 'scopes'))
  const exclude = validateExcludeScopes(options.excludeScopes)
  if (E.isLeft(exclude)) return exclude
  const input = Array.from(new Set(scopes))
  const reserved = input.filter((s) => RESERVED_SCOPES.includes(s))
  if (reserved.length > 0)
    return E.left(
      configError(
        'reserved_scope',
        `You cannot ask for the reserved scope${reserved.length > 1 ? 's' : ''} ${reserved.map((s) => `"${s}"`).join(', ')}: ` +
          `${RESERVED_SCOPES.join(', ')} are always added for you. Remove ${reserved.length > 1 ? 'them' : 'it'} from scopes ` +
          '(use excludeScopes to opt out of profile or offline_access).',
        'scopes',
      ),
    )
  const excluded = new Set(exclude.right)
  return E.right([...input, ...RESERVED_SCOPES].filter((s) => !excluded.has(s)))
}

/**
 * True exactly when {@link decorateScopes} would succeed for these scopes and
 * `excludeScopes`, without building the decorated list: what a cache-hit check needs
 * (a hit answers only where the grant would not refuse the scopes).
 *
 * @category scopes
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._decorate_scope`
 */
export const canDecorateScopes = (scopes: ReadonlyArray<string>, excludeScopes?: ReadonlyArray<string>): boolean =>
  Array.isArray(scopes) && scopes.every(isUnreservedScope) && (excludeScopes === undefined || E.isRight(validateExcludeScopes(excludeScopes)))

const isUnreservedScope = (s: unknown): boolean => typeof s === 'string' && !RESERVED_SCOPES.includes(s)

/**
 * Joins scopes into the space-separated `scope` parameter (RFC 6749 §3.3).
 *
 * @category scopes
 * @since 0.1.0
 */
export const scopeParameter = (scopes: ReadonlyArray<string>): string => scopes.join(' ')
