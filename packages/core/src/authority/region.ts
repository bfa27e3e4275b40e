/**
 * Entra regional token service (ESTS-R): region detection and the regional authority
 * used by the client-credentials grant.
 *
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import * as T from 'fp-ts/Task'
import * as E from 'fp-ts/Either'
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import { pipe } from 'fp-ts/function'
import { configError, httpError } from '../errors/errors.js'
import type { ConfigError, HttpError } from '../errors/errors.js'
import type { GrantEnv } from '../env/env.js'
import type { HttpResponse } from '../http/http.js'

/**
 * The Azure Instance Metadata Service URL MSAL asks for the VM's region.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `msal.region._detect_region_of_azure_vm`
 */
export const IMDS_REGION_ENDPOINT =
  'http://169.254.169.254/metadata/instance/compute/location?format=text&api-version=2021-01-01'

/**
 * How to choose a region. `true` is MSAL's "TryAutoDetect"; a string is a region name;
 * `false` or absent uses the global endpoints.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `ClientApplication(azure_region=...)`
 */
export type AzureRegion = string | boolean

/**
 * Options of region detection.
 *
 * @category model
 * @since 0.1.0
 */
export interface RegionDetectionOptions {
  /**
   * A region name from the deployment (what MSAL reads from the `REGION_NAME`
   * environment variable); core reads no environment, so the caller passes it.
   */
  readonly regionName?: string
  /** The IMDS URL to ask; tests point it at a local server. */
  readonly imdsEndpoint?: string
  /** Give up on IMDS after this many milliseconds (default 2000). */
  readonly imdsTimeoutMs?: number
}

/**
 * True for a region name Entra can serve: lower-case letters, digits and dashes, 1 to 63
 * characters (a DNS label, since it becomes `<region>.login.microsoft.com`). The one rule
 * for `azureRegion`, `regionName` and the IMDS answer alike.
 *
 * @category region
 * @since 0.1.0
 */
export const isRegionName = (region: string): boolean => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(region)

/**
 * A region name as given (`WestUS 2` -> `westus2`): spaces removed, lower-cased.
 *
 * @category region
 * @since 0.1.0
 */
export const normaliseRegion = (region: string): string => region.replace(/\s/g, '').toLowerCase()

/**
 * Detects the region: the `regionName` input (spaces removed, lower-cased) when given,
 * else IMDS (`Metadata: true`, short timeout). Never fails: `undefined` when nothing
 * is found, so callers fall back to the global endpoints.
 *
 * @category region
 * @since 0.1.0
 * @see MSAL Python `msal.region._detect_region`
 */
export const detectRegion =
  (options: RegionDetectionOptions = {}): ReaderTaskEither<GrantEnv, never, string | undefined> =>
  (env) => {
    const fromInput = normaliseRegion(options.regionName ?? '')
    if (fromInput !== '' && isRegionName(fromInput)) return TE.right(fromInput)
    if (fromInput !== '') env.log('warning', 'The regionName given is not a region name (letters, digits and dashes); asking IMDS instead.', false)
    const url = options.imdsEndpoint ?? IMDS_REGION_ENDPOINT
    const timeoutMs = options.imdsTimeoutMs ?? 2000
    env.log('info', `Asking IMDS ${url.split('?')[0] ?? url} for the region; outside Azure this times out after ${timeoutMs} ms.`, false)
    const request = env.http({ method: 'GET', url, headers: { Metadata: 'true' } })
    const timeout: TE.TaskEither<HttpError, HttpResponse> = pipe(
      env.sleep(timeoutMs),
      T.map(() => E.left(httpError('timeout', url, `IMDS did not answer within ${timeoutMs} ms.`))),
    )
    const raced: TE.TaskEither<HttpError, HttpResponse> = () => Promise.race([request(), timeout()])
    return pipe(
      raced,
      TE.map((res) => {
        const region = normaliseRegion(res.body)
        return res.status >= 200 && res.status < 300 && isRegionName(region) ? region : undefined
      }),
      TE.orElse((e) => {
        env.log('info', `IMDS unavailable (${e.message}); using the global endpoints.`, false)
        return TE.right<never, string | undefined>(undefined)
      }),
    )
  }

/**
 * The regional login host for a region and a central host: `<region>.login.microsoft.com`
 * for the public cloud's hosts, `<region>.<host>` for every other cloud.
 *
 * @category region
 * @since 0.1.0
 * @see MSAL Python `ClientApplication._get_regional_authority`
 */
export const regionalHost = (region: string, centralHost: string): string =>
  PUBLIC_CLOUD_HOSTS.includes(centralHost.toLowerCase()) ? `${region}.login.microsoft.com` : `${region}.${centralHost.toLowerCase()}`

const PUBLIC_CLOUD_HOSTS: ReadonlyArray<string> = ['login.microsoftonline.com', 'login.microsoft.com', 'login.windows.net', 'sts.windows.net']

/**
 * Checks an `azureRegion` option: a string must be a region name ({@link isRegionName}
 * after {@link normaliseRegion}), so a value such as `evil.example/x` can never choose the
 * host a token request goes to.
 *
 * @category region
 * @since 0.1.0
 */
export const checkAzureRegion = (azureRegion: AzureRegion | undefined): E.Either<ConfigError, AzureRegion | undefined> =>
  typeof azureRegion !== 'string' || normaliseRegion(azureRegion) === '' || isRegionName(normaliseRegion(azureRegion))
    ? E.right(azureRegion)
    : E.left(
        configError(
          'invalid_argument',
          'azureRegion must be a region name such as "westus2" (letters, digits and dashes), true to detect it, or false.',
          'azureRegion',
        ),
      )

/**
 * Picks the region to use: `false`/absent → none, a string → that region (a
 * `ConfigError` when it is not a region name), `true` → {@link detectRegion} (none when
 * detection fails).
 *
 * @category region
 * @since 0.1.0
 */
export const chooseRegion =
  (azureRegion: AzureRegion | undefined, options: RegionDetectionOptions = {}): ReaderTaskEither<GrantEnv, ConfigError, string | undefined> =>
  (env) => {
    if (azureRegion === undefined || azureRegion === false) return TE.right(undefined)
    if (azureRegion === true) return detectRegion(options)(env)
    const checked = checkAzureRegion(azureRegion)
    if (E.isLeft(checked)) return TE.left(checked.left)
    const r = normaliseRegion(azureRegion)
    return TE.right(r === '' ? undefined : r)
  }
