/**
 * The shapes shared by the local identity provider's modules: options, registered
 * clients, faults, the request log, and the extension points (grant handlers, routes).
 *
 * @module
 */
import type { SubjectNameIssuer } from './subjectNameIssuer.js'
import type { JSONWebKeySet } from 'jose'
import type { CertificateAuthority } from '../x509/selfSigned.js'

/**
 * Options of `startIdentityProvider`.
 *
 * @category idp
 * @since 0.1.0
 */
export interface IdentityProviderOptions {
  /** The server clock (epoch ms) used for issuing and for checking assertions. Default `Date.now`. */
  readonly now?: () => number
  /** The tenant GUID. Default: the fixed `DEFAULT_TENANT_ID`. */
  readonly tenantId?: string
  /** A verified domain name of the tenant, usable as the tenant segment. Default `authfold.test`. */
  readonly tenantDomain?: string
  /** Reuse a CA (e.g. one trusted once for several servers). Default: a fresh CA per server. */
  readonly certificateAuthority?: CertificateAuthority
  /**
   * Reject a client assertion whose `jti` was already used (until it expires). Default true.
   * Entra itself accepts a reused assertion, and MSAL Python and msal-node reuse theirs for
   * up to ten minutes: set false when driving those libraries through several requests.
   */
  readonly rejectReplayedAssertions?: boolean
  /** Clock skew tolerated on assertion `exp`/`nbf`, seconds. Default 300 (Entra's five minutes). */
  readonly clockSkewSeconds?: number
  /** Largest request body accepted, bytes. Default 1 MiB. */
  readonly maxBodyBytes?: number
  /**
   * A public host the IdP stands in for, e.g. `login.microsoftonline.com`. Requests whose
   * `Host` header names it or an alias of its Entra cloud are answered as Entra answers
   * there (endpoints under that host, the cloud's issuer, Entra's instance discovery), and
   * the TLS certificate names those hosts too. Clients reach it through a transport that
   * sends such requests to 127.0.0.1 with the public `Host`. Default: none.
   */
  readonly publicHost?: string
}

/**
 * What `registerClient` takes: an app registration.
 *
 * @category idp
 * @since 0.1.0
 */
export interface ClientRegistration {
  readonly clientId: string
  /** A client secret. */
  readonly secret?: string
  /** A certificate credential: assertions must name it by `x5t` or `x5t#S256`. */
  readonly certificate?: { readonly certificatePem: string }
  /** A bare public key (SPKI PEM): assertions are checked by signature only. */
  readonly publicKeyPem?: string
  /** Subject name / issuer authentication: assertions carry an `x5c` chain to this issuer for this subject. */
  readonly subjectNameIssuer?: SubjectNameIssuer
  /** Lifetime of issued access tokens. Default 3599 (what Entra usually answers). */
  readonly accessTokenLifetimeSeconds?: number
  /** Application roles put in the `roles` claim of app-only tokens. */
  readonly roles?: ReadonlyArray<string>
  /** The service principal object id (`oid`, `sub`). Default: derived per registration. */
  readonly objectId?: string
  /** A FOCI (family of client ids) member: user answers carry `foci: "1"` and family refresh tokens. */
  readonly foci?: boolean
  /** Inactivity window of the refresh tokens issued to this app, seconds. Default 90 days. */
  readonly refreshTokenLifetimeSeconds?: number
}

/**
 * A registered client as the server holds it.
 *
 * @category idp
 * @since 0.1.0
 */
export interface RegisteredClient {
  readonly clientId: string
  readonly secret?: string
  readonly certificate?: {
    readonly certificatePem: string
    readonly sha1Thumbprint: string
    readonly sha256Thumbprint: string
  }
  readonly publicKeyPem?: string
  readonly subjectNameIssuer?: SubjectNameIssuer
  readonly accessTokenLifetimeSeconds: number
  readonly roles: ReadonlyArray<string>
  readonly objectId: string
  /** `'1'` for FOCI members. */
  readonly familyId?: string
  /** See {@link ClientRegistration.refreshTokenLifetimeSeconds}. */
  readonly refreshTokenLifetimeSeconds?: number
}

