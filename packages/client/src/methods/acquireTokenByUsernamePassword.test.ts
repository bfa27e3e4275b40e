/**
 * acquireTokenByUsernamePassword on both facades against the local IdP over real HTTPS,
 * with the requests MSAL Python 1.21 sends to the same IdP as the reference.
 */
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientSecret, type HttpClient } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { federatedRealmRoute, type RecordedRequest } from '@authfold/testing'
import { INTEROP, runScript, startInteropIdp, type InteropIdp } from '../../../../scripts/interop/harness.js'
import { createConfidentialClient } from '../confidentialClient.js'
import { createPublicClient, type PublicClient } from '../publicClient.js'
import type { AuthFailure } from '../failure.js'

let ctx: InteropIdp
let http: HttpClient
const logged: string[] = []

beforeAll(async () => {
  ctx = await startInteropIdp()
  http = nodeHttpClient({ ca: ctx.idp.ca, timeoutMs: 10_000 })
  ctx.idp.addRoute(
    federatedRealmRoute([
      {
        domain: 'fabrikam.test',
        federationMetadataUrl: 'https://adfs.fabrikam.test/adfs/services/trust/mex',
        federationActiveAuthUrl: 'https://adfs.fabrikam.test/adfs/services/trust/2005/usernamemixed',
      },
    ]),
  )
})
afterAll(async () => {
  await ctx.stop()
})

const publicApp = (): PublicClient =>
  createPublicClient({
    clientId: INTEROP.publicClientId,
    authority: ctx.idp.authority(),
    validateAuthority: false,
    http,
    logger: (_level, message) => void logged.push(message),
    piiLoggingEnabled: true,
  })

