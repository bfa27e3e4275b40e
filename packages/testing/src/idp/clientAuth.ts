/**
 * Client authentication at the token endpoint, as Entra does it:
 * - `client_secret` in the body, or HTTP Basic (RFC 6749 §2.3.1, form-encoded id and secret);
 * - `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer` with a
 *   `client_assertion` JWT (RFC 7523) signed RS256 or PS256 by a registered certificate,
 *   named by `x5t` (SHA-1) or `x5t#S256`, with `aud` = the token endpoint, `iss` = `sub` =
 *   client id, `exp` not past and `nbf` reached (with clock skew), and a fresh `jti`.
 *
 * Each failure is the answer Entra gives (see {@link errors}).
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { compactVerify, decodeProtectedHeader, errors as joseErrors, importSPKI, importX509, type CryptoKey as JoseKey } from 'jose'
import { errorContext, errors, type ErrorContext } from './errors.js'
import { keyFromX5c } from './subjectNameIssuer.js'
import type {
  AuthenticatedClient,
  ClientAuthenticationRule,
  EndpointResult,
  IdpContext,
  IncomingRequest,
  RegisteredClient,
  TenantMatch,
} from './types.js'

/**
 * The `client_assertion_type` for JWT assertions (RFC 7523 §2.2).
 *
 * @category idp
 * @since 0.1.0
 */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/**
 * The outcome of client authentication: the client (or none, for optional auth without a
 * credential), or the error answer to send.
 *
 * @category idp
 * @since 0.1.0
 */
export type ClientAuthOutcome =
  | { readonly _tag: 'authenticated'; readonly client: AuthenticatedClient | undefined }
  | { readonly _tag: 'rejected'; readonly answer: EndpointResult }

const rejected = (answer: EndpointResult): ClientAuthOutcome => ({ _tag: 'rejected', answer })

/**
 * Parses an HTTP Basic `Authorization` header into a form-decoded client id and secret.
 * Undefined when there is no Basic header; `'malformed'` when it cannot be read.
 *
 * @category idp
 * @since 0.1.0
 */
