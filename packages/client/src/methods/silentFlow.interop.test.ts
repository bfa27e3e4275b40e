/**
 * The silent flow's refresh side by side with MSAL Python 1.21's, against the same local
 * IdP: the same cache (an account signed in by authfold, its access token gone) handed to
 * both; the refresh requests they send and the caches they leave compared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecordedRequest } from '@authfold/testing'
import { ENTRA_HOST, INTEROP, entraAuthority, entraInput, routedHttp, runScript, startInteropIdp, type InteropIdp } from '../../../../scripts/interop/harness.js'
import { createPublicClient, type PublicClient } from '../publicClient.js'

let ctx: InteropIdp

// On login.microsoftonline.com (the IdP standing in for it), so that MSAL Python (which
// files entries under the host name without a port) and authfold name the same environment.
beforeAll(async () => {
  ctx = await startInteropIdp({ publicHost: ENTRA_HOST })
})
afterAll(async () => {
  await ctx.stop()
})

const publicApp = (): PublicClient => createPublicClient({ clientId: INTEROP.publicClientId, authority: entraAuthority(ctx), http: routedHttp(ctx) })
const tokenPosts = (): ReadonlyArray<RecordedRequest> => ctx.idp.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token'))
type Blob = Record<string, Record<string, Record<string, unknown>>>
const withoutAccessTokens = (cache: string): string => JSON.stringify({ ...(JSON.parse(cache) as Blob), AccessToken: {} })

describe('acquireTokenSilent beside MSAL Python 1.21 (no access token, the refresh token redeemed)', () => {
  it('sends the same refresh request and writes the same access token, ID token and account (no second Account)', async () => {
    const signIn = publicApp()
    await signIn.acquireTokenByUsernamePassword(INTEROP.username, ctx.password, INTEROP.userScopes)
    const seed = withoutAccessTokens(await signIn.serializeCache())
    const rtKeys = Object.keys((JSON.parse(seed) as Blob)['RefreshToken'] ?? {})

    ctx.idp.clearRequests()
    const python = await runScript(ctx, 'msal_python_silent.py', { ...entraInput(ctx), cache: seed, public: { client_id: INTEROP.publicClientId, username: INTEROP.username, scopes: INTEROP.userScopes } })
    expect(python['user']).toMatchObject({ ok: true })
    const theirs = tokenPosts()

    ctx.idp.clearRequests()
    const app = publicApp()
    await app.deserializeCache(seed)
    const [account] = await app.getAccounts(INTEROP.username)
    expect(python['accounts']).toEqual([account])
    expect((await app.acquireTokenSilent(INTEROP.userScopes, account ?? null))?.token_source).toBe('identity_provider')
    const ours = tokenPosts()

    expect(theirs).toHaveLength(1)
    expect(ours).toHaveLength(1)
    for (const post of [theirs[0], ours[0]]) {
      const { scope, ...form } = post?.form ?? {}
      expect(form).toEqual({ client_id: INTEROP.publicClientId, grant_type: 'refresh_token', client_info: '1', refresh_token: '<redacted>' })
      expect(scope).toBe('User.Read offline_access openid profile') // oauth2cli sorts the scopes
      expect(post?.headers['x-anchormailbox']).toBe(`Oid:${String(account?.home_account_id).replace('.', '@')}`)
      expect(post?.headers['x-client-current-telemetry']).toMatch(/^4\|84,2\|/)
    }

    const theirCache = JSON.parse(String(python['cache'])) as Blob
    const ourCache = JSON.parse(await app.serializeCache()) as Blob
    // update_rt in place: authfold keeps the redeemed entry's key; MSAL Python 1.21 recomputes the
    // key from the entry's fields (`…-refreshtoken-<client>--<target>`), which is the key authfold
    // wrote it under: both leave the one refresh token, rotated.
    expect(rtKeys).toEqual([`${ctx.homeAccountId}-login.microsoftonline.com-refreshtoken-${INTEROP.publicClientId}--user.read openid profile`])
    expect(Object.keys(ourCache['RefreshToken'] ?? {})).toEqual(rtKeys)
    expect(Object.keys(theirCache['RefreshToken'] ?? {})).toEqual(rtKeys)
    for (const cache of [theirCache, ourCache]) {
      expect(Object.keys(cache['AccessToken'] ?? {})).toHaveLength(1)
      expect(Object.keys(cache['Account'] ?? {})).toHaveLength(1)
      expect(Object.keys(cache['IdToken'] ?? {})).toHaveLength(1)
    }
    expect(Object.keys(ourCache['AccessToken'] ?? {})).toEqual(Object.keys(theirCache['AccessToken'] ?? {}))
  })
})
