/**
 * The committed interop fixtures (caches MSAL Python 1.21.0 and msal-node 7.2.3 wrote after
 * real sign-ins against the local IdP, secrets redacted; regenerate with
 * `pnpm tsx scripts/interop/generate-fixtures.ts`) load in authfold, answer its lookups,
 * and survive a load-save cycle field for field. No child process: these run anywhere.
 */
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { findAccessTokens } from '../accessTokens.js'
import { getAccounts } from '../accounts.js'
import { deserialize } from '../deserialize.js'
import { findIdTokens } from '../idTokens.js'
import { findRefreshTokens } from '../refreshTokens.js'
import { serialize } from '../serialize.js'

const PUBLIC = 'a1b2c3d4-0000-4000-8000-00000000c11e'
const CONFIDENTIAL = 'a1b2c3d4-0000-4000-8000-0000000000a9'
const TENANT = 'a5f3c1d2-7b8e-4c6a-9d0f-1e2b3c4d5e6f'
const USERNAME = 'alice@authfold.test'

const cases = [
  { file: 'msal-python-1.21.0.json', environment: '127.0.0.1', appHomeAccountId: null },
  { file: 'msal-node-7.2.3.json', environment: '127.0.0.1:44300', appHomeAccountId: '' },
] as const

describe.each(cases)('$file', ({ file, environment, appHomeAccountId }) => {
  const json = readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')
  const parsed = deserialize(json)

  it('loads, and every lookup finds what the library wrote', () => {
    if (E.isLeft(parsed)) throw new Error(parsed.left.message)
    const s = parsed.right
    const [account, ...others] = getAccounts({ username: USERNAME })(s)
    expect(others).toEqual([])
    expect(account).toMatchObject({ environment, realm: TENANT, username: USERNAME, authority_type: 'MSSTS' })
    const homeAccountId = account?.home_account_id ?? ''
    expect(homeAccountId).toBe(`${account?.local_account_id ?? ''}.${TENANT}`)
    const base = { environments: [environment], realm: TENANT }
    expect(findAccessTokens({ ...base, clientId: PUBLIC, homeAccountId, scopes: ['User.Read'] })(s)).toHaveLength(1)
    const app = findAccessTokens({ ...base, clientId: CONFIDENTIAL, homeAccountId: '', scopes: ['https://graph.authfold.test/.default'] })(s)
    expect(app.map((a) => a.home_account_id)).toEqual([appHomeAccountId])
    expect(findRefreshTokens({ homeAccountId, environments: [environment], clientId: PUBLIC })(s)).toHaveLength(1)
    const [idToken] = findIdTokens({ homeAccountId, environments: [environment], clientId: PUBLIC, realm: TENANT })(s)
    expect(decodeJwt(idToken?.secret ?? '')).toMatchObject({ aud: PUBLIC, tid: TENANT, oid: account?.local_account_id, preferred_username: USERNAME, ver: '2.0' })
  })

  it('serializes back every entry and field, under the same keys', () => {
    if (E.isLeft(parsed)) throw new Error(parsed.left.message)
    expect(JSON.parse(serialize(parsed.right))).toEqual(JSON.parse(json))
  })
})