/**
 * A fault played instead of (or before, or in the middle of) the normal answer of the next
 * request(s) at the fault's {@link FaultTarget}:
 * - `'html'`: 200 with an HTML page (a captive portal or proxy login page);
 * - `'invalid_json'`: 200, `application/json`, with a fixed truncated JSON body;
 * - `'truncated_json'`: the normal answer cut in half, sent as a complete answer
 *   (`Content-Length` of the half);
 * - `'malformed_json'`: the normal answer with its first `:` turned into `=` (JSON no parser takes);
 * - `'missing_access_token'`: 200 JSON with `token_type`/`expires_in` but no `access_token`
 *   (for a discovery request: a document of the wrong shape);
 * - `{ status }`: that status with an Entra-style JSON error (`body` replaces it; `''` for none);
 * - `{ status: 429, retryAfter }`: plus a `Retry-After` header (seconds);
 * - `{ delayMs }`: slow headers: wait, then answer normally (drive client timeouts);
 * - `{ dripMs, bytes }`: slow drip: the normal status and headers at once, then the body
 *   `bytes` (default 1) at a time, one write every `dripMs`;
 * - `'reset'`: destroy the socket without answering;
 * - `'truncated_body'`: the normal headers (full `Content-Length`), half the body, then the
 *   socket destroyed;
 * - `{ jwt }`: the normal answer with every JWT in it (`access_token`, `id_token`) replaced:
 *   `'opaque'` by a string that is not a JWT, `'malformed'` by three segments that are not
 *   base64url JSON, `'bad_signature'` by the same token with another signature;
 * - `{ oversized: 'declared' }`: a `Content-Length` of 10 GiB, a few bytes, then nothing;
 * - `{ oversized: 'chunked', bytes }`: a chunked 200 JSON token answer of `bytes` bytes
 *   (default 5 MiB, past the 4 MiB clients read);
 * - `'endless'`: a chunked 200 answer that never ends (until the client closes, at most
 *   1 GiB).
 *
 * @category idp
 * @since 0.1.0
 */
export type Fault =
  | 'html'
  | 'invalid_json'
  | 'truncated_json'
  | 'malformed_json'
  | 'missing_access_token'
  | 'reset'
  | 'truncated_body'
  | 'endless'
  | { readonly status: number; readonly retryAfter?: number; readonly body?: string }
  | { readonly delayMs: number }
  | { readonly dripMs: number; readonly bytes?: number }
  | { readonly jwt: 'opaque' | 'malformed' | 'bad_signature' }
  | { readonly oversized: 'declared' }
  | { readonly oversized: 'chunked'; readonly bytes?: number }

/**
 * Which requests a fault is played on: `'token'` the token endpoint (the default),
 * `'discovery'` instance discovery, OpenID configuration and JWKS, `'devicecode'` the device
 * authorization endpoint (`/{tenant}/oauth2/v2.0/devicecode`), `'userrealm'` user realm
 * discovery (`/common/userrealm/<username>`), `'managedidentity'` the managed identity
 * endpoints (`/managedidentity/...`, see `managedIdentity.ts`), `'any'` every request.
 *
 * @category idp
 * @since 0.1.0
 */
export type FaultTarget = 'token' | 'discovery' | 'devicecode' | 'userrealm' | 'managedidentity' | 'any'

/**
 * Which requests a fault is played on, finely: an endpoint kind (default `'token'`), and
 * only requests carrying a header with a value (e.g. `['x-app-name', 'case-7']`, so that
 * concurrent tests each fault their own client).
 *
 * @category idp
 * @since 0.1.0
 */
export interface FaultScope {
  readonly endpoint?: FaultTarget
  /** A lower-case header name and the exact value a request must carry. */
  readonly header?: readonly [name: string, value: string]
  /** A lower-case header name a request must carry, with any value (e.g. `'authorization'`: Azure Arc's second round). */
  readonly carrying?: string
  /** A lower-case header name a request must not carry (e.g. `'authorization'`: Azure Arc's challenge round). */
  readonly lacking?: string
}

/**
 * One request the server received. Secrets (client secret, assertions, codes, tokens,
 * passwords, the `Authorization` header) are replaced by `<redacted>`.
 *
 * @category idp
 * @since 0.1.0
 */
export interface RecordedRequest {
  readonly method: string
  /** The path without the query string. */
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** Form fields of a `application/x-www-form-urlencoded` body. */
  readonly form: Readonly<Record<string, string>>
  /** Selected request headers (lower-case names), `authorization` redacted. */
  readonly headers: Readonly<Record<string, string>>
  /** Server time at arrival, epoch ms. */
  readonly at: number
  /** The status answered; absent until answered, or when the socket was reset. */
  readonly status?: number
}

