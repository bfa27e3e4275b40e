/**
 * @module
 */
import * as TE from 'fp-ts/TaskEither'
import type { AuthError } from '@authfold/core'
import { getAuthorizationRequestUrl as buildUrl, type AuthorizationRequestUrlParams } from '@authfold/grants'
import { callWithAuthority, clientParams, type ClientContext } from '../context.js'
import type { CallOptions } from '../callLimits.js'

/**
 * Options of `getAuthorizationRequestUrl`: MSAL Python's keyword arguments, camelCased.
 *
 * @category model
 * @since 0.1.0
 */
export interface GetAuthorizationRequestUrlOptions
  extends CallOptions,
    Omit<AuthorizationRequestUrlParams, 'clientId' | 'authority' | 'scopes' | 'excludeScopes' | 'clientCapabilities'> {}

/**
 * Builds an authorization request URL (no PKCE; the state and nonce are yours to make
 * and check). Prefer `initiateAuthCodeFlow`.
 *
 * @example
 * ```ts
 * import type { ConfidentialClient } from '@authfold/client'
 *
 * declare const app: ConfidentialClient
 * declare const state: string, redirectUri: string
 * const url = await app.getAuthorizationRequestUrl(['User.Read'], { state, redirectUri })
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.get_authorization_request_url`
 */
export const getAuthorizationRequestUrl =
  (ctx: ClientContext) =>
  (scopes: ReadonlyArray<string>, options: GetAuthorizationRequestUrlOptions = {}): TE.TaskEither<AuthError, string> => {
    const { signal: _signal, timeoutMs: _timeoutMs, ...params } = options
    return callWithAuthority(ctx, options, (authority) => TE.fromEither(buildUrl({ ...clientParams(ctx), authority, scopes, ...params })))
  }
