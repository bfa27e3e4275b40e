/**
 * Lookups and writes cost the same in a small cache and a large one: checked by counting
 * the entries a lookup visits and the entries a write changes, not by wall time.
 */
import { describe, expect, it } from 'vitest'
import { accessTokenCandidates, findAccessTokens } from './accessTokens.js'
import { getAccounts } from './accounts.js'
import { addTokenResponse, type TokenEvent } from './fold.js'
import { hamtDiff, hamtGet, type HamtNode } from './hamt.js'
import { findRefreshTokens } from './refreshTokens.js'
import { removeAccount, removeAppTokens } from './remove.js'
import { emptyCache, type CacheState } from './state.js'

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')

const userEvent = (i: number, now = 1000): TokenEvent => ({
  clientId: `client-${i % 7}`,
  environment: 'login.microsoftonline.com',
  realm: `tenant-${i % 13}`,
  scopes: ['User.Read', `api://x/s${i % 3}`],
  nowSeconds: now,
  response: {
    access_token: `at-${i}`,
    expires_in: 3600,
    refresh_token: `rt-${i}`,
    client_info: b64({ uid: `u${i}`, utid: `t${i % 13}` }),
    id_token: `h.${b64({ sub: `s${i}`, oid: `o${i}`, preferred_username: `user${i}@contoso.com` })}.s`,
  },
})

const appEvent = (i: number): TokenEvent => ({
  clientId: `daemon-${i % 5}`,
  environment: 'login.microsoftonline.com',
  realm: `tenant-${i}`,
  scopes: ['https://graph.microsoft.com/.default'],
  nowSeconds: 1000,
  response: { access_token: `app-${i}`, expires_in: 3600 },
})

const build = (users: number, apps: number): CacheState => {
  let s = emptyCache
  for (let i = 0; i < users; i++) s = addTokenResponse(userEvent(i))(s)
  for (let i = 0; i < apps; i++) s = addTokenResponse(appEvent(i))(s)
  return s
}

const countNodes = (n: HamtNode<unknown> | undefined, shared: Set<unknown>): number => {
  if (n === undefined || shared.has(n)) return 0
  if (n.t === 1) return 1 + n.children.reduce((acc, c) => acc + countNodes(c, shared), 0)
  return 1
}
const allNodes = (n: HamtNode<unknown> | undefined, out: Set<unknown>): Set<unknown> => {
  if (n === undefined) return out
  out.add(n)
  if (n.t === 1) for (const c of n.children) allNodes(c, out)
  return out
}

describe('cost does not grow with the cache', () => {
  const small = build(10, 10)
  const large = build(4000, 4000)

  it('an access-token lookup visits the same few entries in a small and a large cache', () => {
    const q = {
      clientId: 'client-3',
      environments: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com'],
      realm: 'tenant-3',
      homeAccountId: 'u3.t3',
      scopes: ['user.read'],
    }
    expect(accessTokenCandidates(q)(small)).toHaveLength(1)
    expect(accessTokenCandidates(q)(large)).toHaveLength(1)
    expect(findAccessTokens(q)(large).map((a) => a.secret)).toEqual(['at-3'])
    const app = { clientId: 'daemon-2', environments: ['login.microsoftonline.com'], realm: 'tenant-7', homeAccountId: '', scopes: [] }
    expect(accessTokenCandidates(app)(small)).toHaveLength(1)
    expect(accessTokenCandidates(app)(large)).toHaveLength(1)
  })

  it('refresh-token and account lookups touch only the account', () => {
    expect(findRefreshTokens({ homeAccountId: 'u42.t3', environments: ['login.microsoftonline.com'], clientId: 'client-0' })(large).map((r) => r.secret)).toEqual(['rt-42'])
    expect(getAccounts({ username: 'USER42@contoso.com' })(large)).toHaveLength(1)
  })

  it('a fold into 8,000 entries changes one access token and allocates only a path of trie nodes', () => {
    const next = addTokenResponse(appEvent(123_456))(large)
    expect(hamtDiff(large.accessTokens.entries, next.accessTokens.entries)).toHaveLength(1)
    const fresh = countNodes(next.accessTokens.entries.root, allNodes(large.accessTokens.entries.root, new Set()))
    expect(fresh).toBeLessThanOrEqual(8)
    expect(hamtGet(large.accessTokens.entries, 'x')).toBeUndefined()
  })

  it('removals stay local too', () => {
    const a = removeAccount({ clientId: 'client-1', homeAccountId: 'u1.t1', environment: 'login.microsoftonline.com' })(large)
    expect(hamtDiff(large.accessTokens.entries, a.accessTokens.entries)).toHaveLength(1)
    expect(hamtDiff(large.accounts.entries, a.accounts.entries)).toHaveLength(1)
    const r = removeAppTokens({ clientId: 'daemon-1', realm: 'tenant-11' })(large)
    expect(hamtDiff(large.accessTokens.entries, r.accessTokens.entries)).toHaveLength(1)
  })
})
