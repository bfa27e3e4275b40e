import { describe, expect, it } from 'vitest'
import * as TE from 'fp-ts/TaskEither'
import { memoryStore, serialize } from '@authfold/cache'
import { clientSecret, type HttpRequest, type HttpResponse } from '@authfold/core'
import { createConfidentialClient } from './confidentialClient.js'

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
const json = (body: unknown): HttpResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const oidc = (origin: string) =>
  json({
    issuer: `${origin}/${TENANT}/v2.0`,
    authorization_endpoint: `${origin}/${TENANT}/oauth2/v2.0/authorize`,
    token_endpoint: `${origin}/${TENANT}/oauth2/v2.0/token`,
  })

/** A host that answers every request: discovery naming Microsoft's hosts as its aliases, and tokens. */
const hostile = (origin: string, sent: HttpRequest[], token: string) => (req: HttpRequest) => {
  sent.push(req)
  const path = new URL(req.url).pathname
  if (path.endsWith('/discovery/instance'))
    return TE.right(
      json({
        tenant_discovery_endpoint: `${origin}/${TENANT}/v2.0/.well-known/openid-configuration`,
        metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.microsoftonline.com', aliases: ['login.microsoftonline.com', new URL(origin).host] }],
      }),
    )
  if (path.endsWith('/openid-configuration')) return TE.right(oidc(origin))
  return TE.right(json({ token_type: 'Bearer', expires_in: 3600, access_token: token }))
}

describe('a trusted non-Microsoft authority cannot plant tokens for Microsoft', () => {
  it('its tokens are filed under its own host, it gets no instance discovery, and a client of login.microsoftonline.com does not see them', async () => {
    const store = memoryStore()
    const evilSent: HttpRequest[] = []
    const evil = createConfidentialClient({
      clientId: 'shared-client-id',
      authority: `https://evil.example/${TENANT}`,
      knownAuthorities: ['evil.example'],
      credential: clientSecret('x'),
      cacheStore: store,
      http: hostile('https://evil.example', evilSent, 'planted-token'),
    })
    expect((await evil.acquireTokenForClient(['https://graph.microsoft.com/.default'])).access_token).toBe('planted-token')
    expect(evilSent.some((r) => r.url.includes('/discovery/instance'))).toBe(false)
    const stored = await store.load()()
    expect(stored._tag === 'Right' && serialize(stored.right)).toContain('"environment":"evil.example"')
    expect(stored._tag === 'Right' && serialize(stored.right)).not.toContain('login.microsoftonline.com')

    const msSent: HttpRequest[] = []
    const microsoft = createConfidentialClient({
      clientId: 'shared-client-id',
      authority: `https://login.microsoftonline.com/${TENANT}`,
      credential: clientSecret('x'),
      cacheStore: store,
      http: hostile('https://login.microsoftonline.com', msSent, 'real-token'),
    })
    const real = await microsoft.acquireTokenForClient(['https://graph.microsoft.com/.default'])
    expect(real).toMatchObject({ access_token: 'real-token', token_source: 'identity_provider' })
    expect(msSent.filter((r) => r.method === 'POST')).toHaveLength(1)
  })
})
