/**
 * The first leg of the authorization code flow (OpenID Connect Core §3.1.2.1): the auth
 * URI to send the user to, and the flow object to keep until the redirect comes back.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import type { ReaderTaskEither } from 'fp-ts/ReaderTaskEither'
import { pipe } from 'fp-ts/function'
import {
  configError,
  decorateScopes,
  mergeClaimsChallengeAndCapabilities,
  type AuthError,
  type GrantEnv,
  type ResolvedAuthority,
} from '@authfold/core'
import { createPkce } from './pkce.js'
import { nonceHash } from './nonceHash.js'
import { randomLetters } from './randomLetters.js'
import { pythonUrlencode, withQuery } from './urlencode.js'

/**
 * How the authorize endpoint sends its answer back: `query` (a redirect, the default) or
 * `form_post` (an auto-submitted HTML form, so the code stays out of URLs and logs).
 *
 * @category model
 * @since 0.1.0
 */
export type ResponseMode = 'query' | 'form_post'

/**
 * The flow object: plain JSON (no function, no Date, no undefined), safe to keep in a web
 * session and to give back to `acquireTokenByAuthCodeFlow`. Its fields are MSAL Python's
 * flow dict's, so a flow made by either reads the same.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.initiate_auth_code_flow` (its return value)
 */
export interface AuthCodeFlow {
  /** Where to send the user. */
  readonly auth_uri: string
  /** Compared with the redirect's `state` before anything is sent. */
  readonly state: string
  /** The redirect URI sent (`null` when the registered one is used). */
  readonly redirect_uri: string | null
  /** The decorated scopes sent. */
  readonly scope: ReadonlyArray<string>
  /** The PKCE verifier, sent when the code is redeemed. Keep the flow server side. */
  readonly code_verifier: string
  /** The raw nonce; its SHA-256 hex was sent and must come back in the id_token. */
  readonly nonce: string
  /** The claims challenge given (sent again when the code is redeemed). */
  readonly claims_challenge: string | null
  /** The `max_age` sent, seconds: the id_token's `auth_time` is checked against it. */
  readonly max_age?: number
}

/**
 * Parameters of {@link initiateAuthCodeFlow}; the options are MSAL Python's, camelCased.
 *
 * @category model
 * @since 0.1.0
 */
export interface InitiateAuthCodeFlowParams {
  readonly clientId: string
  readonly authority: ResolvedAuthority
  /** The scopes to ask for; `openid profile offline_access` are added (see `decorateScopes`). */
  readonly scopes: ReadonlyArray<string>
  /** Reserved scopes to leave out (MSAL's `exclude_scopes`). */
  readonly excludeScopes?: ReadonlyArray<string>
  /** Where the answer goes. Default: the one registered with the app. */
  readonly redirectUri?: string
  /** A state of your own. Default: 16 random letters, as MSAL makes it. */
  readonly state?: string
  /** `login`, `consent`, `select_account`, `none`, `create`: not sent unless given. */
  readonly prompt?: string
  /** The user's UPN, pre-filled on the sign-in page (and sent as `X-AnchorMailbox=UPN:<hint>`, as MSAL does). */
  readonly loginHint?: string
  /** `consumers`, `organizations` or a tenant domain. */
  readonly domainHint?: string
  /** A claims challenge from a resource, sent as `claims` (merged with the capabilities). */
  readonly claimsChallenge?: string
  /** Client capabilities such as `cp1`, sent as `xms_cc` in `claims`. */
  readonly clientCapabilities?: ReadonlyArray<string>
  /** Seconds a sign-in may be old; checked against the id_token's `auth_time`. */
  readonly maxAge?: number
  /** `query` (default) or `form_post`. */
  readonly responseMode?: ResponseMode
}

/**
 * Checks the options MSAL's signature types (a non-negative integer `max_age`, a known
 * `response_mode`, strings where strings go).
 *
 * @category steps
 * @since 0.1.0
 */
export const checkFlowOptions = (p: InitiateAuthCodeFlowParams): E.Either<AuthError, InitiateAuthCodeFlowParams> => {
  if (p.maxAge !== undefined && !(Number.isInteger(p.maxAge) && p.maxAge >= 0))
    return E.left(configError('invalid_argument', 'maxAge must be a whole number of seconds, 0 or more.', 'maxAge'))
  if (p.responseMode !== undefined && p.responseMode !== 'query' && p.responseMode !== 'form_post')
    return E.left(configError('invalid_argument', 'responseMode must be "query" or "form_post".', 'responseMode'))
  for (const key of ['redirectUri', 'state', 'prompt', 'loginHint', 'domainHint', 'claimsChallenge'] as const) {
    const v = p[key]
    if (v !== undefined && (typeof v !== 'string' || v === '')) return E.left(configError('invalid_argument', `${key} must be a non-empty string when given.`, key))
  }
  return E.right(p)
}

