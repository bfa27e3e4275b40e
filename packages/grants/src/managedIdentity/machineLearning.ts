/**
 * Azure Machine Learning compute.
 *
 * @module
 */
import type { HttpRequest } from '@authfold/core'
import { identityParam, type ManagedIdentity } from './identity.js'
import { readManagedIdentityAnswer } from './answer.js'
import { getWithQuery } from './query.js'

/**
 * Azure ML's query parameter names: its 2017 API wants `clientid` (no underscore).
 *
 * @category constants
 * @since 0.1.0
 */
export const MACHINE_LEARNING_ID_PARAMS = { ClientId: 'clientid', ResourceId: 'msi_res_id', ObjectId: 'object_id' } as const

/**
 * `GET $MSI_ENDPOINT?api-version=2017-09-01&resource=...` with `secret: $MSI_SECRET`.
 *
 * @category requests
 * @since 0.1.0
 * @see MSAL Python `_obtain_token_on_machine_learning`
 */
export const machineLearningRequest = (endpoint: string, secret: string, mi: ManagedIdentity, resource: string): HttpRequest =>
  getWithQuery(endpoint, { 'api-version': '2017-09-01', resource, ...identityParam(mi, MACHINE_LEARNING_ID_PARAMS) }, { secret })

/**
 * Reads Azure ML's answer (`expires_on` as a number or a date); other bodies are
 * `invalid_scope`, as MSAL Python maps them.
 *
 * @category decoders
 * @since 0.1.0
 */
export const readMachineLearningAnswer = (url: string) =>
  readManagedIdentityAnswer({
    subject: 'Azure Machine Learning managed identity answer',
    url,
    lifetime: 'expires_on',
    errorOf: (body) => {
      const message = body['message'] ?? body['error_description'] ?? body['error']
      return { error: 'invalid_scope', error_description: typeof message === 'string' ? message : 'no token in the answer' }
    },
  })
