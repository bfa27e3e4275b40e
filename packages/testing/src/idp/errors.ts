/**
 * Entra-shaped OAuth error answers: `error`, `error_description` starting with the
 * `AADSTSnnnn:` code and ending with trace, correlation and timestamp lines,
 * `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`.
 *
 * The texts follow what Entra answers (see https://login.microsoftonline.com/error).
 * Descriptions never carry a secret, an assertion or a token.
 *
 * @module
 */
import type { EndpointResult, IdpContext } from './types.js'

/**
 * What an error needs besides its code and text.
 *
 * @category idp
 * @since 0.1.0
 */
export interface ErrorContext {
  readonly now: number
  readonly correlationId: string
  readonly traceId: string
  /** `https://host` used for `error_uri`. */
  readonly url: string
}

/**
 * The OAuth `error` values the IdP answers with.
 *
 * @category idp
 * @since 0.1.0
 */
export type EntraErrorName =
  | 'invalid_request'
  | 'invalid_client'
  | 'unauthorized_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'invalid_tenant'
  | 'invalid_instance'
  | 'temporarily_unavailable'
  | 'server_error'
  | 'not_found'
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'authorization_declined'
  | 'bad_verification_code'

/**
 * Entra's timestamp format: `2024-01-02 03:04:05Z`.
 *
 * @category idp
 * @since 0.1.0
 */
