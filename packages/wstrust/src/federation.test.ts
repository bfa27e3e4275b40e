/**
 * The federated sign-in end to end: `acquireTokenByUsernamePassword` on the facades with
 * `federation: wsTrustFederation`, against the local IdP's AD FS-like STS over real HTTPS,
 * and MSAL Python 1.21 (`scripts/interop/msal_python_signin.py`, whose
 * `acquire_token_by_username_password` takes the federated path for these users) against
 * the same IdP as the reference for every request: user realm, MEX, RST, SAML grant.
 */
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientSecret, formPost, type HttpClient } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { createConfidentialClient, createPublicClient, type PublicClient } from '@authfold/client'
import { federatedRealmRoute, type RecordedRequest, type ReceivedRst } from '@authfold/testing'
import { INTEROP, runScript, startInteropIdp, type InteropIdp } from '../../../scripts/interop/harness.js'
import { wsTrustFederation } from './federation.js'
import { ACTION_13 } from './namespaces.js'
import { DEFAULT_AUDIENCE, rstRequest } from './rst.js'
import { encodeAssertion, readRstr, type WsTrustToken } from './rstr.js'

const assertionStart = '<saml:Assertion MajorVersion="1"'

let ctx: InteropIdp
let http: HttpClient
const logged: string[] = []
const PASSWORD = `fed-P&ss<w>"'${Math.random().toString(36).slice(2)}`
const BOB = 'bob@fabrikam.test' // MEX, WS-Trust 1.3, SAML 1.1
const DAVE = 'dave@nomex.test' // no MEX: federation_active_auth_url, WS-Trust 2005, SAML 2.0

beforeAll(async () => {
  ctx = await startInteropIdp()
  http = nodeHttpClient({ ca: ctx.idp.ca, timeoutMs: 10_000 })
  ctx.idp.registerUser({ username: BOB, password: PASSWORD, name: 'Bob Federated' })
  ctx.idp.registerUser({ username: DAVE, password: PASSWORD, name: 'Dave NoMex' })
  ctx.idp.wsTrust.addFederatedDomain({ domain: 'fabrikam.test' })
  ctx.idp.wsTrust.addFederatedDomain({ domain: 'nomex.test', mex: false })
  // Broken STSs, for the bad-input cases.
  const bad = (name: string) => `${ctx.idp.url}/broken/${name}`
  ctx.idp.addRoute(
    federatedRealmRoute([
      { domain: 'html-mex.test', federationMetadataUrl: bad('html'), federationActiveAuthUrl: bad('none') },
      { domain: 'iwa-only.test', federationMetadataUrl: bad('iwa-mex'), federationActiveAuthUrl: bad('none') },
    ]),
  )
  ctx.idp.addRoute((request) =>
    request.path === '/broken/html'
      ? { status: 200, headers: { 'content-type': 'text/html' }, text: '<!DOCTYPE html><html><body><p>Sign in<br></body></html>' }
      : request.path === '/broken/iwa-mex'
        ? {
            status: 200,
            text: `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"><wsdl:service><wsdl:port binding="tns:x"/></wsdl:service></wsdl:definitions>`,
          }
        : undefined,
  )
})
afterAll(async () => {
  await ctx.stop()
})

const publicApp = (federation = true): PublicClient =>
  createPublicClient({
    clientId: INTEROP.publicClientId,
    authority: ctx.idp.authority(),
    validateAuthority: false,
    http,
    logger: (_level, message) => void logged.push(message),
    piiLoggingEnabled: true,
    ...(federation ? { federation: wsTrustFederation } : {}),
  })

