/**
 * The cache moves between authfold and MSAL Python 1.21 on the real Entra host name: the
 * authority is `https://login.microsoftonline.com/<tenant>`, the local IdP stands in for
 * that host (and its aliases), and each library's own HTTP is routed to it (authfold's
 * `HttpClient`, MSAL Python's `http_client`), so both decide the cache environment and its
 * aliases as they do on Entra. Expected environments are MSAL Python's: it files entries
 * under the authority's host name, and its app-token lookup matches that host exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ENTRA_HOST,
  INTEROP,
  authfoldSignInAt,
  entraConfidentialClient,
  entraInput,
  entraTarget,
  readCache as read,
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
import { serialize } from '../serialize.js'

let ctx: InteropIdp

beforeAll(async () => {
  ctx = await startInteropIdp({ publicHost: ENTRA_HOST })
})
afterAll(async () => {
  await ctx.stop()
})

/** Each logged request as `METHOD host path`. */
const asked = (): ReadonlyArray<string> => ctx.idp.requests.map((r) => `${r.method} ${r.headers['host'] ?? ''} ${r.path}`)

/** The `environment` of every entry of every section of a serialized cache, deduplicated. */
const environments = (json: string): ReadonlyArray<string> => {
  const sections = JSON.parse(json) as Record<string, Record<string, { readonly environment?: string }>>
  return [...new Set(Object.values(sections).flatMap((entries) => Object.values(entries).map((e) => e.environment ?? '')))]
}

const tenantDiscovery = (): string => `GET login.microsoftonline.com /${ctx.idp.tenantId}/v2.0/.well-known/openid-configuration`

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
    expect(environments(cache)).toEqual(['login.microsoftonline.com'])
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
    expect(environments(cache)).toEqual(['login.microsoftonline.com'])
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
    expect(environments(out.cache)).toEqual(['login.microsoftonline.com'])

    ctx.idp.clearRequests()
    const s = read(out.cache)
    const app = entraConfidentialClient(ctx, s)
    const got = await app.acquireTokenForClient(INTEROP.appScopes)
    expect([got.token_source, hash(got.access_token)]).toEqual(['cache', out.app?.access_token_hash])

    const target = await entraTarget(ctx)
    expect(target.aliases).toEqual(expect.arrayContaining(['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net']))
    const user = findAccessTokens({ clientId: INTEROP.publicClientId, environments: target.aliases, realm: target.realm, homeAccountId: ctx.homeAccountId, scopes: INTEROP.userScopes })(s)
    expect(user.map((a) => hash(a.secret))).toEqual([out.user?.access_token_hash])
    expect(getAccounts({ username: INTEROP.username, environments: target.aliases })(s).map((a) => [a.home_account_id, a.environment])).toEqual([
      [ctx.homeAccountId, 'login.microsoftonline.com'],
    ])
    expect(tokenRequests(ctx.idp.requests)).toEqual([])
  })
})
