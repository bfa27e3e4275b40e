/**
 * The cache moves between authfold and @azure/msal-node 7.2.3 (run as a child process,
 * trusting the IdP's CA through NODE_EXTRA_CA_CERTS), with real sign-ins against the
 * local IdP over HTTPS. msal-node names the environment `127.0.0.1:<port>`, as authfold does.
 */
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  INTEROP,
  authfoldFacadeAppToken,
  authfoldSignIn,
  readCache as read,
  runScript,
  tokenHash as hash,
  signInInput,
  silentInput,
  startInteropIdp,
  tokenRequests,
  type InteropIdp,
} from '../../../../scripts/interop/harness.js'
import { findAccessTokens } from '../accessTokens.js'
import { getAccounts } from '../accounts.js'
import { findIdTokens } from '../idTokens.js'
import { findRefreshTokens } from '../refreshTokens.js'
import { serialize } from '../serialize.js'

/** A union of two caches' sections (entries of `b` win on equal keys). */
const merge = (a: string, b: string): string => {
  const x = JSON.parse(a) as Record<string, Record<string, unknown>>
  const y = JSON.parse(b) as Record<string, Record<string, unknown>>
  const out: Record<string, Record<string, unknown>> = { ...x }
  for (const [k, v] of Object.entries(y)) out[k] = { ...(x[k] ?? {}), ...v }
  return JSON.stringify(out)
}

let ctx: InteropIdp

beforeAll(async () => {
  ctx = await startInteropIdp()
})
afterAll(async () => {
  await ctx.stop()
})

describe('msal-node 7.2.3 -> authfold', () => {
  it('loads the cache msal-node wrote after a real ROPC sign-in and a client-credentials call, and answers every lookup', async () => {
    ctx.idp.clearRequests()
    const out = await runScript(ctx, 'msal_node_signin.mjs', signInInput(ctx))
    expect(out.msal_node_version).toBe('7.2.3')
    expect(out.user).toMatchObject({ ok: true, has_id_token: true })
    expect(out.app).toMatchObject({ ok: true })
    expect(tokenRequests(ctx.idp.requests)).toEqual(['password', 'client_credentials'])

    const s = read(out.cache)
    const env = ctx.idp.host
    const user = findAccessTokens({ clientId: INTEROP.publicClientId, environments: [env], realm: ctx.idp.tenantId, homeAccountId: ctx.homeAccountId, scopes: ['User.Read'] })(s)
    expect(user.map((a) => hash(a.secret))).toEqual([out.user?.access_token_hash])
    // msal-node writes "" (MSAL Python null) as the home account of app tokens: both are app tokens here.
    const app = findAccessTokens({ clientId: INTEROP.confidentialClientId, environments: [env], realm: ctx.idp.tenantId, homeAccountId: '', scopes: INTEROP.appScopes })(s)
    expect(app.map((a) => hash(a.secret))).toEqual([out.app?.access_token_hash])
    expect(findRefreshTokens({ homeAccountId: ctx.homeAccountId, environments: [env], clientId: INTEROP.publicClientId })(s)).toHaveLength(1)
    const idTokens = findIdTokens({ homeAccountId: ctx.homeAccountId, environments: [env], clientId: INTEROP.publicClientId })(s)
    expect(decodeJwt(idTokens[0]?.secret ?? '')).toMatchObject({ oid: ctx.objectId, preferred_username: INTEROP.username })
    const accounts = getAccounts({ username: INTEROP.username })(s)
    expect(accounts.map((a) => [a.home_account_id, a.local_account_id, a.username, a.environment])).toEqual([[ctx.homeAccountId, ctx.objectId, INTEROP.username, env]])
    // msal-node's own account fields (name, client_info, tenantProfiles) survive the round trip.
    expect(JSON.parse(serialize(s))).toEqual({ ...(JSON.parse(out.cache) as object) })

    // msal-node, given authfold's re-serialization, serves both tokens from it.
    ctx.idp.clearRequests()
    const again = await runScript(ctx, 'msal_node_silent.mjs', silentInput(ctx, serialize(s)))
    expect(again.user).toMatchObject({ ok: true, from_cache: true, from_input_cache: true, access_token_hash: out.user?.access_token_hash })
    expect(again.app).toMatchObject({ ok: true, from_cache: true, from_input_cache: true, access_token_hash: out.app?.access_token_hash })
    expect(tokenRequests(ctx.idp.requests)).toEqual([])
  })
})

