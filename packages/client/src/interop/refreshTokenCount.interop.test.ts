/**
 * How many refresh tokens a silent refresh leaves, for every writer / refresher pair of
 * authfold, MSAL Python 1.21 and msal-node 7.2.3 (on `login.microsoftonline.com` routed to
 * the local IdP): the writer signs the user in, the refresher refreshes silently with
 * force refresh (one `refresh_token` request on the IdP's log), and the final cache JSON is
 * counted for that account and client. The keys each library writes are asserted too, as
 * they are the reason for every count other than one (README, "Cache interop").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENTRA_HOST, INTEROP, entraInput, routedHttp, runScript, startInteropIdp, type InteropIdp, type Step } from '../../../../scripts/interop/harness.js'
import { createPublicClient, type PublicClient } from '../publicClient.js'

type Library = 'authfold' | 'MSAL Python 1.21' | 'msal-node 7.2.3'
type Entry = Readonly<Record<string, unknown>>

let ctx: InteropIdp

const app = (): PublicClient => createPublicClient({ clientId: INTEROP.publicClientId, authority: `https://${ENTRA_HOST}/${ctx.idp.tenantId}`, http: routedHttp(ctx) })
const script = (library: Library) => (library === 'MSAL Python 1.21' ? 'msal_python_steps.py' : 'msal_node_steps.mjs')
const steps = async (library: Library, step: Step, cache?: string): Promise<string> => {
  const out = await runScript(ctx, script(library), { ...entraInput(ctx), ...(cache === undefined ? {} : { cache }), steps: [step] })
  expect(out.results?.[0]).toMatchObject({ ok: true })
  return out.cache
}

const signIn = async (library: Library): Promise<string> => {
  if (library !== 'authfold')
    return steps(library, { op: 'password', client_id: INTEROP.publicClientId, username: INTEROP.username, password: ctx.password, scopes: INTEROP.userScopes })
  const a = app()
  await a.acquireTokenByUsernamePassword(INTEROP.username, ctx.password, INTEROP.userScopes)
  return a.serializeCache()
}

const refresh = async (library: Library, cache: string): Promise<string> => {
  if (library !== 'authfold')
    return steps(library, { op: 'silent', client_id: INTEROP.publicClientId, username: INTEROP.username, scopes: INTEROP.userScopes, force_refresh: true }, cache)
  const a = app()
  await a.deserializeCache(cache)
  const [account] = await a.getAccounts(INTEROP.username)
  const got = await a.acquireTokenSilent(INTEROP.userScopes, account ?? null, { forceRefresh: true })
  expect(got?.token_source).toBe('identity_provider')
  return a.serializeCache()
}

/** The RefreshToken keys of this account and client, with the key suffix after the home account id. */
const refreshTokenKeys = (json: string): ReadonlyArray<string> =>
  Object.entries((JSON.parse(json) as Record<string, Record<string, Entry>>)['RefreshToken'] ?? {})
    .filter(([, e]) => e['home_account_id'] === ctx.homeAccountId && e['client_id'] === INTEROP.publicClientId)
    .map(([k]) => k.slice(ctx.homeAccountId.length + 1))
    .sort()

// The key each library files this user's refresh token under (after `<home_account_id>-`).
// authfold and MSAL Python 1.21: `<env>-refreshtoken-<client_id>--<target>` (6 parts), in the
// authority's host, the target being the answer's scopes.
const PYTHON_KEY = `${ENTRA_HOST}-refreshtoken-${INTEROP.publicClientId}--user.read openid profile`
// msal-node 7.2.3: `<env>-refreshtoken-<family_id or client_id>-<realm>-<target>-<scheme>` (7 parts,
// realm, target and scheme empty for a refresh token), in the alias group's preferred_cache.
const NODE_KEY = `login.windows.net-refreshtoken-${INTEROP.publicClientId}---`
// MSAL Python's update_rt on msal-node's entry: its 6-part key from that entry's fields
// (msal-node's environment, no target): one dash short of msal-node's key.
const PYTHON_KEY_OF_NODE_ENTRY = `login.windows.net-refreshtoken-${INTEROP.publicClientId}--`
const KEY_OF: Readonly<Record<Library, string>> = { authfold: PYTHON_KEY, 'MSAL Python 1.21': PYTHON_KEY, 'msal-node 7.2.3': NODE_KEY }

/**
 * writer, refresher, the keys left (sorted). One where the refresher writes under the key
 * the writer used: the same key rule, or authfold, which refreshes in place under the stored
 * key whatever it is. Two where msal-node refreshes a Python-layout entry (it saves the new
 * token under its own key and never removes the one it redeemed) and where MSAL Python
 * refreshes msal-node's entry (update_rt writes under the key it computes from the entry).
 */
const PAIRS: ReadonlyArray<readonly [Library, Library, ReadonlyArray<string>]> = [
  ['authfold', 'authfold', [PYTHON_KEY]],
  ['authfold', 'MSAL Python 1.21', [PYTHON_KEY]],
  ['authfold', 'msal-node 7.2.3', [PYTHON_KEY, NODE_KEY]],
  ['MSAL Python 1.21', 'authfold', [PYTHON_KEY]],
  ['MSAL Python 1.21', 'MSAL Python 1.21', [PYTHON_KEY]],
  ['MSAL Python 1.21', 'msal-node 7.2.3', [PYTHON_KEY, NODE_KEY]],
  ['msal-node 7.2.3', 'authfold', [NODE_KEY]],
  ['msal-node 7.2.3', 'MSAL Python 1.21', [PYTHON_KEY_OF_NODE_ENTRY, NODE_KEY]],
  ['msal-node 7.2.3', 'msal-node 7.2.3', [NODE_KEY]],
]

beforeAll(async () => {
  ctx = await startInteropIdp({ publicHost: ENTRA_HOST })
})
afterAll(async () => {
  await ctx.stop()
})

describe('refresh tokens left for one account and client after a silent refresh, every writer / refresher pair', () => {
  for (const [writer, refresher, keys] of PAIRS) {
    it(`${writer} signs in, ${refresher} refreshes: ${keys.length} refresh token${keys.length === 1 ? '' : 's'}`, async () => {
      const written = await signIn(writer)
      expect(refreshTokenKeys(written)).toEqual([KEY_OF[writer]])
      ctx.idp.clearRequests()
      const after = await refresh(refresher, written)
      expect(ctx.idp.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token')).map((r) => r.form['grant_type'])).toEqual(['refresh_token'])
      expect(refreshTokenKeys(after)).toEqual(keys)
      // authfold, refreshing afterwards, redeems the newest of the two in place and removes the
      // other (the account's refresh tokens for the same app across the authority's aliases): one is left.
      if (keys.length === 2) {
        const collapsed = refreshTokenKeys(await refresh('authfold', after))
        expect(collapsed).toHaveLength(1)
        expect(keys).toContain(collapsed[0])
      }
    })
  }
})
