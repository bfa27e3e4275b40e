/**
 * The cache moves between authfold and the real MSAL libraries on the Entra host name: the
 * authority is `https://login.microsoftonline.com/<tenant>`, the local IdP stands in for
 * that host and its aliases (`publicHost`), and each library's own HTTP is routed to it:
 * authfold's `HttpClient`, MSAL Python 1.21's `http_client`, msal-node 7.2.3's
 * `system.networkClient`. So each library decides the cache environment and reads aliases
 * as it does on Entra. MSAL Python files entries under the authority's host name and its
 * app-token lookup matches that host exactly; msal-node files them under the alias group's
 * `preferred_cache` (`login.windows.net`) and reads every alias.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ENTRA_HOST,
  INTEROP,
  authfoldSignInAt,
  entraConfidentialClient,
  entraInput,
  entraTarget,
  environmentsOf,
  readCache as read,
  requestsAsked,
  runScript,
  tokenHash as hash,
  signInInput,
  silentInput,
  startInteropIdp,
  storedCache,
  tokenRequests,
  type InteropIdp,
} from '../../../../scripts/interop/harness.js'
import { findAccessTokens } from '../accessTokens.js'
import { getAccounts } from '../accounts.js'
import { findRefreshTokens } from '../refreshTokens.js'
import { serialize } from '../serialize.js'

let ctx: InteropIdp

beforeAll(async () => {
  ctx = await startInteropIdp({ publicHost: ENTRA_HOST })
})
afterAll(async () => {
  await ctx.stop()
})

const asked = (): ReadonlyArray<string> => requestsAsked(ctx.idp.requests)
const hostsAsked = (): ReadonlyArray<string> => [...new Set(ctx.idp.requests.map((r) => r.headers['host'] ?? ''))]
const tenantDiscovery = (): string => `GET login.microsoftonline.com /${ctx.idp.tenantId}/v2.0/.well-known/openid-configuration`

/**
 * authfold answers from a cache another library wrote: the app token through the facade's
 * `acquireTokenForClient`, the user's tokens and account through the cache lookups over the
 * aliases authfold's discovery gives; with the token requests the IdP saw meanwhile.
 */
const authfoldAnswers = async (json: string) => {
  const s = read(json)
  ctx.idp.clearRequests()
  const got = await entraConfidentialClient(ctx, s).acquireTokenForClient(INTEROP.appScopes)
  const { aliases, realm } = await entraTarget(ctx)
  const user = { homeAccountId: ctx.homeAccountId, environments: aliases, clientId: INTEROP.publicClientId }
  return {
    app: [got.token_source, hash(got.access_token)],
    user: findAccessTokens({ ...user, realm, scopes: INTEROP.userScopes })(s).map((a) => hash(a.secret)),
    refreshTokens: findRefreshTokens(user)(s).length,
    accounts: getAccounts({ username: INTEROP.username, environments: aliases })(s).map((a) => [a.home_account_id, a.environment]),
    tokenRequests: tokenRequests(ctx.idp.requests),
  }
}

describe('authfold -> MSAL Python 1.21 on login.microsoftonline.com', () => {
  it("acquire_token_silent(scopes, account=None) finds the app token authfold's facade filed, with no token request", async () => {
    ctx.idp.clearRequests()
    const app = entraConfidentialClient(ctx)
    const got = await app.acquireTokenForClient(INTEROP.appScopes)
    expect(got.token_source).toBe('identity_provider')
    // authfold reached the IdP as login.microsoftonline.com (no instance discovery: a host Microsoft knows).
    expect(asked()).toEqual([tenantDiscovery(), `POST login.microsoftonline.com /${ctx.idp.tenantId}/oauth2/v2.0/token`])
    const cache = serialize(await storedCache(app))

    // A daemon's cache: the app token alone.
    ctx.idp.clearRequests()
    const out = await runScript(ctx, 'msal_python_silent.py', { ...silentInput(ctx, cache, { forClient: false }), ...entraInput(ctx), public: undefined })
    expect(out.app_silent).toMatchObject({ ok: true, from_input_cache: true, access_token_hash: hash(got.access_token) })
    // The constructor's tenant discovery, then nothing: no token request, no alias lookup.
    expect(asked()).toEqual([tenantDiscovery()])
    expect(tokenRequests(ctx.idp.requests)).toEqual([])
    expect(environmentsOf(cache)).toEqual(['login.microsoftonline.com'])
  })

  it("get_accounts and acquire_token_silent(scopes, account) serve the user token authfold filed, from the cache", async () => {
    // authfold's own discovery of the authority decides where the user's tokens are filed.
    const target = await entraTarget(ctx)
    expect(target.tokenEndpoint).toBe(`https://login.microsoftonline.com/${ctx.idp.tenantId}/oauth2/v2.0/token`)
    const s = await authfoldSignInAt(ctx, target)
    const cache = serialize(s)
    const userAt = findAccessTokens({ clientId: INTEROP.publicClientId, environments: target.aliases, realm: ctx.idp.tenantId, homeAccountId: ctx.homeAccountId, scopes: INTEROP.userScopes })(s)
    expect(userAt).toHaveLength(1)

    ctx.idp.clearRequests()
    const out = await runScript(ctx, 'msal_python_silent.py', { ...silentInput(ctx, cache), ...entraInput(ctx), confidential: undefined })
    expect(out.accounts).toEqual([
      { home_account_id: ctx.homeAccountId, environment: 'login.microsoftonline.com', realm: ctx.idp.tenantId, local_account_id: ctx.objectId, username: INTEROP.username, authority_type: 'MSSTS' },
    ])
    expect(out.user).toMatchObject({ ok: true, from_input_cache: true, access_token_hash: hash(userAt[0]?.secret ?? '') })
    expect(asked()).toEqual([tenantDiscovery()])
    expect([target.environment, target.realm]).toEqual(['login.microsoftonline.com', ctx.idp.tenantId])
    expect(environmentsOf(cache)).toEqual(['login.microsoftonline.com'])
  })
})

