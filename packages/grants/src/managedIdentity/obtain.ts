/**
 * Sends a source's request(s) and reads its answer: one request for most sources, the
 * challenge round for Azure Arc, retries with backoff for IMDS.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { pipe } from 'fp-ts/function'
import {
  configError,
  headerValue,
  httpError,
  retryAfterMs,
  uuidFrom,
  type AuthError,
  type GrantEnv,
  type HttpError,
  type HttpRequest,
  type HttpResponse,
  type TokenResponse,
} from '@authfold/core'
import type { ManagedIdentity } from './identity.js'
import type { ManagedIdentitySource } from './environment.js'
import { IMDS_RETRY, imdsRequest, isImdsRetryStatus, readImdsAnswer } from './imds.js'
import { appServiceRequest, readAppServiceAnswer } from './appService.js'
import { serviceFabricRequest, readServiceFabricAnswer } from './serviceFabric.js'
import { machineLearningRequest, readMachineLearningAnswer } from './machineLearning.js'
import { cloudShellRequest, readCloudShellAnswer } from './cloudShell.js'
import { arcKeyPath, arcRequest, checkArcKeySize, readArcAnswer, type ArcKeyFiles } from './arc.js'

/**
 * What a managed identity request carries besides the identity and resource.
 *
 * @category model
 * @since 0.1.0
 */
export interface ManagedIdentityRequestExtras {
  /** Hex SHA-256 of the token a claims challenge rejected (sources that take it). */
  readonly tokenSha256ToRefresh?: string | undefined
  /** Client capabilities, sent as `xms_cc` (sources that take it). */
  readonly clientCapabilities?: ReadonlyArray<string> | undefined
  /** The file effect for Azure Arc. */
  readonly arcFiles?: ArcKeyFiles | undefined
}

type Reader = (response: HttpResponse, nowSeconds: number) => E.Either<AuthError, TokenResponse>

const sendAndRead =
  (request: HttpRequest, read: Reader) =>
  (env: GrantEnv): TE.TaskEither<AuthError, TokenResponse> =>
    pipe(
      env.http(request),
      TE.chainEitherKW((response) => read(response, env.now() / 1000)),
    )

const notOnAzure = (e: HttpError, url: string): HttpError =>
  httpError(
    e.code,
    url,
    `No managed identity endpoint answered at ${url} (${e.message}): this code is probably not running on Azure. Off Azure, use another credential; on an Azure host that is not a VM, set the source's variables (IDENTITY_ENDPOINT + IDENTITY_HEADER, MSI_ENDPOINT, ...) as the host does.`,
  )

/**
 * The backoff before IMDS retry `retry` (0-based) after `response`: `undefined` when no
 * retry is due (a status MSAL does not retry, the retries used up, or a `Retry-After`
 * longer than a minute).
 *
 * @category steps
 * @since 0.1.0
 */
export const imdsRetryDelay = (response: HttpResponse, retry: number, nowMs: number): number | undefined => {
  if (retry >= IMDS_RETRY.retries || !isImdsRetryStatus(response.status)) return undefined
  const backoff = IMDS_RETRY.baseDelayMs * 2 ** retry
  const asked = retryAfterMs(headerValue(response.headers, 'retry-after'), nowMs)
  return asked === undefined ? backoff : asked > IMDS_RETRY.maxRetryAfterMs ? undefined : Math.max(backoff, asked)
}

/**
 * Sends an IMDS request, retrying (through `env.sleep`) on the statuses MSAL retries. A
 * refused connection or a timeout is not retried: it says the code is not on Azure.
 *
 * @category steps
 * @since 0.1.0
 */
export const sendImds =
  (request: HttpRequest) =>
  (env: GrantEnv): TE.TaskEither<AuthError, TokenResponse> => {
    const attempt =
      (retry: number): TE.TaskEither<AuthError, TokenResponse> =>
      async () => {
        const outcome = await env.http(request)()
        if (E.isLeft(outcome))
          return E.left(outcome.left.code === 'network' || outcome.left.code === 'timeout' ? notOnAzure(outcome.left, request.url.replace(/\?.*$/s, '')) : outcome.left)
        const delay = imdsRetryDelay(outcome.right, retry, env.now())
        if (delay === undefined) return readImdsAnswer(request.url)(outcome.right, env.now() / 1000)
        env.log('warning', `IMDS answered HTTP ${outcome.right.status}; retrying in ${delay} ms (retry ${retry + 1} of ${IMDS_RETRY.retries}).`, false)
        await env.sleep(delay)()
        return attempt(retry + 1)()
      }
    return attempt(0)
  }

const obtainOnArc =
  (source: Extract<ManagedIdentitySource, { readonly kind: 'AzureArc' }>, resource: string, files: ArcKeyFiles | undefined) =>
  (env: GrantEnv): TE.TaskEither<AuthError, TokenResponse> =>
    files === undefined
      ? TE.left(configError('invalid_argument', 'Azure Arc needs the key-file effect: pass arcFiles (arcKeyFiles() from @authfold/node).', 'arcFiles'))
      : pipe(
          env.http(arcRequest(source.endpoint, resource)),
          TE.chainEitherKW((challenge) => arcKeyPath(challenge, source.keyFolder)),
          TE.chainFirst((path) => pipe(files.size(path), TE.chainEitherK(checkArcKeySize))),
          TE.chain((path) => files.read(path)),
          TE.chain((key) => sendAndRead(arcRequest(source.endpoint, resource, key.trim()), readArcAnswer(source.endpoint))(env)),
        )

/**
 * Obtains a token from `source` for `mi` and `resource`: the source's request, sent, and its
 * answer read into an OAuth token answer.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_obtain_token`
 */
export const obtainManagedIdentityToken =
  (source: ManagedIdentitySource, mi: ManagedIdentity, resource: string, extras: ManagedIdentityRequestExtras = {}) =>
  (env: GrantEnv): TE.TaskEither<AuthError, TokenResponse> => {
    switch (source.kind) {
      case 'Imds':
        return sendImds(imdsRequest(source.endpoint, mi, resource, uuidFrom(env.random)))(env)
      case 'AppService':
        return sendAndRead(appServiceRequest(source.endpoint, source.identityHeader, mi, resource), readAppServiceAnswer(source.endpoint))(env)
      case 'ServiceFabric':
        return sendAndRead(serviceFabricRequest(source.endpoint, source.identityHeader, resource, extras), readServiceFabricAnswer(source.endpoint))(env)
      case 'MachineLearning':
        return sendAndRead(machineLearningRequest(source.endpoint, source.secret, mi, resource), readMachineLearningAnswer(source.endpoint))(env)
      case 'CloudShell':
        return sendAndRead(cloudShellRequest(source.endpoint, resource), readCloudShellAnswer(source.endpoint))(env)
      case 'AzureArc':
        return obtainOnArc(source, resource, extras.arcFiles)(env)
    }
  }

/**
 * Whether a source takes `token_sha256_to_refresh` and `xms_cc` (Service Fabric, as in MSAL Python).
 *
 * @category queries
 * @since 0.1.0
 */
export const takesTokenToRefresh = (source: ManagedIdentitySource): boolean => source.kind === 'ServiceFabric'
