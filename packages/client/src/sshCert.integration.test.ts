/**
 * SSH certificates through acquireTokenForClient over real HTTPS against the local IdP.
 * Expected fields are MSAL Python's: `data={"token_type": "ssh-cert", "key_id": ..., "req_cnf": ...}`
 * joins the form as given, the answer's `token_type` and the `key_id` are written on the
 * AccessToken entry (token_cache.py: `if data.get("key_id"): at["key_id"] = ...`), and a
 * missing `req_cnf` or `key_id` is refused (`_validate_ssh_cert_input_data`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientSecret, type HttpClient } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient } from './confidentialClient.js'
import type { AuthFailure } from './failure.js'

const SECRET = 'ssh-app-secret-3!'
const SCOPE = 'https://pas.windows.net/CheckMyAccess/Linux/.default'
const JWK1 = '{"kty":"RSA","n":"wO7e8w","e":"AQAB","kid":"key1"}'
const JWK2 = '{"kty":"RSA","n":"y4Xp2Q","e":"AQAB","kid":"key2"}'

let idp: IdentityProvider
let sent: Array<Readonly<Record<string, string>>> = []
const spying = (inner: HttpClient): HttpClient => (request) => {
  if (request.url.endsWith('/oauth2/v2.0/token') && request.body !== undefined) sent.push(Object.fromEntries(new URLSearchParams(request.body)))
  return inner(request)
}
const app = () =>
  createConfidentialClient({
    clientId: 'ssh-app',
    authority: idp.authority(),
    credential: clientSecret(SECRET),
    http: spying(nodeHttpClient({ ca: idp.ca, timeoutMs: 2000 })),
    validateAuthority: false,
  })
const tokenRequests = () => idp.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'))
const accessTokens = async (a: ReturnType<typeof app>) =>
  Object.entries((JSON.parse(await a.serializeCache()) as Record<string, Record<string, Record<string, unknown>>>)['AccessToken'] ?? {})

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'ssh-app', secret: SECRET })
})
afterAll(async () => idp.stop())

describe('acquireTokenForClient with sshCertificate over real HTTPS', () => {
  it('sends token_type, key_id and req_cnf as MSAL Python does and gets an ssh-cert token', async () => {
    const a = app()
    sent = []
    const cert = await a.acquireTokenForClient([SCOPE], { sshCertificate: { keyId: 'key1', reqCnf: JWK1 } })
    expect(cert).toMatchObject({ token_type: 'ssh-cert', token_source: 'identity_provider' })
    expect(cert.access_token.startsWith('ssh-rsa-cert-v01@openssh.com ')).toBe(true)
    expect(sent[0]).toMatchObject({ grant_type: 'client_credentials', scope: SCOPE, token_type: 'ssh-cert', key_id: 'key1', req_cnf: JWK1 })
    const entries = await accessTokens(a)
    expect(entries).toHaveLength(1)
    expect(entries[0]?.[1]).toMatchObject({ token_type: 'ssh-cert', key_id: 'key1', target: SCOPE, secret: cert.access_token })
  })

  it('keeps a Bearer token and SSH certificates of two keys side by side; each call gets its own from the cache', async () => {
    const a = app()
    const bearer = await a.acquireTokenForClient([SCOPE])
    const cert1 = await a.acquireTokenForClient([SCOPE], { sshCertificate: { keyId: 'key1', reqCnf: JWK1 } })
    const cert2 = await a.acquireTokenForClient([SCOPE], { sshCertificate: { keyId: 'key2', reqCnf: JWK2 } })
    expect(bearer.token_type).toBe('Bearer')
    expect(new Set([bearer.access_token, cert1.access_token, cert2.access_token]).size).toBe(3)
    const entries = await accessTokens(a)
    expect(entries.map(([, e]) => [e['token_type'], e['key_id']]).sort()).toEqual([['Bearer', undefined], ['ssh-cert', 'key1'], ['ssh-cert', 'key2']])
    expect(entries.map(([k]) => k).sort()).toEqual(
      [
        `-${idp.authority().split('/')[2]}-accesstoken-ssh-app-${idp.tenantId}-${SCOPE}`.toLowerCase(),
        `-${idp.authority().split('/')[2]}-accesstoken-ssh-app-${idp.tenantId}-${SCOPE}-ssh-cert`.toLowerCase() + '-key1',
        `-${idp.authority().split('/')[2]}-accesstoken-ssh-app-${idp.tenantId}-${SCOPE}-ssh-cert`.toLowerCase() + '-key2',
      ].sort(),
    )
    idp.clearRequests()
    expect(await a.acquireTokenForClient([SCOPE])).toMatchObject({ access_token: bearer.access_token, token_type: 'Bearer', token_source: 'cache' })
    expect(await a.acquireTokenForClient([SCOPE], { sshCertificate: { keyId: 'key1', reqCnf: JWK1 } })).toMatchObject({
      access_token: cert1.access_token,
      token_type: 'ssh-cert',
      token_source: 'cache',
    })
    expect(await a.acquireTokenForClient([SCOPE], { sshCertificate: { keyId: 'key2', reqCnf: JWK2 } })).toMatchObject({ access_token: cert2.access_token, token_source: 'cache' })
    expect(tokenRequests()).toHaveLength(0)
  })

  it('a Bearer call on a cache holding only an SSH certificate asks the IdP for a Bearer token', async () => {
    const a = app()
    const cert = await a.acquireTokenForClient([SCOPE], { sshCertificate: { keyId: 'key1', reqCnf: JWK1 } })
    idp.clearRequests()
    const bearer = await a.acquireTokenForClient([SCOPE])
    expect(bearer).toMatchObject({ token_type: 'Bearer', token_source: 'identity_provider' })
    expect(bearer.access_token).not.toBe(cert.access_token)
    expect(tokenRequests()).toHaveLength(1)
    expect(await accessTokens(a)).toHaveLength(2)
  })

  it('refuses a missing req_cnf or key_id before any request, as MSAL Python does', async () => {
    const a = app()
    idp.clearRequests()
    const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
      [{ keyId: 'key1' }, 'sshCertificate.reqCnf'],
      [{ keyId: 'key1', reqCnf: '' }, 'sshCertificate.reqCnf'],
      [{ reqCnf: JWK1 }, 'sshCertificate.keyId'],
      [{}, 'sshCertificate.reqCnf'],
    ]
    for (const [ssh, field] of cases) {
      const failure = (await a
        .acquireTokenForClient([SCOPE], { sshCertificate: ssh as { keyId: string; reqCnf: string } })
        .catch((e: unknown) => e)) as AuthFailure
      expect(failure.authError).toMatchObject({ _tag: 'ConfigError', code: 'invalid_argument', field })
    }
    expect(tokenRequests()).toHaveLength(0)
    expect(await accessTokens(a)).toHaveLength(0)
  })
})
