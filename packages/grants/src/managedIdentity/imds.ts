/**
 * IMDS (Azure VMs, VM scale sets, AKS pod identity): the default source.
 *
 * @module
 */
import type { HttpRequest } from '@authfold/core'
import { identityParam, type ManagedIdentity } from './identity.js'
import { oauthErrorOf, readManagedIdentityAnswer } from './answer.js'
import { getWithQuery } from './query.js'

/**
 * IMDS's query parameter names of user-assigned ids.
 *
 * @category constants
 * @since 0.1.0
 * @see MSAL Python `ManagedIdentity._types_mapping`
 */
export const IMDS_ID_PARAMS = { ClientId: 'client_id', ResourceId: 'msi_res_id', ObjectId: 'object_id' } as const

/**
 * The IMDS token request: `GET <host>/metadata/identity/oauth2/token?api-version=2018-02-01&resource=...`
 * (plus `client_id` / `msi_res_id` / `object_id`), with `Metadata: true` and
 * `x-ms-client-request-id`.
 *
 * @category requests
 * @since 0.1.0
 * @see MSAL Python `_obtain_token_on_azure_vm`
 */
export const imdsRequest = (endpoint: string, mi: ManagedIdentity, resource: string, correlationId: string): HttpRequest =>
  getWithQuery(endpoint, { 'api-version': '2018-02-01', resource, ...identityParam(mi, IMDS_ID_PARAMS) }, { Metadata: 'true', 'x-ms-client-request-id': correlationId })

/**
 * Reads IMDS's answer (`expires_in` as a number in a string; errors as OAuth errors).
 *
 * @category decoders
 * @since 0.1.0
 */
export const readImdsAnswer = (url: string) => readManagedIdentityAnswer({ subject: 'IMDS token answer', url, lifetime: 'expires_in', errorOf: oauthErrorOf })

/**
 * The HTTP statuses IMDS answers are retried on: 404 (identity not yet assigned), 408,
 * 410 (IMDS updating), 429 and every 5xx, as MSAL's IMDS retry policy does.
 *
 * @category constants
 * @since 0.1.0
 * @see msal-node `ImdsRetryPolicy`; https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token#error-handling
 */
export const isImdsRetryStatus = (status: number): boolean => status === 404 || status === 408 || status === 410 || status === 429 || (status >= 500 && status <= 599)

/**
 * How many times an IMDS request is retried, and the first backoff (doubled each time).
 *
 * @category constants
 * @since 0.1.0
 */
export const IMDS_RETRY = { retries: 3, baseDelayMs: 1000, maxRetryAfterMs: 60_000 } as const
