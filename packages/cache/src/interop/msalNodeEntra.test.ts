/**
 * The cache moves between authfold and @azure/msal-node 7.2.3 on the real Entra host name:
 * the authority is `https://login.microsoftonline.com/<tenant>`, the local IdP stands in
 * for that host (and its aliases), and each library's own HTTP is routed to it (authfold's
 * `HttpClient`, msal-node's `system.networkClient`). msal-node files entries under the
 * public cloud's `preferred_cache` (`login.windows.net`), authfold and MSAL Python under the
 * authority's host: each must read the other's through the alias group.
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
import { findRefreshTokens } from '../refreshTokens.js'
import { serialize } from '../serialize.js'

let ctx: InteropIdp

beforeAll(async () => {
  ctx = await startInteropIdp({ publicHost: ENTRA_HOST })
})
afterAll(async () => {
  await ctx.stop()
})

/** The `Host` of every logged request, deduplicated. */
const hostsAsked = (): ReadonlyArray<string> => [...new Set(ctx.idp.requests.map((r) => r.headers['host'] ?? ''))]

/** The `environment` of every entry of every section of a serialized cache, deduplicated. */
const environments = (json: string): ReadonlyArray<string> => {
  const sections = JSON.parse(json) as Record<string, Record<string, { readonly environment?: string }>>
  return [...new Set(Object.values(sections).flatMap((entries) => Object.values(entries).map((e) => e.environment ?? '')))]
}

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
    expect(environments(cache)).toEqual(['login.microsoftonline.com'])
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
    expect(environments(out.cache)).toEqual(['login.windows.net'])

    ctx.idp.clearRequests()
    const s = read(out.cache)
    const app = entraConfidentialClient(ctx, s)
    const got = await app.acquireTokenForClient(INTEROP.appScopes)
    expect([got.token_source, hash(got.access_token)]).toEqual(['cache', out.app?.access_token_hash])

    const target = await entraTarget(ctx)
    const user = findAccessTokens({ clientId: INTEROP.publicClientId, environments: target.aliases, realm: target.realm, homeAccountId: ctx.homeAccountId, scopes: INTEROP.userScopes })(s)
    expect(user.map((a) => hash(a.secret))).toEqual([out.user?.access_token_hash])
    expect(findRefreshTokens({ homeAccountId: ctx.homeAccountId, environments: target.aliases, clientId: INTEROP.publicClientId })(s)).toHaveLength(1)
    expect(getAccounts({ username: INTEROP.username, environments: target.aliases })(s).map((a) => [a.home_account_id, a.environment])).toEqual([
      [ctx.homeAccountId, 'login.windows.net'],
    ])
    expect(tokenRequests(ctx.idp.requests)).toEqual([])
  })
})
