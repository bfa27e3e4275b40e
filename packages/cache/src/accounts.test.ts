import { describe, expect, it } from 'vitest'
import { getAccounts, removeAccountEntity } from './accounts.js'
import { addTokenResponse, type TokenEvent } from './fold.js'
import { emptyCache } from './state.js'

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const ev = (uid: string, environment: string, realm: string, claims: Record<string, unknown>, extra: Partial<TokenEvent> = {}): TokenEvent => ({
  clientId: 'c',
  environment,
  realm,
  scopes: ['a'],
  nowSeconds: 1,
  response: { access_token: 'x', client_info: b64({ uid, utid: 't' }), id_token: `h.${b64({ sub: `sub-${uid}`, ...claims })}.s` },
  ...extra,
})

describe('accounts', () => {
  const s = [
    ev('u1', 'login.microsoftonline.com', 'contoso', { oid: 'o1', preferred_username: 'John@Contoso.com' }),
    ev('u1', 'login.microsoftonline.com', 'fabrikam', { oid: 'o1b', preferred_username: 'John@Contoso.com' }),
    ev('u2', 'login.windows.net', 'contoso', { upn: 'jane@contoso.com' }),
    ev('u3', 'login.example.com', 'contoso', { email: 'mail@contoso.com' }),
    ev('u4', 'login.example.com', 'contoso', {}, { username: 'ropc@contoso.com', grantType: 'password' }),
  ].reduce((acc, e) => addTokenResponse(e)(acc), emptyCache)

  it('builds accounts from client_info and id_token claims (username from preferred_username / upn / email / ROPC)', () => {
    const byHome = (h: string) => getAccounts({ homeAccountId: h })(s).map((a) => [a.realm, a.local_account_id, a.username]).sort()
    expect(byHome('u1.t')).toEqual([
      ['contoso', 'o1', 'John@Contoso.com'],
      ['fabrikam', 'o1b', 'John@Contoso.com'],
    ])
    expect(byHome('u2.t')).toEqual([['contoso', 'sub-u2', 'jane@contoso.com']])
    expect(byHome('u3.t')).toEqual([['contoso', 'sub-u3', 'mail@contoso.com']])
    expect(getAccounts({ homeAccountId: 'U4.T' })(s)[0]).toMatchObject({ username: 'ropc@contoso.com', account_source: 'password', authority_type: 'MSSTS' })
  })

  it('filters by username (case-insensitive), environment aliases, realm', () => {
    expect(getAccounts({ username: 'john@contoso.com' })(s)).toHaveLength(2)
    expect(getAccounts({ username: 'john@contoso.com', realm: 'FABRIKAM' })(s)).toHaveLength(1)
    expect(getAccounts({ environments: ['login.windows.net', 'login.microsoftonline.com'] })(s)).toHaveLength(3)
    expect(getAccounts({ environments: ['login.windows.net'], homeAccountId: 'u1.t' })(s)).toEqual([])
    expect(getAccounts()(s)).toHaveLength(5)
  })

  it('removeAccountEntity removes exactly that entry', () => {
    const [a] = getAccounts({ homeAccountId: 'u2.t' })(s)
    if (a === undefined) throw new Error('missing')
    const s2 = removeAccountEntity(a)(s)
    expect(getAccounts()(s2)).toHaveLength(4)
    expect(removeAccountEntity(a)(s2)).toBe(s2)
  })
})
