/**
 * App Service, Azure Functions and Azure Automation.
 *
 * @module
 */
import type { HttpRequest } from '@authfold/core'
import { identityParam, type ManagedIdentity } from './identity.js'
import { readManagedIdentityAnswer } from './answer.js'
import { getWithQuery } from './query.js'

/**
 * App Service's query parameter names of user-assigned ids (`mi_res_id`, not `msi_res_id`).
 *
 * @category constants
 * @since 0.1.0
 */
export const APP_SERVICE_ID_PARAMS = { ClientId: 'client_id', ResourceId: 'mi_res_id', ObjectId: 'object_id' } as const

/**
 * `GET $IDENTITY_ENDPOINT?api-version=2019-08-01&resource=...` with `X-IDENTITY-HEADER:
 * $IDENTITY_HEADER` and `Metadata: true`.
 *
 * @category requests
 * @since 0.1.0
 * @see MSAL Python `_obtain_token_on_app_service`
 */
export const appServiceRequest = (endpoint: string, identityHeader: string, mi: ManagedIdentity, resource: string): HttpRequest =>
  getWithQuery(endpoint, { 'api-version': '2019-08-01', resource, ...identityParam(mi, APP_SERVICE_ID_PARAMS) }, { 'X-IDENTITY-HEADER': identityHeader, Metadata: 'true' })

/**
 * Reads App Service's answer (`expires_on` as epoch seconds in a string). Its errors
 * (`{"statusCode": ..., "message": ...}`) become `invalid_scope`, as MSAL Python maps them.
 *
 * @category decoders
 * @since 0.1.0
 */
export const readAppServiceAnswer = (url: string) =>
  readManagedIdentityAnswer({
    subject: 'App Service managed identity answer',
    url,
    lifetime: 'expires_on',
    errorOf: (body) =>
      'statusCode' in body || 'message' in body
        ? { error: 'invalid_scope', error_description: `${String(body['statusCode'])}, ${String(body['message'])}` }
        : undefined,
  })