export const parseBasicAuthorization = (
  header: string | undefined,
): { readonly clientId: string; readonly secret: string } | 'malformed' | undefined => {
  if (header === undefined) return undefined
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
  if (m === null || m[1] === undefined) return /^Basic\b/i.test(header) ? 'malformed' : undefined
  const decoded = Buffer.from(m[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return 'malformed'
  try {
    const formDecode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '))
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) }
  } catch {
    return 'malformed'
  }
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

/**
 * Compares two secrets in constant time (over their SHA-256 digests).
 *
 * @category idp
 * @since 0.1.0
 */
export const secretsEqual = (a: string, b: string): boolean => timingSafeEqual(sha256(a), sha256(b))

const fromBase64url = (s: string): string => Buffer.from(s, 'base64url').toString('hex').toUpperCase()

/**
 * The audiences a client assertion may name for a tenant path: the v2 and v1 token
 * endpoints under the segment used, the tenant GUID and the tenant domain (lower-case).
 *
 * @category idp
 * @since 0.1.0
 */
export const acceptedAssertionAudiences = (idp: IdpContext, tenant: TenantMatch): ReadonlyArray<string> =>
  [tenant.segment, tenant.tenantId, idp.tenantDomain].flatMap((t) => [
    `${idp.url}/${t}/oauth2/v2.0/token`.toLowerCase(),
    `${idp.url}/${t}/oauth2/token`.toLowerCase(),
  ])

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null && !Array.isArray(u)

const ALGORITHMS = ['RS256', 'PS256'] as const

/**
 * Verifies a client assertion for a registered client. Resolves to undefined when it is
 * good (and records its `jti`), else to Entra's error answer.
 *
 * @category idp
 * @since 0.1.0
 */
export const verifyClientAssertion = async (
  idp: IdpContext,
  ctx: ErrorContext,
  client: RegisteredClient,
  assertion: string,
  audiences: ReadonlyArray<string>,
): Promise<EndpointResult | undefined> => {
  let header: Readonly<Record<string, unknown>>
  try {
    header = decodeProtectedHeader(assertion)
  } catch {
    return errors.malformedAssertion(ctx, 'The client assertion is not a JWS compact serialization.')
  }
  const alg = header['alg']
  if (alg !== 'RS256' && alg !== 'PS256') return errors.malformedAssertion(ctx, `The algorithm '${String(alg)}' is not supported; sign with RS256 or PS256.`)
  const x5t = typeof header['x5t'] === 'string' ? header['x5t'] : undefined
  const x5tS256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined
  const thumbprint = x5tS256 !== undefined ? fromBase64url(x5tS256) : x5t !== undefined ? fromBase64url(x5t) : ''
  let key: JoseKey
  if (client.certificate !== undefined) {
    if (x5t === undefined && x5tS256 === undefined) return errors.malformedAssertion(ctx, 'No certificate thumbprint specified in token header.')
    // Compare decoded bytes: MSAL Python sends a padded base64url `x5t` (`urlsafe_b64encode`), which Entra accepts.
    const matches =
      (x5tS256 !== undefined && thumbprint === client.certificate.sha256Thumbprint) ||
      (x5tS256 === undefined && x5t !== undefined && thumbprint === client.certificate.sha1Thumbprint)
    if (!matches) return errors.unknownCertificate(ctx, client.clientId, thumbprint)
    key = await importX509(client.certificate.certificatePem, alg)
  } else if (client.subjectNameIssuer !== undefined) {
    const found = await keyFromX5c(header['x5c'], client.subjectNameIssuer, alg, ctx.now)
    if ('reason' in found) return errors.malformedAssertion(ctx, found.reason)
    key = found.key
  } else if (client.publicKeyPem !== undefined) {
    key = await importSPKI(client.publicKeyPem, alg)
  } else {
    return errors.unknownCertificate(ctx, client.clientId, thumbprint)
  }
  let payloadBytes: Uint8Array
  try {
    payloadBytes = (await compactVerify(assertion, key, { algorithms: [...ALGORITHMS] })).payload
  } catch (e: unknown) {
    return e instanceof joseErrors.JWSSignatureVerificationFailed
      ? errors.invalidSignature(ctx, thumbprint)
      : errors.malformedAssertion(ctx, 'The client assertion could not be verified.')
  }
  let payload: unknown
  try {
    payload = JSON.parse(new TextDecoder().decode(payloadBytes))
  } catch {
    return errors.malformedAssertion(ctx, 'The client assertion payload is not JSON.')
  }
  if (!isRecord(payload)) return errors.malformedAssertion(ctx, 'The client assertion payload is not a JSON object.')
  if (payload['iss'] !== client.clientId || payload['sub'] !== client.clientId) return errors.assertionIssuer(ctx)
  const aud = payload['aud']
  const auds = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : []
  if (!auds.some((a) => audiences.includes(a.toLowerCase())))
    return errors.assertionAudience(ctx, auds.join(' '), audiences[0] ?? '')
  const exp = payload['exp']
  const nbf = payload['nbf']
  if (typeof exp !== 'number') return errors.malformedAssertion(ctx, "The client assertion has no 'exp' claim.")
  if (nbf !== undefined && typeof nbf !== 'number') return errors.malformedAssertion(ctx, "The client assertion's 'nbf' claim is not a number.")
  const nowSeconds = ctx.now / 1000
  if (exp + idp.clockSkewSeconds < nowSeconds || (nbf !== undefined && nbf - idp.clockSkewSeconds > nowSeconds))
    return errors.assertionTimeRange(ctx, (nbf ?? 0) * 1000, exp * 1000)
  if (idp.rejectReplayedAssertions) {
    const jti = payload['jti']
    if (typeof jti !== 'string' || jti === '') return errors.malformedAssertion(ctx, "The client assertion has no 'jti' claim.")
    if (!idp.consumeJti(client.clientId, jti, (exp + idp.clockSkewSeconds) * 1000)) return errors.assertionReplayed(ctx)
  }
  return undefined
}

/**
 * Authenticates the client of a token request.
 *
 * @category idp
 * @since 0.1.0
 */
export const authenticateClient = async (
  idp: IdpContext,
  request: IncomingRequest,
  form: Readonly<Record<string, string>>,
  tenant: TenantMatch,
  rule: ClientAuthenticationRule,
): Promise<ClientAuthOutcome> => {
  const ctx = errorContext(idp, request.correlationId)
  const grantType = form['grant_type'] ?? ''
  const basic = parseBasicAuthorization(request.headers['authorization'])
  if (basic === 'malformed') return rejected(errors.invalidSecret(ctx, form['client_id'] ?? ''))
  const clientId = form['client_id'] ?? basic?.clientId
  if (clientId === undefined || clientId === '') return rejected(errors.missingParameter(ctx, 'client_id'))
  if (basic !== undefined && basic.clientId !== clientId) return rejected(errors.invalidSecret(ctx, clientId))
  const client = idp.findClient(clientId)
  if (client === undefined) return rejected(errors.unknownClient(ctx, clientId, tenant.tenantId))
  const secret = form['client_secret'] ?? basic?.secret
  const assertion = form['client_assertion']
  const assertionType = form['client_assertion_type']
  if (secret !== undefined && assertion !== undefined)
    return rejected(errors.malformedAssertion(ctx, 'Send either client_secret or client_assertion, not both.'))
  if (secret !== undefined) {
    return client.secret !== undefined && secretsEqual(secret, client.secret)
      ? { _tag: 'authenticated', client: { client, credential: 'secret' } }
      : rejected(errors.invalidSecret(ctx, clientId))
  }
  if (assertion !== undefined) {
    if (assertionType === undefined) return rejected(errors.missingParameter(ctx, 'client_assertion_type'))
    if (assertionType !== JWT_BEARER_ASSERTION_TYPE)
      return rejected(errors.malformedAssertion(ctx, `client_assertion_type must be '${JWT_BEARER_ASSERTION_TYPE}'.`))
    const failure = await verifyClientAssertion(idp, ctx, client, assertion, acceptedAssertionAudiences(idp, tenant))
    return failure === undefined ? { _tag: 'authenticated', client: { client, credential: 'certificate' } } : rejected(failure)
  }
  return rule === 'required'
    ? rejected(errors.missingCredential(ctx, grantType))
    : { _tag: 'authenticated', client: { client, credential: 'none' } }
}
