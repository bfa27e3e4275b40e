/**
 * FOCI, guest tenants and on-behalf-of caches moving between authfold and the real
 * libraries (MSAL Python 1.21 by /usr/bin/python3, msal-node 7.2.3), both ways, on
 * `login.microsoftonline.com` routed to the local IdP (as entraHost.test.ts does), each
 * checked on the IdP's request log. The libraries run as child processes under the
 * harness's 20 s timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecordedRequest } from '@authfold/testing'
import { ENTRA_HOST, INTEROP, entraInput, routedHttp, runScript, startInteropIdp, tokenHash as hash, type InteropIdp, type Step } from '../../../../scripts/interop/harness.js'
import { createConfidentialClient } from '../confidentialClient.js'
import { createPublicClient, type PublicClient } from '../publicClient.js'
import { clientSecret } from '@authfold/core'

const FAMILY_A = 'f0c1a000-0000-4000-8000-00000000000a'
const FAMILY_B = 'f0c1b000-0000-4000-8000-00000000000b'
const GUEST_TENANT = '0b7c2d4e-1f3a-4b5c-8d9e-0a1b2c3d4e5f'
const MID_TIER = 'a1b2c3d4-0000-4000-8000-0000000000b0'
const FRONT = 'a1b2c3d4-0000-4000-8000-0000000000f0'
const DOWNSTREAM = ['api://downstream.authfold.test/read']
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

type Blob = Record<string, Record<string, Record<string, unknown>>>
type Library = 'msal_python_steps.py' | 'msal_node_steps.mjs'
const LIBRARIES: ReadonlyArray<readonly [string, Library]> = [
  ['MSAL Python 1.21', 'msal_python_steps.py'],
  ['msal-node 7.2.3', 'msal_node_steps.mjs'],
]

let ctx: InteropIdp
let assertion: string

const authority = (tenant: string = ctx.idp.tenantId): string => `https://${ENTRA_HOST}/${tenant}`
const publicApp = (clientId: string, tenant?: string): PublicClient => createPublicClient({ clientId, authority: authority(tenant), http: routedHttp(ctx) })
const midTier = () => createConfidentialClient({ clientId: MID_TIER, authority: authority(), credential: clientSecret(ctx.secret), http: routedHttp(ctx) })
const posts = (): ReadonlyArray<RecordedRequest> => ctx.idp.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token'))
/** `<grant> <client_id> <tenant>` of each token request. */
const asked = (): ReadonlyArray<string> => posts().map((r) => `${r.form['grant_type'] ?? ''} ${r.form['client_id'] ?? ''} ${r.path.split('/')[1] ?? ''}`)
const parse = (json: string): Blob => JSON.parse(json) as Blob
const entries = (json: string, section: string): ReadonlyArray<Record<string, unknown>> => Object.values(parse(json)[section] ?? {})
const pick = (e: Record<string, unknown>, ...fields: ReadonlyArray<string>) => Object.fromEntries(fields.map((f) => [f, e[f]]))
const steps = (library: Library, list: ReadonlyArray<Step>, cache?: string) => runScript(ctx, library, { ...entraInput(ctx), ...(cache === undefined ? {} : { cache }), steps: list })
const signInStep = (clientId: string, scopes: ReadonlyArray<string> = INTEROP.userScopes): Step => ({ op: 'password', client_id: clientId, username: INTEROP.username, password: ctx.password, scopes })
const silentStep = (clientId: string, extra: Partial<Step> = {}): Step => ({ op: 'silent', client_id: clientId, username: INTEROP.username, scopes: INTEROP.userScopes, ...extra })
const authfoldSignIn = async (clientId: string): Promise<string> => {
  const app = publicApp(clientId)
  await app.acquireTokenByUsernamePassword(INTEROP.username, ctx.password, INTEROP.userScopes)
  return app.serializeCache()
}
/** authfold's silent call for `clientId` (at `tenant`) on a cache another library wrote. */
const authfoldSilent = async (json: string, clientId: string, tenant?: string) => {
  const app = publicApp(clientId, tenant)
  await app.deserializeCache(json)
  const accounts = await app.getAccounts(INTEROP.username)
  const got = await app.acquireTokenSilent(INTEROP.userScopes, accounts[0] ?? null)
  return { accounts, got, cache: await app.serializeCache() }
}
/** msal-node reads a family refresh token only for an app its AppMetadata says is a family member. */
const withFamilyMetadata = (json: string, clientId: string, environment: string): string => {
  const blob = parse(json)
  return JSON.stringify({ ...blob, AppMetadata: { ...blob['AppMetadata'], [`appmetadata-${environment}-${clientId}`]: { client_id: clientId, environment, family_id: '1' } } })
}