const relevant = (log: ReadonlyArray<RecordedRequest>): ReadonlyArray<RecordedRequest> =>
  log.filter((r) => r.path.startsWith('/common/userrealm/') || r.path.startsWith('/adfs/') || (r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token')))

/** The RST with its per-message values (MessageID, Created, Expires) replaced. */
const normalizedRst = (r: ReceivedRst): ReceivedRst => ({
  ...r,
  body: r.body
    .replace(/urn:uuid:[0-9a-f-]{36}/, 'urn:uuid:ID')
    .replace(/<wsu:Created>[^<]+</, '<wsu:Created>T<')
    .replace(/<wsu:Expires>[^<]+</, '<wsu:Expires>T<'),
})


const expectNoSecret = (value: unknown): void => {
  expect(JSON.stringify(value)).not.toContain(PASSWORD)
  expect(inspect(value, { depth: 10, showHidden: true })).not.toContain(PASSWORD)
  expect(logged.join('\n')).not.toContain(PASSWORD)
}

describe.each([
  {
    user: BOB,
    paths: ['GET /common/userrealm/bob@fabrikam.test', 'GET /adfs/fabrikam.test/services/trust/mex', 'POST /adfs/fabrikam.test/services/trust/13/usernamemixed'],
    grant: 'urn:ietf:params:oauth:grant-type:saml1_1-bearer',
    soapAction: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue',
  },
  {
    user: DAVE,
    paths: ['GET /common/userrealm/dave@nomex.test', 'POST /adfs/nomex.test/services/trust/2005/usernamemixed'],
    grant: 'urn:ietf:params:oauth:grant-type:saml2-bearer',
    soapAction: 'http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue',
  },
])('a federated user, $user, beside MSAL Python 1.21', ({ user, paths, grant, soapAction }) => {
  it('same requests (user realm, MEX, RST equal as XML but for ids and times, SAML grant fields); signed in and cached', async () => {
    ctx.idp.clearRequests()
    const rstsBefore = ctx.idp.wsTrust.rsts().length
    const python = await runScript(ctx, 'msal_python_signin.py', { public: { client_id: INTEROP.publicClientId, username: user, password: PASSWORD, scopes: INTEROP.userScopes } })
    expect(python.user).toMatchObject({ ok: true })
    const theirs = relevant(ctx.idp.requests)
    const theirRsts = ctx.idp.wsTrust.rsts().slice(rstsBefore)

    ctx.idp.clearRequests()
    const app = publicApp()
    const result = await app.acquireTokenByUsernamePassword(user, PASSWORD, ['User.Read'])
    const ours = relevant(ctx.idp.requests)
    const ourRsts = ctx.idp.wsTrust.rsts().slice(rstsBefore + theirRsts.length)

    const tokenPath = `POST /${ctx.idp.tenantId}/oauth2/v2.0/token`
    expect(theirs.map((r) => `${r.method} ${r.path}`)).toEqual([...paths, tokenPath])
    expect(ours.map((r) => `${r.method} ${r.path}`)).toEqual([...paths, tokenPath])
    for (const log of [theirs, ours]) {
      const token = log[log.length - 1]
      const { scope, assertion: sent, ...form } = token?.form ?? {}
      expect(form).toEqual({ client_id: INTEROP.publicClientId, grant_type: grant, client_info: '1' })
      expect(scope?.split(' ').sort()).toEqual(['User.Read', 'offline_access', 'openid', 'profile'])
      expect(sent).toBe('<redacted>') // the IdP's log redacts it; the IdP took it byte for byte (see below)
      expect(token?.headers['x-anchormailbox']).toBeUndefined()
    }
    // The RST: one each, equal but for MessageID and the timestamps; same headers.
    expect(theirRsts).toHaveLength(1)
    expect(ourRsts).toHaveLength(1)
    expect(ourRsts.map(normalizedRst)).toEqual(theirRsts.map(normalizedRst))
    expect(ourRsts[0]).toMatchObject({ soapAction, contentType: 'application/soap+xml; charset=utf-8' })
    expect(ourRsts[0]?.body).toContain('<wsse:Password><redacted></wsse:Password>')

    expect(result).toMatchObject({ token_type: 'Bearer', token_source: 'identity_provider', account: { username: user, authority_type: 'MSSTS', realm: ctx.idp.tenantId } })
    const cache = JSON.parse(await app.serializeCache()) as Record<string, Record<string, Record<string, unknown>>>
    expect(Object.values(cache['Account'] ?? {})).toEqual([expect.objectContaining({ username: user })])
    expect(Object.keys(cache['RefreshToken'] ?? {})).toHaveLength(1)
    expectNoSecret(cache)
    // and silently from the cache afterwards
    const accounts = await app.getAccounts()
    expect((await app.acquireTokenSilent(['User.Read'], accounts[0]!))?.token_source).toBe('cache')
  })
})

describe('the assertion goes byte for byte as the STS wrote it', () => {
  it('the IdP takes the RequestedSecurityToken content as written, and refuses it trimmed or re-indented', async () => {
    const endpoint = { address: `${ctx.idp.url}/adfs/fabrikam.test/services/trust/13/usernamemixed`, action: ACTION_13 } as const
    const token = async (): Promise<WsTrustToken> => {
      const rst = rstRequest({ endpoint, username: BOB, password: PASSWORD, audience: DEFAULT_AUDIENCE, messageId: crypto.randomUUID(), nowMs: Date.now() })
      const answer = await http(rst)()
      if (answer._tag === 'Left') throw new Error(answer.left.message)
      const read = readRstr(endpoint.address)(answer.right.status, answer.right.body)
      if (read._tag === 'Left') throw new Error(read.left.message)
      expect(read.right.token.trim().startsWith(assertionStart)).toBe(true)
      return read.right
    }
    const redeem = async (t: WsTrustToken, assertion: string): Promise<number> => {
      const r = await http(formPost(ctx.idp.tokenEndpoint(), { client_id: INTEROP.publicClientId, grant_type: t.grantType, assertion: encodeAssertion(assertion), scope: 'User.Read openid profile offline_access', client_info: '1' }, {}))()
      if (r._tag === 'Left') throw new Error(r.left.message)
      return r.right.status
    }
    const a = await token()
    expect(await redeem(a, a.token.trim())).toBe(400)
    const b = await token()
    expect(await redeem(b, b.token.replace('><', '>\n<'))).toBe(400)
    const c = await token()
    expect(await redeem(c, c.token)).toBe(200)
  })
})

describe('federated sign-in failures: typed errors, the cache as it was, no password anywhere', () => {
  const signedIn = async (): Promise<{ app: PublicClient; before: string }> => {
    const app = publicApp()
    await app.acquireTokenByUsernamePassword(INTEROP.username, ctx.password, ['User.Read'])
    return { app, before: await app.serializeCache() }
  }

  it('a wrong password: the STS fault (HTTP 500, a:FailedAuthentication) as a ProtocolError; no token request', async () => {
    const { app, before } = await signedIn()
    ctx.idp.clearRequests()
    const wrong = `${PASSWORD}-wrong`
    const r = await app.te.acquireTokenByUsernamePassword(BOB, wrong, ['User.Read'])()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ProtocolError', status: 500, error: 'a:FailedAuthentication', errorDescription: 'MSIS7068: Access denied.' } })
    expect(relevant(ctx.idp.requests).some((q) => q.path.endsWith('/token'))).toBe(false)
    expect(await app.serializeCache()).toBe(before)
    expect(JSON.stringify(r)).not.toContain(wrong)
    expectNoSecret(r)
  })

  it('HTML where the MEX document was expected: a DecodeError about the MEX document', async () => {
    const { app, before } = await signedIn()
    const r = await app.te.acquireTokenByUsernamePassword('eve@html-mex.test', PASSWORD, ['User.Read'])()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', subject: 'MEX document' } })
    expect(await app.serializeCache()).toBe(before)
    expectNoSecret(r)
  })

  it('a MEX document with no usable policy: a DecodeError saying there is no username/password endpoint', async () => {
    const { app, before } = await signedIn()
    const r = await app.te.acquireTokenByUsernamePassword('eve@iwa-only.test', PASSWORD, ['User.Read'])()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', subject: 'MEX document', path: 'wsdl:service/wsdl:port' } })
    expect(await app.serializeCache()).toBe(before)
  })

  it('without federation configured: the ConfigError naming @authfold/wstrust and how to pass it', async () => {
    const r = await publicApp(false).te.acquireTokenByUsernamePassword(BOB, PASSWORD, ['User.Read'])()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'unsupported' } })
    if (r._tag === 'Left') expect(r.left.message).toContain('federation: wsTrustFederation')
  })
})

describe('the confidential client routes federated users too', () => {
  it('signs bob in with its secret and the SAML 1.1 grant', async () => {
    const app = createConfidentialClient({
      clientId: INTEROP.confidentialClientId,
      credential: clientSecret(ctx.secret),
      authority: ctx.idp.authority(),
      validateAuthority: false,
      http,
      federation: wsTrustFederation,
    })
    ctx.idp.clearRequests()
    const result = await app.acquireTokenByUsernamePassword(BOB, PASSWORD, ['User.Read'])
    expect(result.account?.username).toBe(BOB)
    const token = relevant(ctx.idp.requests).find((q) => q.path.endsWith('/token'))
    expect(token?.form).toMatchObject({ grant_type: 'urn:ietf:params:oauth:grant-type:saml1_1-bearer', client_id: INTEROP.confidentialClientId })
  })
})