/**
 * An answer an endpoint computes. The server writes it.
 *
 * @category idp
 * @since 0.1.0
 */
export interface EndpointResult {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  /** A JSON body (serialised with `content-type: application/json; charset=utf-8`). */
  readonly json?: unknown
  /** A raw body (when `json` is absent). */
  readonly text?: string
}

/**
 * The tenant a request path names, resolved.
 *
 * @category idp
 * @since 0.1.0
 */
export interface TenantMatch {
  /** The path segment as sent (`common`, the GUID, the domain). */
  readonly segment: string
  /** The tenant GUID (`common`/`organizations` map to the IdP's tenant for issuing). */
  readonly tenantId: string
  /** True for `common`, `organizations`, `consumers`. */
  readonly multiTenant: boolean
}

/**
 * One parsed incoming request, handed to routes.
 *
 * @category idp
 * @since 0.1.0
 */
export interface IncomingRequest {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** Lower-case header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  /** The raw body text. */
  readonly body: string
  /** `client-request-id` when sent, else a fresh id: echoed as `correlation_id`. */
  readonly correlationId: string
}

/**
 * How a grant wants the client authenticated before its handler runs.
 *
 * @category idp
 * @since 0.1.0
 */
export type ClientAuthenticationRule = 'required' | 'optional'

/**
 * Which credential authenticated the client (`appidacr`: 0 none, 1 secret, 2 certificate).
 *
 * @category idp
 * @since 0.1.0
 */
export type ClientCredentialKind = 'none' | 'secret' | 'certificate'

/**
 * A client as the token endpoint identified it.
 *
 * @category idp
 * @since 0.1.0
 */
export interface AuthenticatedClient {
  readonly client: RegisteredClient
  readonly credential: ClientCredentialKind
}

/**
 * What a grant handler receives.
 *
 * @category idp
 * @since 0.1.0
 */
export interface GrantRequest {
  readonly request: IncomingRequest
  readonly tenant: TenantMatch
  /** The form fields (first value of each name). */
  readonly form: Readonly<Record<string, string>>
  /** Present when the client authenticated (always, for `required` grants). */
  readonly client: AuthenticatedClient | undefined
  /** This tenant path's token endpoint URL. */
  readonly tokenEndpoint: string
}

/**
 * A token endpoint grant: one per `grant_type`, registered in an IdP instance.
 *
 * @category idp
 * @since 0.1.0
 */
export interface GrantHandler {
  readonly clientAuthentication: ClientAuthenticationRule
  readonly handle: (grant: GrantRequest, idp: IdpContext) => Promise<EndpointResult>
}

/**
 * A route: decides synchronously whether it serves the request (undefined: try the next
 * route), then answers, possibly asynchronously.
 *
 * @category idp
 * @since 0.1.0
 */
export type Route = (request: IncomingRequest, idp: IdpContext) => EndpointResult | Promise<EndpointResult> | undefined

/**
 * The server's internals as routes and grants see them. Every value belongs to one
 * server instance.
 *
 * @category idp
 * @since 0.1.0
 */
export interface IdpContext {
  /** `127.0.0.1:PORT`. */
  readonly host: string
  /** `https://127.0.0.1:PORT`. */
  readonly url: string
  readonly tenantId: string
  readonly tenantDomain: string
  readonly now: () => number
  /** A fresh random UUID. */
  readonly uuid: () => string
  readonly clockSkewSeconds: number
  readonly rejectReplayedAssertions: boolean
  readonly findClient: (clientId: string) => RegisteredClient | undefined
  /** Records a `jti`; false when it was already recorded and has not expired. */
  readonly consumeJti: (clientId: string, jti: string, expiresAt: number) => boolean
  readonly resolveTenant: (segment: string) => TenantMatch | undefined
  readonly issuer: (tenantId: string) => string
  readonly tokenEndpoint: (segment: string) => string
  /** Signs an RS256 JWT with the server's key (`kid`, `x5t` in the header). */
  readonly signJwt: (payload: Readonly<Record<string, unknown>>) => Promise<string>
  readonly jwks: JSONWebKeySet
  readonly grants: ReadonlyMap<string, GrantHandler>
  /** The public host given in the options, and the aliases answered as it (lower-case). */
  readonly publicCloud?: { readonly host: string; readonly aliases: ReadonlyArray<string> }
}
