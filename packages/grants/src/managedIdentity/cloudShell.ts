/**
 * Azure Cloud Shell.
 *
 * @module
 */
import { formPost, type HttpRequest } from '@authfold/core'
import { oauthErrorOf, readManagedIdentityAnswer } from './answer.js'

/**
 * `POST $MSI_ENDPOINT` with the form `resource=...` and `Metadata: true` (system-assigned
 * only).
 *
 * @category requests
 * @since 0.1.0
 * @see azure-identity `CloudShellCredential`
 */
export const cloudShellRequest = (endpoint: string, resource: string): HttpRequest => formPost(endpoint, { resource }, { Metadata: 'true' })

/**
 * Reads Cloud Shell's answer (`expires_on` as epoch seconds in a string).
 *
 * @category decoders
 * @since 0.1.0
 */
export const readCloudShellAnswer = (url: string) =>
  readManagedIdentityAnswer({ subject: 'Cloud Shell managed identity answer', url, lifetime: 'expires_on', errorOf: oauthErrorOf })
