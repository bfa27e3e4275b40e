/**
 * SSH certificates for a signed-in user through acquireTokenSilent (as `az ssh` asks MSAL
 * Python: `acquire_token_silent(scopes, account, data={"token_type": "ssh-cert", "key_id":
 * ..., "req_cnf": ...})`), over real HTTPS against the local IdP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HttpClient } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createPublicClient } from './publicClient.js'
import type { AuthFailure } from './failure.js'

const SCOPE = 'https://pas.windows.net/CheckMyAccess/Linux/.default'
const JWK1 = '{"kty":"RSA","n":"wO7e8w","e":"AQAB","kid":"key1"}'
const JWK2 = '{"kty":"RSA","n":"y4Xp2Q","e":"AQAB","kid":"key2"}'
const PASSWORD = 'ssh-user-pa55-local'

let idp: IdentityProvider
let sent: Array<Readonly<Record<string, string>>> = []
const spying = (inner: HttpClient): HttpClient => (request) => {
  if (request.url.endsWith('/oauth2/v2.0/token') && request.body !== undefined) sent.push(Object.fromEntries(new URLSearchParams(request.body)))
  return inner(request)
}

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'ssh-cli' })
  idp.registerUser({ username: 'sam@authfold.test', password: PASSWORD })
})
afterAll(async () => idp.stop())

const signedIn = async () => {
  const app = createPublicClient({ clientId: 'ssh-cli', authority: idp.authority(), http: spying(nodeHttpClient({ ca: idp.ca, timeoutMs: 2000 })), validateAuthority: false })
  await app.acquireTokenByUsernamePassword('sam@authfold.test', PASSWORD, [SCOPE])
  const [account] = await app.getAccounts()
  if (account === undefined) throw new Error('no account')
  return { app, account }
}
const accessTokens = async (json: string) => Object.values((JSON.parse(json) as Record<string, Record<string, Record<string, unknown>>>)['AccessToken'] ?? {})

describe('acquireTokenSilent with sshCertificate', () => {
  it('redeems the refresh token for a certificate (token_type, key_id, req_cnf sent), files it under the key id, then answers it from the cache', async () => {
    const { app, account } = await signedIn()
    sent = []
    const cert = await app.acquireTokenSilent([SCOPE], account, { sshCertificate: { keyId: 'key1', reqCnf: JWK1 } })
    expect(cert).toMatchObject({ token_type: 'ssh-cert', token_source: 'identity_provider' })
    expect(cert?.access_token.startsWith('ssh-rsa-cert-v01@openssh.com ')).toBe(true)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ grant_type: 'refresh_token', token_type: 'ssh-cert', key_id: 'key1', req_cnf: JWK1 })
    const again = await app.acquireTokenSilent([SCOPE], account, { sshCertificate: { keyId: 'key1', reqCnf: JWK1 } })
    expect(again).toMatchObject({ access_token: cert?.access_token, token_source: 'cache' })
    expect(sent).toHaveLength(1)
    const entries = await accessTokens(await app.serializeCache())
    expect(entries.filter((e) => e['key_id'] === 'key1')).toEqual([expect.objectContaining({ token_type: 'ssh-cert', secret: cert?.access_token })])
    expect(entries.filter((e) => e['key_id'] === undefined)).toHaveLength(1) // the Bearer token of the sign-in stays
  })

  it('never answers a certificate to a Bearer call or to another key, nor a Bearer token to an SSH call', async () => {
    const { app, account } = await signedIn()
    const bearer = await app.acquireTokenSilent([SCOPE], account)
    expect(bearer).toMatchObject({ token_type: 'Bearer', token_source: 'cache' })
    sent = []
    const cert1 = await app.acquireTokenSilent([SCOPE], account, { sshCertificate: { keyId: 'key1', reqCnf: JWK1 } })
    const cert2 = await app.acquireTokenSilent([SCOPE], account, { sshCertificate: { keyId: 'key2', reqCnf: JWK2 } })
    expect(cert1?.token_source).toBe('identity_provider')
    expect(cert2?.token_source).toBe('identity_provider')
    expect(cert2?.access_token).not.toBe(cert1?.access_token)
    expect(sent.map((f) => f['key_id'])).toEqual(['key1', 'key2'])
    expect(await app.acquireTokenSilent([SCOPE], account)).toMatchObject({ access_token: bearer?.access_token, token_source: 'cache' })
  })

  it('a missing reqCnf or keyId is a ConfigError, as MSAL Python refuses it, and nothing is sent', async () => {
    const { app, account } = await signedIn()
    sent = []
    for (const [ssh, field] of [
      [{ keyId: 'key1', reqCnf: '' }, 'sshCertificate.reqCnf'],
      [{ keyId: '', reqCnf: JWK1 }, 'sshCertificate.keyId'],
    ] as const) {
      const failure = await app.acquireTokenSilent([SCOPE], account, { sshCertificate: ssh }).catch((e: AuthFailure) => e)
      expect((failure as AuthFailure).authError).toMatchObject({ _tag: 'ConfigError', field })
    }
    expect(sent).toHaveLength(0)
  })
})
