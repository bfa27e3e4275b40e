/**
 * The cache moves between authfold and MSAL Python 1.21 (Debian's python3-msal, run as a
 * child process), with real sign-ins against the local IdP over HTTPS.
 *
 * MSAL Python names the cache environment by the authority's host name without the port
 * (`127.0.0.1`), where authfold and msal-node keep the port; on Entra both are
 * `login.microsoftonline.com`. The authfold side therefore writes and reads under
 * `pythonEnvironment(ctx)` here.
 */
import * as E from 'fp-ts/Either'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  INTEROP,
  authfoldAppToken,
  authfoldSignIn,
  pythonEnvironment,
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
import { deserialize } from '../deserialize.js'
import { findIdTokens } from '../idTokens.js'
import { findRefreshTokens } from '../refreshTokens.js'
import { serialize } from '../serialize.js'

let ctx: InteropIdp

beforeAll(async () => {
  ctx = await startInteropIdp()
})
afterAll(async () => {
  await ctx.stop()
})

describe('MSAL Python 1.21 -> authfold', () => {
  it('loads the cache MSAL Python wrote after a real ROPC sign-in and a client-credentials call, and answers every lookup', async () => {
    ctx.idp.clearRequests()
    const out = await runScript(ctx, 'msal_python_signin.py', signInInput(ctx))
    expect(out.msal_version).toBe('1.21.0')
    expect(out.user).toMatchObject({ ok: true, has_id_token: true, has_refresh_token: true })
    expect(out.app).toMatchObject({ ok: true })
    // MSAL Python did user realm discovery, then ROPC, then client credentials.
    expect(ctx.idp.requests.some((r) => r.method === 'GET' && r.path === `/common/userrealm/${INTEROP.username}`)).toBe(true)
    expect(tokenRequests(ctx.idp.requests)).toEqual(['password', 'client_credentials'])

    const parsed = deserialize(out.cache)
    expect(E.isRight(parsed)).toBe(true)
    const s = read(out.cache)
    const env = pythonEnvironment(ctx)
    const user = findAccessTokens({ clientId: INTEROP.publicClientId, environments: [env], realm: ctx.idp.tenantId, homeAccountId: ctx.homeAccountId, scopes: ['user.read'] })(s)
    expect(user.map((a) => hash(a.secret))).toEqual([out.user?.access_token_hash])
    const app = findAccessTokens({ clientId: INTEROP.confidentialClientId, environments: [env], realm: ctx.idp.tenantId, homeAccountId: '', scopes: INTEROP.appScopes })(s)
    expect(app.map((a) => hash(a.secret))).toEqual([out.app?.access_token_hash])
    expect(app[0]?.home_account_id).toBeNull()
    expect(findRefreshTokens({ homeAccountId: ctx.homeAccountId, environments: [env], clientId: INTEROP.publicClientId })(s)).toHaveLength(1)
    const idTokens = findIdTokens({ homeAccountId: ctx.homeAccountId, environments: [env], clientId: INTEROP.publicClientId, realm: ctx.idp.tenantId })(s)
    expect(idTokens).toHaveLength(1)
    expect(decodeJwt(idTokens[0]?.secret ?? '')).toMatchObject({ oid: ctx.objectId, tid: ctx.idp.tenantId, aud: INTEROP.publicClientId })
    const accounts = getAccounts({ username: INTEROP.username.toUpperCase() })(s)
    expect(accounts.map((a) => [a.home_account_id, a.local_account_id, a.username, a.realm, a.authority_type])).toEqual([
      [ctx.homeAccountId, ctx.objectId, INTEROP.username, ctx.idp.tenantId, 'MSSTS'],
    ])

    // serialize keeps every entry and every field MSAL Python wrote, under the same keys.
    expect(JSON.parse(serialize(s))).toEqual(JSON.parse(out.cache))

    // ...and MSAL Python, given authfold's re-serialization, still serves both tokens from it.
    ctx.idp.clearRequests()
    const again = await runScript(ctx, 'msal_python_silent.py', { ...silentInput(ctx, serialize(s)), confidential: undefined })
    expect(again.user).toMatchObject({ ok: true, from_input_cache: true, access_token_hash: out.user?.access_token_hash })
    expect(tokenRequests(ctx.idp.requests)).toEqual([])
  })
})