beforeAll(async () => {
  ctx = await startInteropIdp({ publicHost: ENTRA_HOST })
  ctx.idp.registerClient({ clientId: FAMILY_A, foci: true })
  ctx.idp.registerClient({ clientId: FAMILY_B, foci: true })
  ctx.idp.registerClient({ clientId: FRONT })
  ctx.idp.registerClient({ clientId: MID_TIER, secret: ctx.secret })
  ctx.idp.addTenant({ tenantId: GUEST_TENANT, tenantDomain: 'fabrikam.test' })
  ctx.idp.inviteGuest(INTEROP.username, GUEST_TENANT)
  assertion = (await publicApp(FRONT).acquireTokenByUsernamePassword(INTEROP.username, ctx.password, [`api://${MID_TIER}/access_as_user`])).access_token
})
afterAll(async () => {
  await ctx.stop()
})

describe('FOCI: app A signs in, family app B is served silently with the family refresh token', () => {
  it('authfold writes -> MSAL Python 1.21 reads: B refreshes with A\'s family refresh token, AppMetadata for B gets family_id', async () => {
    const json = await authfoldSignIn(FAMILY_A)
    expect(entries(json, 'RefreshToken').map((e) => pick(e, 'client_id', 'family_id'))).toEqual([{ client_id: FAMILY_A, family_id: '1' }])
    expect(entries(json, 'AppMetadata').map((e) => pick(e, 'client_id', 'family_id'))).toEqual([{ client_id: FAMILY_A, family_id: '1' }])
    ctx.idp.clearRequests()
    const out = await steps('msal_python_steps.py', [silentStep(FAMILY_B)], json)
    expect(out.results?.[0]).toMatchObject({ ok: true, from_input_cache: false })
    // The one refresh token in the cache was A's: B's refresh redeemed it.
    expect(asked()).toEqual([`refresh_token ${FAMILY_B} ${ctx.idp.tenantId}`])
    expect(entries(out.cache, 'AppMetadata').map((e) => pick(e, 'client_id', 'family_id'))).toEqual([
      { client_id: FAMILY_A, family_id: '1' },
      { client_id: FAMILY_B, family_id: '1' },
    ])
    // MSAL Python's update_rt lands on A's entry (same key): still one refresh token, rotated.
    expect(entries(out.cache, 'RefreshToken').map((e) => pick(e, 'client_id', 'family_id'))).toEqual([{ client_id: FAMILY_A, family_id: '1' }])
  })

  it('authfold writes -> msal-node 7.2 reads: B is not served (no_tokens_found, no request), with or without AppMetadata for B, as with msal-node\'s own cache: its family lookup also requires client_id B', async () => {
    const json = await authfoldSignIn(FAMILY_A)
    ctx.idp.clearRequests()
    // msal-node's isAppMetadataFOCI: no AppMetadata for B, so no family lookup: no_tokens_found, no request.
    // (B has no IdToken, so msal-node's AccountInfo has username "": the script takes the one account.)
    const unseen = await steps('msal_node_steps.mjs', [silentStep(FAMILY_B)], json)
    expect(unseen.results?.[0]).toMatchObject({ ok: false, error: 'no_tokens_found' })
    // With B known as a family member (AppMetadata family_id 1), msal-common 16.17's getRefreshToken
    // filters the family lookup by { familyId: '1', clientId: B } and credentialMatchesFilter compares
    // client_id exactly: A's family token (client_id A) never matches, nor would any entry written for A.
    const known = withFamilyMetadata(json, FAMILY_B, ENTRA_HOST)
    const out = await steps('msal_node_steps.mjs', [silentStep(FAMILY_B)], known)
    expect(out.results?.[0]).toMatchObject({ ok: false, error: 'no_tokens_found' })
    expect(asked()).toEqual([])
    // The same cache with only the family token's client_id changed to B: msal-node redeems it for B.
    const relabelled = parse(known)
    for (const rt of Object.values(relabelled['RefreshToken'] ?? {})) rt['client_id'] = FAMILY_B
    const served = await steps('msal_node_steps.mjs', [silentStep(FAMILY_B)], JSON.stringify(relabelled))
    expect(served.results?.[0]).toMatchObject({ ok: true, from_cache: false })
    expect(asked()).toEqual([`refresh_token ${FAMILY_B} ${ctx.idp.tenantId}`])
  })

  it('msal-node 7.2 writes -> msal-node 7.2 reads: its own family token of A does not serve B either (no_tokens_found, no request)', async () => {
    const written = await steps('msal_node_steps.mjs', [signInStep(FAMILY_A)])
    expect(Object.keys(parse(written.cache)['RefreshToken'] ?? {})).toEqual([`${ctx.homeAccountId}-login.windows.net-refreshtoken-1---`])
    ctx.idp.clearRequests()
    const out = await steps('msal_node_steps.mjs', [silentStep(FAMILY_B)], withFamilyMetadata(written.cache, FAMILY_B, 'login.windows.net'))
    expect(out.results?.[0]).toMatchObject({ ok: false, error: 'no_tokens_found' })
    expect(asked()).toEqual([])
  })

  for (const [name, library] of LIBRARIES) {
    it(`${name} writes -> authfold reads: B refreshes with A's family refresh token and files AppMetadata for B with family_id`, async () => {
      const written = await steps(library, [signInStep(FAMILY_A)])
      expect(written.results?.[0]).toMatchObject({ ok: true })
      expect(entries(written.cache, 'RefreshToken').map((e) => pick(e, 'client_id', 'family_id'))).toEqual([{ client_id: FAMILY_A, family_id: '1' }])
      expect(entries(written.cache, 'AppMetadata').map((e) => pick(e, 'client_id', 'family_id'))).toEqual([{ client_id: FAMILY_A, family_id: '1' }])
      ctx.idp.clearRequests()
      const { got, cache } = await authfoldSilent(written.cache, FAMILY_B)
      expect(got?.token_source).toBe('identity_provider')
      expect(asked()).toEqual([`refresh_token ${FAMILY_B} ${ctx.idp.tenantId}`])
      expect(entries(cache, 'AppMetadata').map((e) => pick(e, 'client_id', 'family_id'))).toContainEqual({ client_id: FAMILY_B, family_id: '1' })
      expect(entries(cache, 'RefreshToken')).toHaveLength(1)
    })
  }
})

