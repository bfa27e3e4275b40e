/**
 * Regional endpoints for the client-credentials grant (MSAL's `azure_region`).
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import * as E from 'fp-ts/Either'
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import { pipe } from 'fp-ts/function'
import type { AuthError } from '../errors/errors.js'
import type { GrantEnv } from '../env/env.js'
import type { ResolvedAuthority } from './types.js'
import { parseAuthority } from './parse.js'
import { chooseRegion, regionalHost } from './region.js'
import type { AzureRegion, RegionDetectionOptions } from './region.js'
import { cacheAndId, resolveEntraAuthority, type ResolveAuthorityOptions } from './discovery.js'

/**
 * Adds the regional endpoints to a resolved (central) Entra authority: the authority
 * `https://<regional host>/<realm>` is discovered without instance discovery, as MSAL
 * Python does, and its endpoints are stored in `regional`. `environment`, `aliases` and
 * `realm` stay the central ones, so tokens are cached under the central cloud. Only
 * Entra authorities are regionalized; others, and a failed detection, are returned as
 * they are.
 *
 * @category region
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._get_regional_authority`, `_build_client`
 */
export const withRegion =
  (
    central: ResolvedAuthority,
    azureRegion: AzureRegion | undefined,
    options: RegionDetectionOptions & Pick<ResolveAuthorityOptions, 'httpCache' | 'correlationId'> = {},
  ): ReaderTaskEither<GrantEnv, AuthError, ResolvedAuthority> =>
  (env) => {
    if (central.authority.kind !== 'entra' || azureRegion === undefined || azureRegion === false) return TE.right(central)
    return pipe(
      chooseRegion(azureRegion, options)(env),
      TE.chain((region): TE.TaskEither<AuthError, ResolvedAuthority> => {
        if (region === undefined) return TE.right(central)
        const host = regionalHost(region, central.authority.host)
        const parsed = parseAuthority(`https://${host}/${central.realm}`)
        if (E.isLeft(parsed)) {
          env.log('warning', `Region "${region}" does not give a valid host (${parsed.left.message}); using the global endpoints.`, false)
          return TE.right(central)
        }
        return pipe(
          resolveEntraAuthority(parsed.right, { instanceDiscovery: false, ...cacheAndId(options) })(env),
          TE.map((regional) => ({ ...central, regional: { region, authority: regional.authority, metadata: regional.metadata } })),
        )
      }),
    )
  }
