/**
 * The local identity provider: a real HTTPS server on 127.0.0.1 (random port, TLS
 * certificate from a CA made at start) that answers like Microsoft Entra: instance and
 * tenant discovery, JWKS, and the token endpoint with a per-instance registry of grants.
 *
 * @module
 */
import { createHash, randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as https from 'node:https'
import type { Socket } from 'node:net'
import type { JSONWebKeySet } from 'jose'
import { createCertificateAuthority, issueCertificate, pemToDer, type CertificateAuthority } from '../x509/selfSigned.js'
import { createDeviceCodeEndpoints, DEVICE_CODE_GRANT, type DeviceCodeApi } from './deviceCode.js'
import { discoveryRoutes } from './discovery.js'
import { errorContext, errors } from './errors.js'
import { createFaultQueue, playFault, type RenderedAnswer } from './faults.js'
import { publicHostAliases, servedAs } from './publicHost.js'
import { authorizeRoute, createAuthorizeState } from './authorize.js'
import { authorizationCodeGrant } from './grants/authorizationCode.js'
import { clientCredentialsGrant } from './grants/clientCredentials.js'
import { passwordGrant } from './grants/password.js'
import { refreshTokenGrant } from './grants/refreshToken.js'
import { JWT_BEARER_GRANT, onBehalfOfGrant, userFicGrant } from './grants/assertionGrants.js'
import { userRealmRoute } from './grants/userRealm.js'
import { createWsTrustSts, type WsTrustSts } from './wsTrustSts.js'
import { createUserDirectory, type RegisteredUser, type UserRegistration } from './grants/users.js'
import { recordRequest } from './requestLog.js'
import { createSigningKey } from './signing.js'
import { parseForm, tokenRoute } from './tokenEndpoint.js'
import { createTenantDirectory, type Tenant } from './tenants.js'
import type {
  ClientRegistration,
  EndpointResult,
  Fault,
  FaultScope,
  FaultTarget,
  GrantHandler,
  IdentityProviderOptions,
  IdpContext,
  IncomingRequest,
  RecordedRequest,
  RegisteredClient,
  Route,
} from './types.js'

/**
 * The tenant GUID used when none is given.
 *
 * @category idp
 * @since 0.1.0
 */
export const DEFAULT_TENANT_ID = 'a5f3c1d2-7b8e-4c6a-9d0f-1e2b3c4d5e6f'

/**
 * The tenant domain used when none is given.
 *
 * @category idp
 * @since 0.1.0
 */
export const DEFAULT_TENANT_DOMAIN = 'authfold.test'

/**
 * A running identity provider.
 *
 * @category idp
 * @since 0.1.0
 */
export interface IdentityProvider {
  /** `https://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string
  /** `127.0.0.1:PORT`. */
  readonly host: string
  readonly port: number
  /**
   * The hosts answered as the `publicHost` option (it and its Entra cloud's aliases,
   * lower-case); empty without it. Route requests for these to {@link IdentityProvider.url}
   * keeping their `Host` header.
   */
  readonly publicHosts: ReadonlyArray<string>
  /** PEM of the CA that signed the server's TLS certificate: trust it in clients. */
  readonly ca: string
  /** The CA itself (to sign more certificates, or to reuse for another server). */
  readonly certificateAuthority: CertificateAuthority
  readonly tenantId: string
  readonly tenantDomain: string
  /** `https://127.0.0.1:PORT/<tenant>/`, tenant defaulting to {@link IdentityProvider.tenantId}. */
  readonly authority: (tenant?: string) => string
  /** `https://127.0.0.1:PORT/<tenant>/oauth2/v2.0/token` (the `aud` of client assertions). */
  readonly tokenEndpoint: (tenant?: string) => string
  /** The `iss` of tokens for a tenant GUID: `https://127.0.0.1:PORT/<tenantId>/v2.0`. */
  readonly issuer: (tenantId?: string) => string
  /** Registers (or replaces) an app registration. */
  readonly registerClient: (registration: ClientRegistration) => RegisteredClient
  readonly removeClient: (clientId: string) => void
  /** Every request received so far, oldest first, secrets redacted (a copy). */
  readonly requests: ReadonlyArray<RecordedRequest>
  readonly clearRequests: () => void
  /**
   * Plays `fault` for the next `times` (default 1) requests at `on`: the token endpoint
   * (the default), the discovery documents, or any endpoint; a {@link FaultScope} can also
   * ask for a request header's value.
   */
  readonly inject: (fault: Fault, times?: number, on?: FaultTarget | FaultScope) => void
  readonly clearFaults: () => void
  /** The public JWKS (`/{tenant}/discovery/v2.0/keys`). */
  readonly signingKeys: JSONWebKeySet
  /** Registers (or replaces) a managed user, for the `password` and `refresh_token` grants. */
  readonly registerUser: (registration: UserRegistration) => RegisteredUser
  readonly removeUser: (username: string) => void
  /** Revokes every refresh token issued to a user (AADSTS70000 on their next redemption). */
  readonly revokeRefreshTokens: (username: string) => void
  /** Adds or replaces the handler of a `grant_type` on this server. */
  readonly registerGrant: (grantType: string, handler: GrantHandler) => void
  /** Adds a route, tried before the built-in ones. */
  readonly addRoute: (route: Route) => void
  /** The device code flow's codes: approve or decline one as the user would on the device page. */
  readonly deviceCodes: DeviceCodeApi
  /** Adds a second (third, ...) tenant: its discovery and token endpoints answer, users can live there. */
  readonly addTenant: (tenant: Tenant) => Tenant
  /** Invites a user into another tenant as a guest: tokens there carry that tenant's `tid`/`iss`, `client_info` stays the home one. */
  readonly inviteGuest: (username: string, tenantId: string) => RegisteredUser | undefined
  /** Federated domains with an AD FS-like STS (MEX, WS-Trust 1.3 and 2005, SAML bearer grants); see `wsTrustSts.ts`. */
  readonly wsTrust: Pick<WsTrustSts, 'addFederatedDomain' | 'rsts'>
  /** Closes the server and every open socket; idempotent. */
  readonly stop: () => Promise<void>
}

const objectIdFor = (tenantId: string, clientId: string): string => {
  const h = createHash('sha256').update(`${tenantId}:${clientId}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

const toRegisteredClient = (tenantId: string, r: ClientRegistration): RegisteredClient => {
  const certificate = (() => {
    if (r.certificate === undefined) return undefined
    const der = pemToDer(r.certificate.certificatePem)
    if (der === undefined) throw new TypeError(`registerClient(${r.clientId}): certificate.certificatePem is not a PEM certificate.`)
    return {
      certificatePem: r.certificate.certificatePem,
      sha1Thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
      sha256Thumbprint: createHash('sha256').update(der).digest('hex').toUpperCase(),
    }
  })()
  return {
    clientId: r.clientId,
    ...(r.secret === undefined ? {} : { secret: r.secret }),
    ...(certificate === undefined ? {} : { certificate }),
    ...(r.publicKeyPem === undefined ? {} : { publicKeyPem: r.publicKeyPem }),
    ...(r.subjectNameIssuer === undefined ? {} : { subjectNameIssuer: r.subjectNameIssuer }),
    accessTokenLifetimeSeconds: r.accessTokenLifetimeSeconds ?? 3599,
    roles: r.roles ?? [],
    objectId: r.objectId ?? objectIdFor(tenantId, r.clientId),
    ...(r.foci === true ? { familyId: '1' } : {}),
    ...(r.refreshTokenLifetimeSeconds === undefined ? {} : { refreshTokenLifetimeSeconds: r.refreshTokenLifetimeSeconds }),
  }
}

const firstValues = (params: URLSearchParams): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of params) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = v
  return out
}

const flatHeaders = (req: IncomingMessage): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v
  return out
}

const renderResult = (result: EndpointResult, correlationId: string, requestId: string): RenderedAnswer => {
  const body = result.json !== undefined ? JSON.stringify(result.json) : result.text ?? ''
  const headers: Record<string, string> = {
    'content-type': result.json !== undefined ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    'client-request-id': correlationId,
    'x-ms-request-id': requestId,
    ...result.headers,
    'content-length': String(Buffer.byteLength(body)),
  }
  return { status: result.status, headers, body }
}

const writeResult = (res: ServerResponse, result: EndpointResult, correlationId: string, requestId: string): void => {
  const rendered = renderResult(result, correlationId, requestId)
  res.writeHead(rendered.status, rendered.headers)
  res.end(rendered.body)
}

/**
 * Starts a local identity provider on `https://127.0.0.1:<random port>`.
 *
 * @example
 * ```ts
 * import { nodeHttpClient } from '@authfold/node'
 * import { startIdentityProvider } from '@authfold/testing'
 *
 * const idp = await startIdentityProvider()
 * idp.registerClient({ clientId: 'app', secret: 's3cret' })
 * const http = nodeHttpClient({ ca: idp.ca })
 * // ... authority: idp.authority()
 * await idp.stop()
 * ```
 *
 * @category idp
 * @since 0.1.0
 */
export const startIdentityProvider = async (options: IdentityProviderOptions = {}): Promise<IdentityProvider> => {
  const now = options.now ?? Date.now
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID
  const tenantDomain = options.tenantDomain ?? DEFAULT_TENANT_DOMAIN
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  // TLS is checked against the real clock by clients, so certificates use Date.now().
  const ca = options.certificateAuthority ?? (await createCertificateAuthority({ commonName: 'authfold local IdP CA' }))
  const publicHosts = options.publicHost === undefined ? [] : publicHostAliases(options.publicHost)
  const tls = await issueCertificate(ca, { commonName: '127.0.0.1', altNames: ['127.0.0.1', 'localhost', ...publicHosts] })
  const signing = await createSigningKey({ now: Date.now() })

  // Per-instance state.
  const clients = new Map<string, RegisteredClient>()
  const usedJtis = new Map<string, number>()
  const users = createUserDirectory(tenantId)
  const tenants = createTenantDirectory({ tenantId, tenantDomain })
  const deviceCodes = createDeviceCodeEndpoints(users, now)
  const authorizeState = createAuthorizeState()
  const sts = createWsTrustSts(users)
  const grants = new Map<string, GrantHandler>([
    ...Object.entries(sts.grants),
    ['client_credentials', clientCredentialsGrant],
    ['password', passwordGrant(users)],
    ['refresh_token', refreshTokenGrant(users)],
    [DEVICE_CODE_GRANT, deviceCodes.grant],
    ['authorization_code', authorizationCodeGrant(authorizeState, users)],
    [JWT_BEARER_GRANT, onBehalfOfGrant(users)],
    ['user_fic', userFicGrant(users)],
  ])
  const extraRoutes: Route[] = [sts.route]
  const log: RecordedRequest[] = []
  const faults = createFaultQueue()
  const sockets = new Set<Socket>()
  const timers = new Set<ReturnType<typeof setTimeout>>()

  const server = https.createServer({ key: tls.privateKeyPem, cert: tls.certificatePem })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('tlsClientError', () => undefined)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('The identity provider did not get a TCP port.')
  const port = address.port
  const host = `127.0.0.1:${port}`
  const url = `https://${host}`

  const issuer = (tid: string = tenantId): string => `${url}/${tid}/v2.0`
  const tokenEndpointOf = (tenant: string = tenantId): string => `${url}/${tenant}/oauth2/v2.0/token`

  const idp: IdpContext = {
    host,
    url,
    tenantId,
    tenantDomain,
    now,
    uuid: randomUUID,
    clockSkewSeconds: options.clockSkewSeconds ?? 300,
    rejectReplayedAssertions: options.rejectReplayedAssertions ?? true,
    findClient: (clientId) => clients.get(clientId),
    consumeJti: (clientId, jti, expiresAt) => {
      const t = now()
      for (const [k, exp] of usedJtis) if (exp < t) usedJtis.delete(k)
      const key = `${clientId}\u0000${jti}`
      if (usedJtis.has(key)) return false
      usedJtis.set(key, expiresAt)
      return true
    },
    resolveTenant: tenants.resolve,
    issuer,
    tokenEndpoint: tokenEndpointOf,
    signJwt: signing.sign,
    jwks: signing.jwks,
    grants,
    ...(options.publicHost === undefined ? {} : { publicCloud: { host: options.publicHost.toLowerCase(), aliases: publicHosts } }),
  }

  const realmRoute = userRealmRoute(users)
  const signInRoute = authorizeRoute(authorizeState, users)
  const routes = (): ReadonlyArray<Route> => [...extraRoutes, ...discoveryRoutes, realmRoute, deviceCodes.route, signInRoute, tokenRoute]

  const route = async (request: IncomingRequest, served: IdpContext): Promise<EndpointResult> => {
    for (const r of routes()) {
      const answer = r(request, served)
      if (answer !== undefined) return answer
    }
    return errors.notFound(errorContext(served, request.correlationId), request.path)
  }

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t)
        resolve()
      }, ms)
      timers.add(t)
    })

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string): Promise<void> => {
    const parsed = new URL(req.url ?? '/', url)
    const headers = flatHeaders(req)
    const correlationId = headers['client-request-id'] ?? randomUUID()
    const request: IncomingRequest = {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: firstValues(parsed.searchParams),
      headers,
      body,
      correlationId,
    }
    const entry = recordRequest(request, parseForm(body), now())
    log.push(entry)
    const record = (status: number): void => {
      const index = log.indexOf(entry)
      if (index >= 0) log[index] = { ...entry, status }
    }
    const answer = (result: EndpointResult): void => {
      record(result.status)
      if (!res.destroyed) writeResult(res, result, correlationId, randomUUID())
    }
    const served = servedAs(idp, request)
    const fault = faults.take(request.path, request.headers)
    if (fault !== undefined)
      return playFault(fault, {
        idp: served,
        correlationId,
        res,
        sleep,
        normal: () => route(request, served),
        answer,
        render: (result) => renderResult(result, correlationId, randomUUID()),
        record,
      })
    answer(await route(request, served))
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) tooLarge = true
      else chunks.push(chunk)
    })
    req.on('end', () => {
      const correlationId = typeof req.headers['client-request-id'] === 'string' ? req.headers['client-request-id'] : randomUUID()
      if (tooLarge) {
        writeResult(res, errors.bodyTooLarge(errorContext(idp, correlationId)), correlationId, randomUUID())
        return
      }
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch(() => {
        if (!res.headersSent && !res.destroyed)
          writeResult(res, errors.serverError(errorContext(idp, correlationId), 500), correlationId, randomUUID())
      })
    })
    req.on('error', () => undefined)
  })

  let stopped: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      server.close(() => resolve())
      for (const s of sockets) s.destroy()
      server.closeAllConnections()
    })
    return stopped
  }

  return {
    url,
    host,
    port,
    publicHosts,
    ca: ca.certificatePem,
    certificateAuthority: ca,
    tenantId,
    tenantDomain,
    authority: (tenant = tenantId) => `${url}/${tenant}/`,
    tokenEndpoint: tokenEndpointOf,
    issuer,
    registerClient: (registration) => {
      const client = toRegisteredClient(tenantId, registration)
      clients.set(client.clientId, client)
      return client
    },
    removeClient: (clientId) => {
      clients.delete(clientId)
    },
    registerUser: users.register,
    removeUser: users.remove,
    revokeRefreshTokens: (username) => {
      const user = users.find(username)
      if (user !== undefined) users.revokeRefreshTokens(user.objectId)
    },
    get requests(): ReadonlyArray<RecordedRequest> {
      return [...log]
    },
    clearRequests: () => {
      log.length = 0
    },
    inject: (fault, times = 1, on = 'token') => faults.push(fault, times, on),
    clearFaults: faults.clear,
    signingKeys: signing.jwks,
    registerGrant: (grantType, handler) => {
      grants.set(grantType, handler)
    },
    addRoute: (r) => {
      extraRoutes.push(r)
    },
    deviceCodes: deviceCodes.api,
    addTenant: tenants.add,
    inviteGuest: users.inviteGuest,
    wsTrust: { addFederatedDomain: sts.addFederatedDomain, rsts: sts.rsts },
    stop,
  }
}