/**
 * What the auth URI carries besides the scopes and the client, in MSAL Python's order.
 *
 * @category model
 * @since 0.1.0
 */
export interface AuthUriFields {
  readonly clientId: string
  readonly redirectUri?: string | undefined
  /** Sent sorted and space separated, as MSAL normalizes it. */
  readonly scopes: ReadonlyArray<string>
  readonly state?: string | undefined
  readonly extra: ReadonlyArray<readonly [string, string | undefined]>
}

/**
 * Builds an auth URI: `client_id`, `response_type=code`, `redirect_uri`, `scope` (sorted),
 * `state`, then the extra parameters, each in order, undefined ones left out.
 *
 * @category requests
 * @since 0.1.0
 * @see MSAL Python `oauth2cli.oauth2.BaseClient._build_auth_request_params`
 */
export const authUri = (authorizationEndpoint: string, f: AuthUriFields): string =>
  withQuery(
    authorizationEndpoint,
    pythonUrlencode([
      ['client_id', f.clientId],
      ['response_type', 'code'],
      ['redirect_uri', f.redirectUri],
      ['scope', f.scopes.length === 0 ? undefined : [...f.scopes].sort().join(' ')],
      ['state', f.state],
      ...f.extra,
    ]),
  )

/**
 * Starts an authorization code flow as MSAL Python 1.21 does: scopes decorated, a state
 * (16 random letters unless given), PKCE S256, a 16-letter nonce of which the SHA-256 hex
 * is sent, `client_info=1`, the hints, `claims` (challenge merged with capabilities),
 * `max_age`, `response_mode`, and `X-AnchorMailbox=UPN:<login_hint>` in the query.
 * Gives the flow object (see {@link AuthCodeFlow}): keep it, send the user to `auth_uri`.
 *
 * @example
 * ```ts
 * import { initiateAuthCodeFlow } from '@authfold/grants'
 * import { webCryptoRandom, type ResolvedAuthority } from '@authfold/core'
 *
 * declare const clientId: string, authority: ResolvedAuthority, redirectUri: string
 * const flow = await initiateAuthCodeFlow({ clientId, authority, scopes: ['User.Read'], redirectUri })({ random: webCryptoRandom })()
 * // session.flow = flow (a Right); redirect the browser to flow.auth_uri
 * ```
 * @category flows
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.initiate_auth_code_flow`, RFC 7636, OpenID Connect Core §3.1.2.1
 */
export const initiateAuthCodeFlow =
  (p: InitiateAuthCodeFlowParams): ReaderTaskEither<Pick<GrantEnv, 'random'>, AuthError, AuthCodeFlow> =>
  (env) =>
    pipe(
      E.Do,
      E.apSW('params', checkFlowOptions(p)),
      E.apSW('scopes', decorateScopes(p.scopes, p.excludeScopes === undefined ? {} : { excludeScopes: p.excludeScopes })),
      E.apSW('claims', mergeClaimsChallengeAndCapabilities(p.clientCapabilities, p.claimsChallenge)),
      TE.fromEither,
      TE.chain(({ scopes, claims }) =>
        TE.fromTask(async (): Promise<AuthCodeFlow> => {
          const state = p.state ?? randomLetters(env.random)
          const nonce = randomLetters(env.random)
          const pkce = await createPkce(env.random)
          const auth_uri = authUri(p.authority.metadata.authorization_endpoint, {
            clientId: p.clientId,
            redirectUri: p.redirectUri,
            scopes,
            state,
            extra: [
              ['code_challenge', pkce.code_challenge],
              ['code_challenge_method', pkce.code_challenge_method],
              ['nonce', await nonceHash(nonce)],
              ['client_info', '1'],
              ['login_hint', p.loginHint],
              ['prompt', p.prompt],
              ['domain_hint', p.domainHint],
              ['claims', claims],
              ['max_age', p.maxAge === undefined ? undefined : String(p.maxAge)],
              ['response_mode', p.responseMode],
              ['X-AnchorMailbox', p.loginHint === undefined ? undefined : `UPN:${p.loginHint}`],
            ],
          })
          return {
            state,
            redirect_uri: p.redirectUri ?? null,
            scope: scopes,
            auth_uri,
            code_verifier: pkce.code_verifier,
            nonce,
            claims_challenge: p.claimsChallenge ?? null,
            ...(p.maxAge === undefined ? {} : { max_age: p.maxAge }),
          }
        }),
      ),
    )