describe('authfold -> MSAL Python 1.21', () => {
  it("serves MSAL Python's silent calls from a cache authfold filled over real HTTPS, without a token request", async () => {
    const env = pythonEnvironment(ctx)
    const s = await authfoldAppToken(ctx, env, await authfoldSignIn(ctx, env))
    const userAt = findAccessTokens({ clientId: INTEROP.publicClientId, environments: [env], realm: ctx.idp.tenantId, homeAccountId: ctx.homeAccountId, scopes: INTEROP.userScopes })(s)
    const appAt = findAccessTokens({ clientId: INTEROP.confidentialClientId, environments: [env], realm: ctx.idp.tenantId, homeAccountId: '', scopes: INTEROP.appScopes })(s)
    expect([userAt.length, appAt.length]).toEqual([1, 1])

    ctx.idp.clearRequests()
    const out = await runScript(ctx, 'msal_python_silent.py', silentInput(ctx, serialize(s)))
    expect(out.accounts).toEqual([
      { home_account_id: ctx.homeAccountId, environment: env, realm: ctx.idp.tenantId, local_account_id: ctx.objectId, username: INTEROP.username, authority_type: 'MSSTS' },
    ])
    expect(out.user).toMatchObject({ ok: true, from_input_cache: true, access_token_hash: hash(userAt[0]?.secret ?? '') })
    // 1.21 reads app tokens from the cache through acquire_token_silent(account=None)...
    expect(out.app_silent).toMatchObject({ ok: true, from_input_cache: true, access_token_hash: hash(appAt[0]?.secret ?? '') })
    // ...while acquire_token_for_client always asks the token endpoint (1.21 does not look in the cache).
    expect(out.app_for_client).toMatchObject({ ok: true, from_input_cache: false })
    expect(tokenRequests(ctx.idp.requests)).toEqual(['client_credentials'])
  })

  it("lets MSAL Python redeem authfold's refresh token when the access token is gone, and authfold reads the result back", async () => {
    const env = pythonEnvironment(ctx)
    const s = await authfoldSignIn(ctx, env)
    const withoutAt = JSON.parse(serialize(s)) as { AccessToken: Record<string, unknown> }
    withoutAt.AccessToken = {}
    ctx.idp.clearRequests()
    const out = await runScript(ctx, 'msal_python_silent.py', { ...silentInput(ctx, JSON.stringify(withoutAt)), confidential: undefined })
    expect(out.user).toMatchObject({ ok: true, from_input_cache: false })
    expect(tokenRequests(ctx.idp.requests)).toEqual(['refresh_token'])
    const back = read(out.cache)
    const at = findAccessTokens({ clientId: INTEROP.publicClientId, environments: [env], realm: ctx.idp.tenantId, homeAccountId: ctx.homeAccountId, scopes: INTEROP.userScopes })(back)
    expect(at.map((a) => hash(a.secret))).toEqual([out.user?.access_token_hash])
    // authfold keys refresh tokens as MSAL Python does (`…-refreshtoken-<client>--<target>`, from the
    // entry's fields), so MSAL Python's update_rt lands on authfold's entry: one refresh token, rotated.
    const rtQuery = { homeAccountId: ctx.homeAccountId, environments: [env], clientId: INTEROP.publicClientId }
    expect(findRefreshTokens(rtQuery)(back)).toHaveLength(1)
    expect(findRefreshTokens(rtQuery)(back)[0]?.secret).not.toBe(findRefreshTokens(rtQuery)(s)[0]?.secret)
    expect(findRefreshTokens(rtQuery)(await authfoldSignIn(ctx, env, back))).toHaveLength(1)
  })
})