describe('MSAL Python 1.21 -> authfold on login.microsoftonline.com', () => {
  it('MSAL Python files its tokens under login.microsoftonline.com, and authfold answers the app and the user from them with no token request', async () => {
    ctx.idp.clearRequests()
    const out = await runScript(ctx, 'msal_python_signin.py', { ...signInInput(ctx), ...entraInput(ctx) })
    expect(out.msal_version).toBe('1.21.0')
    expect(out.user).toMatchObject({ ok: true, has_id_token: true, has_refresh_token: true })
    expect(out.app).toMatchObject({ ok: true })
    expect(asked()).toEqual([
      tenantDiscovery(),
      `GET login.microsoftonline.com /common/userrealm/${INTEROP.username}`,
      `POST login.microsoftonline.com /${ctx.idp.tenantId}/oauth2/v2.0/token`,
      tenantDiscovery(),
      `POST login.microsoftonline.com /${ctx.idp.tenantId}/oauth2/v2.0/token`,
    ])
    expect(tokenRequests(ctx.idp.requests)).toEqual(['password', 'client_credentials'])
    // What authfold now writes too: the authority's host name.
    expect(environmentsOf(out.cache)).toEqual(['login.microsoftonline.com'])

    expect(await authfoldAnswers(out.cache)).toEqual({
      app: ['cache', out.app?.access_token_hash],
      user: [out.user?.access_token_hash],
      refreshTokens: 1,
      accounts: [[ctx.homeAccountId, 'login.microsoftonline.com']],
      tokenRequests: [],
    })
  })
})

describe('authfold -> msal-node 7.2.3 on login.microsoftonline.com', () => {
  it("serves msal-node's acquireTokenSilent and acquireTokenByClientCredential from the cache authfold filed, with no token request", async () => {
    ctx.idp.clearRequests()
    const app = entraConfidentialClient(ctx)
    const got = await app.acquireTokenForClient(INTEROP.appScopes)
    const target = await entraTarget(ctx)
    const s = await authfoldSignInAt(ctx, target, await storedCache(app))
    expect(tokenRequests(ctx.idp.requests)).toEqual(['client_credentials', 'password'])
    expect(hostsAsked()).toEqual(['login.microsoftonline.com'])
    const userAt = findAccessTokens({ clientId: INTEROP.publicClientId, environments: target.aliases, realm: ctx.idp.tenantId, homeAccountId: ctx.homeAccountId, scopes: INTEROP.userScopes })(s)
    expect(userAt).toHaveLength(1)
    // msal-node skips app tokens whose home account is MSAL Python's null (msalNode.test.ts shows it): write its "".
    const cache = serialize(s, { appTokenHomeAccountId: '' })

    ctx.idp.clearRequests()
    const out = await runScript(ctx, 'msal_node_silent.mjs', { ...silentInput(ctx, cache), ...entraInput(ctx) })
    expect(out.msal_node_version).toBe('7.2.3')
    expect(out.accounts).toEqual([
      { home_account_id: ctx.homeAccountId, environment: 'login.microsoftonline.com', realm: ctx.idp.tenantId, local_account_id: ctx.objectId, username: INTEROP.username },
    ])
    expect(out.user).toMatchObject({ ok: true, from_cache: true, from_input_cache: true, access_token_hash: hash(userAt[0]?.secret ?? '') })
    expect(out.app).toMatchObject({ ok: true, from_cache: true, from_input_cache: true, access_token_hash: hash(got.access_token) })
    // Not a request of any kind: msal-node has the public cloud's endpoints built in.
    expect(ctx.idp.requests).toEqual([])
    // authfold filed under the authority's host, as MSAL Python does; msal-node read it through its aliases.
    expect(environmentsOf(cache)).toEqual(['login.microsoftonline.com'])
  })
})

describe('msal-node 7.2.3 -> authfold on login.microsoftonline.com', () => {
  it('msal-node files its tokens under login.windows.net, and authfold answers the app and the user from them through the aliases, with no token request', async () => {
    ctx.idp.clearRequests()
    const out = await runScript(ctx, 'msal_node_signin.mjs', { ...signInInput(ctx), ...entraInput(ctx) })
    expect(out.user).toMatchObject({ ok: true, has_id_token: true })
    expect(out.app).toMatchObject({ ok: true })
    expect(tokenRequests(ctx.idp.requests)).toEqual(['password', 'client_credentials'])
    expect(hostsAsked()).toEqual(['login.microsoftonline.com'])
    // msal-node's choice: the alias group's preferred_cache.
    expect(environmentsOf(out.cache)).toEqual(['login.windows.net'])

    expect(await authfoldAnswers(out.cache)).toEqual({
      app: ['cache', out.app?.access_token_hash],
      user: [out.user?.access_token_hash],
      refreshTokens: 1,
      accounts: [[ctx.homeAccountId, 'login.windows.net']],
      tokenRequests: [],
    })
  })
})