describe('guest tenant: signed in at home, a silent call for the guest authority uses the home refresh token', () => {
  const realms = (json: string, section: string) => entries(json, section).map((e) => e['realm']).sort()

  it('authfold writes -> MSAL Python 1.21 reads: AT and IdT for the guest realm, no second Account', async () => {
    const json = await authfoldSignIn(INTEROP.publicClientId)
    ctx.idp.clearRequests()
    const out = await steps('msal_python_steps.py', [silentStep(INTEROP.publicClientId, { authority: authority(GUEST_TENANT) })], json)
    expect(out.results?.[0]).toMatchObject({ ok: true, from_input_cache: false })
    expect(asked()).toEqual([`refresh_token ${INTEROP.publicClientId} ${GUEST_TENANT}`])
    expect(realms(out.cache, 'AccessToken')).toEqual([ctx.idp.tenantId, GUEST_TENANT].sort())
    expect(realms(out.cache, 'IdToken')).toEqual([ctx.idp.tenantId, GUEST_TENANT].sort())
    expect(realms(out.cache, 'Account')).toEqual([ctx.idp.tenantId])
    expect(entries(out.cache, 'RefreshToken')).toHaveLength(1)
  })

  it('authfold writes -> msal-node 7.2 reads: with the account\'s tenantId set to the guest tenant; with the home account object it answers the home realm\'s token', async () => {
    const json = await authfoldSignIn(INTEROP.publicClientId)
    const homeAt = entries(json, 'AccessToken').map((e) => hash(String(e['secret'])))
    ctx.idp.clearRequests()
    const out = await steps(
      'msal_node_steps.mjs',
      [
        // msal-node 7.2 takes the realm of its cache lookup from account.tenantId, not the authority.
        silentStep(INTEROP.publicClientId, { authority: authority(GUEST_TENANT) }),
        silentStep(INTEROP.publicClientId, { authority: authority(GUEST_TENANT), account_tenant: GUEST_TENANT }),
      ],
      json,
    )
    expect(out.results?.[0]).toMatchObject({ ok: true, from_cache: true, from_input_cache: true, access_token_hash: homeAt[0] })
    expect(out.results?.[1]).toMatchObject({ ok: true, from_cache: false })
    expect(asked()).toEqual([`refresh_token ${INTEROP.publicClientId} ${GUEST_TENANT}`])
    expect(realms(out.cache, 'AccessToken')).toEqual([ctx.idp.tenantId, GUEST_TENANT].sort())
    expect(realms(out.cache, 'IdToken')).toEqual([ctx.idp.tenantId, GUEST_TENANT].sort())
    // One Account entry (the home one, msal-node adds the guest tenant profile to it).
    expect(realms(out.cache, 'Account')).toEqual([ctx.idp.tenantId])
  })

  for (const [name, library] of LIBRARIES) {
    it(`${name} writes -> authfold reads: AT and IdT for the guest realm from the home refresh token, no second Account`, async () => {
      const written = await steps(library, [signInStep(INTEROP.publicClientId)])
      ctx.idp.clearRequests()
      const { accounts, got, cache } = await authfoldSilent(written.cache, INTEROP.publicClientId, GUEST_TENANT)
      expect(accounts.map((a) => a.realm)).toEqual([ctx.idp.tenantId])
      expect(got?.token_source).toBe('identity_provider')
      expect(asked()).toEqual([`refresh_token ${INTEROP.publicClientId} ${GUEST_TENANT}`])
      expect(realms(cache, 'AccessToken')).toEqual([ctx.idp.tenantId, GUEST_TENANT].sort())
      expect(realms(cache, 'IdToken')).toEqual([ctx.idp.tenantId, GUEST_TENANT].sort())
      expect(realms(cache, 'Account')).toEqual([ctx.idp.tenantId])
      expect(entries(cache, 'RefreshToken')).toHaveLength(1)
    })
  }
})