describe('authfold -> msal-node 7.2.3', () => {
  it("serves msal-node's acquireTokenSilent and acquireTokenByClientCredential from authfold's cache, without a token request", async () => {
    const user = await authfoldSignIn(ctx, ctx.idp.host)
    const app = await authfoldFacadeAppToken(ctx)
    const appAt = findAccessTokens({ clientId: INTEROP.confidentialClientId, environments: [ctx.idp.host], realm: ctx.idp.tenantId, homeAccountId: '', scopes: INTEROP.appScopes })(app)
    expect(appAt).toHaveLength(1)
    const userAt = findAccessTokens({ clientId: INTEROP.publicClientId, environments: [ctx.idp.host], realm: ctx.idp.tenantId, homeAccountId: ctx.homeAccountId, scopes: INTEROP.userScopes })(user)

    // With MSAL Python's `"home_account_id": null` (the default), msal-node does not see the app token...
    ctx.idp.clearRequests()
    const asPython = await runScript(ctx, 'msal_node_silent.mjs', { ...silentInput(ctx, serialize(app)), public: undefined })
    expect(asPython.app).toMatchObject({ ok: true, from_cache: false, from_input_cache: false })
    expect(tokenRequests(ctx.idp.requests)).toEqual(['client_credentials'])

    // ...written the msal-node way (`""`), it serves both calls from the cache.
    const cache = merge(serialize(user, { appTokenHomeAccountId: '' }), serialize(app, { appTokenHomeAccountId: '' }))
    ctx.idp.clearRequests()
    const out = await runScript(ctx, 'msal_node_silent.mjs', silentInput(ctx, cache))
    expect(out.accounts).toEqual([
      { home_account_id: ctx.homeAccountId, environment: ctx.idp.host, realm: ctx.idp.tenantId, local_account_id: ctx.objectId, username: INTEROP.username },
    ])
    expect(out.user).toMatchObject({ ok: true, from_cache: true, from_input_cache: true, access_token_hash: hash(userAt[0]?.secret ?? '') })
    expect(out.app).toMatchObject({ ok: true, from_cache: true, from_input_cache: true, access_token_hash: hash(appAt[0]?.secret ?? '') })
    expect(tokenRequests(ctx.idp.requests)).toEqual([])
  })

  it("lets msal-node redeem authfold's refresh token when the access token is gone, and authfold reads the result back", async () => {
    const withoutAt = JSON.parse(serialize(await authfoldSignIn(ctx, ctx.idp.host))) as { AccessToken: Record<string, unknown> }
    withoutAt.AccessToken = {}
    ctx.idp.clearRequests()
    const out = await runScript(ctx, 'msal_node_silent.mjs', { ...silentInput(ctx, JSON.stringify(withoutAt)), confidential: undefined })
    expect(out.user).toMatchObject({ ok: true, from_cache: false })
    expect(tokenRequests(ctx.idp.requests)).toEqual(['refresh_token'])
    const back = read(out.cache)
    const at = findAccessTokens({ clientId: INTEROP.publicClientId, environments: [ctx.idp.host], realm: ctx.idp.tenantId, homeAccountId: ctx.homeAccountId, scopes: INTEROP.userScopes })(back)
    expect(at.map((a) => hash(a.secret))).toEqual([out.user?.access_token_hash])
    // msal-node wrote the rotated refresh token under its own key layout (`…-refreshtoken-<client>---`)
    // beside authfold's (`…-refreshtoken-<client>--`): both are there (both valid, as on Entra)...
    const rtQuery = { homeAccountId: ctx.homeAccountId, environments: [ctx.idp.host], clientId: INTEROP.publicClientId }
    expect(findRefreshTokens(rtQuery)(back)).toHaveLength(2)
    // ...until authfold's next answer for that account and app replaces both with one.
    expect(findRefreshTokens(rtQuery)(await authfoldSignIn(ctx, ctx.idp.host, back))).toHaveLength(1)
  })
})
