/**
 * Service Fabric.
 *
 * @module
 */
import type { HttpRequest } from '@authfold/core'
import { readManagedIdentityAnswer } from './answer.js'
import { getWithQuery } from './query.js'

/**
 * `GET $IDENTITY_ENDPOINT?api-version=2019-07-01-preview&resource=...` (plus
 * `token_sha256_to_refresh` and `xms_cc` when given) with `Secret: $IDENTITY_HEADER`.
 *
 * @category requests
 * @since 0.1.0
 * @see MSAL Python `_obtain_token_on_service_fabric`
 */
export const serviceFabricRequest = (
  endpoint: string,
  identityHeader: string,
  resource: string,
  extras: { readonly tokenSha256ToRefresh?: string | undefined; readonly clientCapabilities?: ReadonlyArray<string> | undefined } = {},
): HttpRequest =>
  getWithQuery(
    endpoint,
    {
      'api-version': '2019-07-01-preview',
      resource,
      token_sha256_to_refresh: extras.tokenSha256ToRefresh,
      xms_cc: extras.clientCapabilities === undefined || extras.clientCapabilities.length === 0 ? undefined : extras.clientCapabilities.join(','),
    },
    { Secret: identityHeader },
  )

const ERROR_MAPPING: Readonly<Record<string, string>> = {
  SecretHeaderNotFound: 'unauthorized_client',
  ManagedIdentityNotFound: 'invalid_client',
  ArgumentNullOrEmpty: 'invalid_scope',
}

/**
 * Reads Service Fabric's answer (`expires_on` as epoch seconds, a number or a string). Its
 * errors (`{"error": {"code": ..., "message": ...}}`) are mapped to OAuth errors as MSAL
 * Python maps them.
 *
 * @category decoders
 * @since 0.1.0
 */
export const readServiceFabricAnswer = (url: string) =>
  readManagedIdentityAnswer({
    subject: 'Service Fabric managed identity answer',
    url,
    lifetime: 'expires_on',
    errorOf: (body) => {
      const error = body['error']
      const inner = typeof error === 'object' && error !== null ? (error as Readonly<Record<string, unknown>>) : {}
      const code = inner['code']
      const message = inner['message']
      return {
        error: (typeof code === 'string' ? ERROR_MAPPING[code] : undefined) ?? 'invalid_request',
        error_description: `${typeof code === 'string' ? code : 'error'}: ${typeof message === 'string' ? message : ''}`,
      }
    },
  })
