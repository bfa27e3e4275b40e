/**
 * Reading app metadata (the app's FOCI family).
 *
 * @module
 */
import { str, type AppMetadataEntity } from './schema.js'
import { bucketKey, tableBucket, type CacheState } from './state.js'

/**
 * The app metadata of a client in any of the environments, if recorded.
 *
 * @category queries
 * @since 0.1.0
 * @see MSAL Python `TokenCache._get_app_metadata` / `ClientApplication._get_app_metadata`
 */
export const getAppMetadata =
  (q: { readonly clientId: string; readonly environments: ReadonlyArray<string> }) =>
  (s: CacheState): AppMetadataEntity | undefined => {
    const envs = new Set(q.environments.map((e) => e.toLowerCase()))
    for (const [, am] of tableBucket(s.appMetadata, 'client', bucketKey(q.clientId))) {
      if (envs.has(str(am.environment).toLowerCase())) return am
    }
    return undefined
  }

/**
 * The FOCI family id recorded for a client (`undefined` when the app is not known to be
 * in a family).
 *
 * @category queries
 * @since 0.1.0
 */
export const familyIdOf =
  (q: { readonly clientId: string; readonly environments: ReadonlyArray<string> }) =>
  (s: CacheState): string | undefined => {
    const f = getAppMetadata(q)(s)?.family_id
    return f === undefined || f === null || f === '' ? undefined : f
  }