describe('on-behalf-of: the middle tier\'s cache (access token keyed by the user assertion hash)', () => {
  const oboStep = (): Step => ({ op: 'obo', client_id: MID_TIER, secret: ctx.secret, assertion, scopes: DOWNSTREAM })
  const atFields = (json: string) => entries(json, 'AccessToken').map((e) => pick(e, 'client_id', 'user_assertion_hash'))

  it('authfold writes -> msal-node 7.2 answers the same assertion from the cache (authfold writes the hash as userAssertionHash too); msal-node 7.2 writes -> authfold answers from the cache', async () => {
    const app = midTier()
    const first = await app.acquireTokenOnBehalfOf(assertion, DOWNSTREAM)
    const json = await app.serializeCache()
    const assertionHash = atFields(json)[0]?.['user_assertion_hash']
    expect(typeof assertionHash).toBe('string')
    // msal-node 7.2.3's Deserializer reads the hash from `userAssertionHash` only (and drops it from
    // refresh tokens); MSAL .NET / Java read `user_assertion_hash`: authfold writes both on the access token.
    expect(entries(json, 'AccessToken').map((e) => e['userAssertionHash'])).toEqual([assertionHash])
    ctx.idp.clearRequests()
    const node = await steps('msal_node_steps.mjs', [oboStep()], json)
    expect(node.results?.[0]).toMatchObject({ ok: true, from_cache: true, from_input_cache: true, access_token_hash: hash(first.access_token) })
    expect(asked()).toEqual([])

    const written = await steps('msal_node_steps.mjs', [oboStep()])
    expect(written.results?.[0]).toMatchObject({ ok: true, from_cache: false })
    // msal-node 7.2.3 serializes the hash as `userAssertionHash` (camelCase), the schema's name being
    // `user_assertion_hash`: the same value, under another field name.
    expect(entries(written.cache, 'AccessToken').map((e) => pick(e, 'client_id', 'user_assertion_hash', 'userAssertionHash'))).toEqual([
      { client_id: MID_TIER, user_assertion_hash: undefined, userAssertionHash: assertionHash },
    ])
    ctx.idp.clearRequests()
    const back = midTier()
    await back.deserializeCache(written.cache)
    const got = await back.acquireTokenOnBehalfOf(assertion, DOWNSTREAM)
    expect(got).toMatchObject({ token_source: 'cache' })
    expect(hash(got.access_token)).toBe(written.results?.[0]?.access_token_hash)
    expect(asked()).toEqual([])
  })

  it('MSAL Python 1.21 never answers on-behalf-of from its cache and writes no user_assertion_hash: each way, a jwt-bearer request', async () => {
    const app = midTier()
    await app.acquireTokenOnBehalfOf(assertion, DOWNSTREAM)
    ctx.idp.clearRequests()
    const python = await steps('msal_python_steps.py', [oboStep()], await app.serializeCache())
    expect(python.results?.[0]).toMatchObject({ ok: true, from_input_cache: false })
    expect(asked()).toEqual([`${JWT_BEARER} ${MID_TIER} ${ctx.idp.tenantId}`])

    const written = await steps('msal_python_steps.py', [oboStep()])
    expect(atFields(written.cache)).toEqual([{ client_id: MID_TIER, user_assertion_hash: undefined }])
    ctx.idp.clearRequests()
    const back = midTier()
    await back.deserializeCache(written.cache)
    // Absent matches absent only: a token with no assertion hash is not this assertion's.
    expect(await back.acquireTokenOnBehalfOf(assertion, DOWNSTREAM)).toMatchObject({ token_source: 'identity_provider' })
    expect(asked()).toEqual([`${JWT_BEARER} ${MID_TIER} ${ctx.idp.tenantId}`])
  })
})