/** The user realm GETs and token POSTs of a slice of the log. */
const signInRequests = (log: ReadonlyArray<RecordedRequest>): ReadonlyArray<RecordedRequest> =>
  log.filter((r) => r.path.startsWith('/common/userrealm/') || (r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token')))

const failure = async (p: Promise<unknown>): Promise<AuthFailure> => {
  try {
    await p
  } catch (e: unknown) {
    return e as AuthFailure
  }
  throw new Error('expected a failure')
}

const expectNoSecret = (value: unknown, secret: string): void => {
  expect(JSON.stringify(value)).not.toContain(secret)
  expect(inspect(value, { depth: 10, showHidden: true })).not.toContain(secret)
  expect(String(value)).not.toContain(secret)
  expect(logged.join('\n')).not.toContain(secret)
}

describe('acquireTokenByUsernamePassword (public client, local IdP over HTTPS)', () => {
  it('sends what MSAL Python 1.21 sends: user realm, then the password grant with X-AnchorMailbox; the user is signed in and cached', async () => {
    ctx.idp.clearRequests()
    const python = await runScript(ctx, 'msal_python_signin.py', {
      public: { client_id: INTEROP.publicClientId, username: INTEROP.username, password: ctx.password, scopes: INTEROP.userScopes },
    })
    expect(python.user).toMatchObject({ ok: true })
    const theirs = signInRequests(ctx.idp.requests)

    ctx.idp.clearRequests()
    const app = publicApp()
    const result = await app.acquireTokenByUsernamePassword(INTEROP.username, ctx.password, ['User.Read'])
    const ours = signInRequests(ctx.idp.requests)

    // Literal: what MSAL Python sent (password redacted by the IdP's log).
    expect(theirs.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /common/userrealm/alice@authfold.test', `POST /${ctx.idp.tenantId}/oauth2/v2.0/token`])
    expect(ours.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /common/userrealm/alice@authfold.test', `POST /${ctx.idp.tenantId}/oauth2/v2.0/token`])
    for (const log of [theirs, ours]) {
      const [realm, token] = log
      expect(realm?.query).toEqual({ 'api-version': '1.0' })
      expect(realm?.headers['accept']).toBe('application/json')
      expect(realm?.headers['client-request-id']).toBe(token?.headers['client-request-id'])
      expect(token?.headers['x-anchormailbox']).toBe('upn:alice@authfold.test')
      const { scope, ...form } = token?.form ?? {}
      expect(form).toEqual({
        client_id: INTEROP.publicClientId,
        grant_type: 'password',
        username: 'alice@authfold.test',
        password: '<redacted>',
        client_info: '1',
      })
      // MSAL Python decorates through a set, so its order varies; the scopes are the same.
      expect(scope?.split(' ').sort()).toEqual(['User.Read', 'offline_access', 'openid', 'profile'])
    }
    expect(ours[1]?.form['scope']).toBe('User.Read openid profile offline_access')
    expect(ours[1]?.headers['x-client-current-telemetry']).toBe('4|301,0|')

    expect(result).toMatchObject({
      token_type: 'Bearer',
      token_source: 'identity_provider',
      id_token_claims: { preferred_username: 'alice@authfold.test', name: INTEROP.name, oid: ctx.objectId },
      account: { home_account_id: ctx.homeAccountId, username: 'alice@authfold.test', authority_type: 'MSSTS', realm: ctx.idp.tenantId },
    })
    const cache = JSON.parse(await app.serializeCache()) as Record<string, Record<string, Record<string, unknown>>>
    expect(Object.values(cache['Account'] ?? {})).toEqual([expect.objectContaining({ home_account_id: ctx.homeAccountId, username: 'alice@authfold.test' })])
    expect(Object.keys(cache['RefreshToken'] ?? {})).toHaveLength(1)
    expect(Object.keys(cache['AccessToken'] ?? {})).toHaveLength(1)
    expectNoSecret(cache, ctx.password)
  })

  it('a federated user: ConfigError unsupported naming @authfold/wstrust, no token request, the cache as it was', async () => {
    const app = publicApp()
    await app.acquireTokenByUsernamePassword(INTEROP.username, ctx.password, ['User.Read'])
    const before = await app.serializeCache()
    ctx.idp.clearRequests()
    const e = await failure(app.acquireTokenByUsernamePassword('bob@fabrikam.test', ctx.password, ['User.Read']))
    expect(e.authError).toMatchObject({ _tag: 'ConfigError', code: 'unsupported', field: 'username' })
    expect(e.message).toContain('@authfold/wstrust')
    expect(e.message).toContain('fabrikam.test')
    expect(signInRequests(ctx.idp.requests).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /common/userrealm/bob@fabrikam.test'])
    expect(await app.serializeCache()).toBe(before)
    expectNoSecret(e, ctx.password)
  })

  it('an unknown realm: ConfigError saying the user realm is unknown, no token request, the cache as it was', async () => {
    const app = publicApp()
    await app.acquireTokenByUsernamePassword(INTEROP.username, ctx.password, ['User.Read'])
    const before = await app.serializeCache()
    ctx.idp.clearRequests()
    const r = await app.te.acquireTokenByUsernamePassword('carol@elsewhere.example', 'whatever-it-is', ['User.Read'])()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'invalid_argument', field: 'username' } })
    if (r._tag === 'Left') expect(r.left.message).toMatch(/user realm is unknown/)
    expect(signInRequests(ctx.idp.requests).map((r) => r.method)).toEqual(['GET'])
    expect(await app.serializeCache()).toBe(before)
  })

  it("a wrong password: the IdP's invalid_grant (AADSTS50126), the cache as it was, the password nowhere in the error or the log", async () => {
    const app = publicApp()
    await app.acquireTokenByUsernamePassword(INTEROP.username, ctx.password, ['User.Read'])
    const before = await app.serializeCache()
    const wrong = `not-${ctx.password}-at-all`
    const e = await failure(app.acquireTokenByUsernamePassword(INTEROP.username, wrong, ['User.Read']))
    expect(e.authError).toMatchObject({ _tag: 'ProtocolError', error: 'invalid_grant', errorCodes: [50126], status: 400 })
    expect(await app.serializeCache()).toBe(before)
    expectNoSecret(e, wrong)
    expectNoSecret(e.authError, wrong)
  })

  it('an aborted call sends nothing and changes nothing', async () => {
    const app = publicApp()
    const before = await app.serializeCache()
    ctx.idp.clearRequests()
    const r = await app.te.acquireTokenByUsernamePassword(INTEROP.username, ctx.password, ['User.Read'], { signal: AbortSignal.abort() })()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'aborted' } })
    expect(signInRequests(ctx.idp.requests)).toEqual([])
    expect(await app.serializeCache()).toBe(before)
  })
})

describe('acquireTokenByUsernamePassword (confidential client, as on MSAL Python ClientApplication)', () => {
  it('authenticates the app with its credential beside the user', async () => {
    const app = createConfidentialClient({
      clientId: INTEROP.confidentialClientId,
      credential: clientSecret(ctx.secret),
      authority: ctx.idp.authority(),
      validateAuthority: false,
      http,
    })
    ctx.idp.clearRequests()
    const result = await app.acquireTokenByUsernamePassword(INTEROP.username, ctx.password, ['User.Read'])
    expect(result.account?.username).toBe('alice@authfold.test')
    const token = signInRequests(ctx.idp.requests).find((r) => r.method === 'POST')
    expect(token?.form).toMatchObject({ grant_type: 'password', client_id: INTEROP.confidentialClientId, client_secret: '<redacted>', username: 'alice@authfold.test' })
    expect(token?.headers['x-anchormailbox']).toBe('upn:alice@authfold.test')
  })
})
