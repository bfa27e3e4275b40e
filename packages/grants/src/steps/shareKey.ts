/**
 * The single-flight key of a token request.
 *
 * @module
 */
import type { ApiId } from '@authfold/core'
import type { TokenEndpointRequest } from './authenticate.js'

/**
 * Per-request headers that do not change the answer (correlation and telemetry): left out
 * of {@link shareKey}, compared case-insensitively.
 *
 * @category constants
 * @since 0.1.0
 */
export const NOISE_HEADERS: ReadonlyArray<string> = ['client-request-id', 'return-client-request-id', 'x-client-current-telemetry', 'x-client-last-telemetry']

const sortedPairs = (record: Readonly<Record<string, string | undefined>>, keep: (name: string) => boolean): Array<readonly [string, string]> =>
  Object.entries(record)
    .filter((pair): pair is [string, string] => pair[1] !== undefined && keep(pair[0]))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

const notNoise = (name: string): boolean => !NOISE_HEADERS.includes(name.toLowerCase())

/**
 * The key under which identical concurrent token requests share one request: the public
 * method, the token endpoint (so the authority, tenant and region), the client id, every
 * form field that is sent and every per-call header, before client authentication (a client
 * assertion differs on every call; the credential is compared by identity beside the key).
 * Fields whose value is `undefined` are not sent and do not count; correlation and
 * telemetry headers ({@link NOISE_HEADERS}) do not change the answer and do not count. Two
 * requests have the same key exactly when all the rest is equal (the encoding is a JSON
 * array, so no two different requests can spell the same key).
 *
 * @example
 * ```ts
 * import { shareKey } from '@authfold/grants'
 * import { ApiId } from '@authfold/core'
 *
 * declare const tokenEndpoint: string
 * shareKey({ tokenEndpoint, clientId: 'app', fields: { grant_type: 'client_credentials', scope: 'api://r/.default' } }, ApiId.acquireTokenForClient)
 * ```
 * @category steps
 * @since 0.1.0
 */
export const shareKey = (request: TokenEndpointRequest, apiId: ApiId): string =>
  JSON.stringify([
    apiId,
    request.tokenEndpoint,
    request.clientId,
    sortedPairs(request.fields, () => true),
    sortedPairs(request.headers ?? {}, notNoise),
  ])