export const entraTimestamp = (epochMs: number): string => new Date(epochMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')

/**
 * Builds one Entra error answer.
 *
 * @example
 * ```ts
 * import { entraError, type ErrorContext } from '@authfold/testing'
 *
 * declare const ctx: ErrorContext
 * const answer = entraError(ctx, 401, 'invalid_client', 7000215, 'Invalid client secret provided. ...')
 * ```
 *
 * @category idp
 * @since 0.1.0
 */
export const entraError = (
  ctx: ErrorContext,
  status: number,
  error: EntraErrorName,
  code: number,
  text: string,
  headers: Readonly<Record<string, string>> = {},
): EndpointResult => {
  const timestamp = entraTimestamp(ctx.now)
  return {
    status,
    headers,
    json: {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${ctx.traceId} Correlation ID: ${ctx.correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: ctx.traceId,
      correlation_id: ctx.correlationId,
      error_uri: `${ctx.url}/error?code=${code}`,
    },
  }
}

/**
 * An {@link ErrorContext} for a request (fresh trace id, the request's correlation id).
 *
 * @category idp
 * @since 0.1.0
 */
export const errorContext = (idp: IdpContext, correlationId: string): ErrorContext => ({
  now: idp.now(),
  correlationId,
  traceId: idp.uuid(),
  url: idp.url,
})

const ISO = (epochMs: number): string => new Date(epochMs).toISOString().replace('Z', '0000Z')

/**
 * The catalogue of answers the IdP gives, one function per situation, each with Entra's
 * code and wording.
 *
 * @category idp
 * @since 0.1.0
 */
export const errors = {
  /** AADSTS90002: unknown tenant (discovery and token endpoint). */
  tenantNotFound: (ctx: ErrorContext, tenant: string): EndpointResult =>
    entraError(
      ctx,
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  /** AADSTS50049: instance discovery for a host this server is not. */
  unknownInstance: (ctx: ErrorContext): EndpointResult => entraError(ctx, 400, 'invalid_instance', 50049, 'Unknown or invalid instance.'),
  /** AADSTS900144: a required body parameter is missing. */
  missingParameter: (ctx: ErrorContext, name: string): EndpointResult =>
    entraError(ctx, 400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  /** AADSTS900561: the token endpoint takes POST only. */
  postOnly: (ctx: ErrorContext, method: string): EndpointResult =>
    entraError(ctx, 400, 'invalid_request', 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`),
  /** AADSTS70003: the grant type is not supported. */
  unsupportedGrant: (ctx: ErrorContext, grantType: string): EndpointResult =>
    entraError(ctx, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`),
  /** AADSTS700016: no such application in the tenant. */
  unknownClient: (ctx: ErrorContext, clientId: string, tenantId: string): EndpointResult =>
    entraError(
      ctx,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  /** AADSTS7000216: a confidential grant without any credential. */
  missingCredential: (ctx: ErrorContext, grantType: string): EndpointResult =>
    entraError(ctx, 401, 'invalid_client', 7000216, `'client_assertion', 'client_secret' or 'request' is required for the '${grantType}' grant type.`),
  /** AADSTS7000215: wrong client secret. */
  invalidSecret: (ctx: ErrorContext, clientId: string): EndpointResult =>
    entraError(
      ctx,
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  /** AADSTS50027: the assertion is not a well-formed JWT or lacks a required part. */
  malformedAssertion: (ctx: ErrorContext, reason: string): EndpointResult =>
    entraError(ctx, 401, 'invalid_client', 50027, `JWT token is invalid or malformed. [Reason - ${reason}]`),
  /** AADSTS700027: `x5t` names no certificate of the app. */
  unknownCertificate: (ctx: ErrorContext, clientId: string, thumbprint: string): EndpointResult =>
    entraError(
      ctx,
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
    ),
  /** AADSTS700027: the signature does not verify with the registered key. */
  invalidSignature: (ctx: ErrorContext, thumbprint: string): EndpointResult =>
    entraError(
      ctx,
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}']`,
    ),
  /** AADSTS700024: `exp` passed or `nbf` not reached. */
  assertionTimeRange: (ctx: ErrorContext, notBefore: number, expiry: number): EndpointResult =>
    entraError(
      ctx,
      401,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${ISO(ctx.now)}, assertion valid from ${ISO(notBefore)}, expiry time of assertion ${ISO(expiry)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    ),
  /** AADSTS700021: `iss`/`sub` are not the client id. */
  assertionIssuer: (ctx: ErrorContext): EndpointResult =>
    entraError(
      ctx,
      401,
      'invalid_client',
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    ),
  /** AADSTS50027 (audience): `aud` is not this token endpoint. */
  assertionAudience: (ctx: ErrorContext, audience: string, expected: string): EndpointResult =>
    entraError(
      ctx,
      401,
      'invalid_client',
      50027,
      `JWT token is invalid or malformed. [Reason - The audience '${audience}' is not valid; expected '${expected}'.]`,
    ),
  /** AADSTS50013: a `jti` seen before (authfold's IdP only; see `rejectReplayedAssertions`). */
  assertionReplayed: (ctx: ErrorContext): EndpointResult =>
    entraError(ctx, 401, 'invalid_client', 50013, 'Assertion is invalid: its jti has already been used. Create a new client assertion for each request.'),
  /** AADSTS1002012: a client-credentials scope without `/.default`. */
  scopeNotDefault: (ctx: ErrorContext, scope: string): EndpointResult =>
    entraError(
      ctx,
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  /** AADSTS70011: several scopes (or none) where one resource's `/.default` is expected. */
  invalidScope: (ctx: ErrorContext, scope: string): EndpointResult =>
    entraError(ctx, 400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`),
  /** AADSTS90033-ish: the service is failing (fault injection). */
  serverError: (ctx: ErrorContext, status: number, headers: Readonly<Record<string, string>> = {}): EndpointResult =>
    status === 429
      ? entraError(ctx, 429, 'temporarily_unavailable', 90055, 'The request is throttled temporarily. Please try after some time.', headers)
      : entraError(ctx, status, status >= 500 ? 'server_error' : 'invalid_request', 90033, 'A transient error has occurred. Please try again.', headers),
  /** A path the server does not serve. */
  notFound: (ctx: ErrorContext, path: string): EndpointResult =>
    entraError(ctx, 404, 'not_found', 90010, `The request is not supported: no endpoint at '${path}'.`),
  /** The body exceeds the size limit. */
  bodyTooLarge: (ctx: ErrorContext): EndpointResult => entraError(ctx, 413, 'invalid_request', 90014, 'The request body is too large.'),
} as const
