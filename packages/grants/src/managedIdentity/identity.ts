/**
 * Which managed identity to ask for: system-assigned, or user-assigned by client id,
 * resource id or object id. The shape is MSAL Python's dict (`{"ManagedIdentityIdType":
 * ..., "Id": ...}`), so a configuration written for MSAL Python loads as it is.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { configError, type ConfigError } from '@authfold/core'

/**
 * A managed identity, as MSAL Python's `ManagedIdentity` dict.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `msal.ManagedIdentity`
 */
export type ManagedIdentity =
  | { readonly ManagedIdentityIdType: 'SystemAssigned'; readonly Id?: null }
  | { readonly ManagedIdentityIdType: 'ClientId' | 'ResourceId' | 'ObjectId'; readonly Id: string }

/**
 * The system-assigned managed identity of the machine or service.
 *
 * @category constructors
 * @since 0.1.0
 * @see MSAL Python `SystemAssignedManagedIdentity`
 */
export const systemAssignedManagedIdentity = (): ManagedIdentity => ({ ManagedIdentityIdType: 'SystemAssigned', Id: null })

/**
 * A user-assigned managed identity named by exactly one of its client id, resource id or
 * object id. Naming none or several is refused by {@link checkManagedIdentity}.
 *
 * @category constructors
 * @since 0.1.0
 * @see MSAL Python `UserAssignedManagedIdentity`
 */
export const userAssignedManagedIdentity = (ids: {
  readonly clientId?: string
  readonly resourceId?: string
  readonly objectId?: string
}): ManagedIdentity => {
  const named = [
    ['ClientId', ids.clientId],
    ['ResourceId', ids.resourceId],
    ['ObjectId', ids.objectId],
  ] as const
  const given = named.filter(([, v]) => v !== undefined && v !== '')
  const [first] = given
  // Several or none: an invalid value that checkManagedIdentity refuses with a clear message.
  return given.length === 1 && first !== undefined && first[1] !== undefined
    ? { ManagedIdentityIdType: first[0], Id: first[1] }
    : { ManagedIdentityIdType: 'ClientId', Id: '' }
}

/**
 * Checks a managed identity value (it may come from JSON): a system-assigned one, or a
 * user-assigned one with a non-empty id.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `ManagedIdentity.is_managed_identity`
 */
export const checkManagedIdentity = (u: unknown): E.Either<ConfigError, ManagedIdentity> => {
  const problem = configError(
    'invalid_argument',
    'managedIdentity must be systemAssignedManagedIdentity() or userAssignedManagedIdentity({ clientId | resourceId | objectId }) with exactly one non-empty id (MSAL\'s {"ManagedIdentityIdType": ..., "Id": ...}).',
    'managedIdentity',
  )
  if (typeof u !== 'object' || u === null) return E.left(problem)
  const { ManagedIdentityIdType: type, Id: id } = u as { readonly ManagedIdentityIdType?: unknown; readonly Id?: unknown }
  if (type === 'SystemAssigned') return E.right({ ManagedIdentityIdType: 'SystemAssigned', Id: null })
  if ((type === 'ClientId' || type === 'ResourceId' || type === 'ObjectId') && typeof id === 'string' && id.trim() !== '')
    return E.right({ ManagedIdentityIdType: type, Id: id })
  return E.left(problem)
}

/**
 * True for a user-assigned identity.
 *
 * @category queries
 * @since 0.1.0
 */
export const isUserAssigned = (mi: ManagedIdentity): mi is Extract<ManagedIdentity, { readonly Id: string }> =>
  mi.ManagedIdentityIdType !== 'SystemAssigned'

/**
 * The client id under which MSAL Python files a managed identity's tokens: the id, or
 * `SYSTEM_ASSIGNED_MANAGED_IDENTITY`.
 *
 * @category queries
 * @since 0.1.0
 * @see MSAL Python `ManagedIdentityClient.acquire_token_for_client` (`client_id_in_cache`)
 */
export const cacheClientIdOf = (mi: ManagedIdentity): string => (isUserAssigned(mi) ? mi.Id : 'SYSTEM_ASSIGNED_MANAGED_IDENTITY')

/**
 * Query parameter names of the user-assigned id types, per source.
 *
 * @category model
 * @since 0.1.0
 */
export type IdParamNames = Readonly<Record<'ClientId' | 'ResourceId' | 'ObjectId', string>>

/**
 * The query parameter naming a user-assigned identity (none for system-assigned).
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_adjust_param`
 */
export const identityParam = (mi: ManagedIdentity, names: IdParamNames): Readonly<Record<string, string>> =>
  isUserAssigned(mi) ? { [names[mi.ManagedIdentityIdType]]: mi.Id } : {}
