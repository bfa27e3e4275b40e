import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientSecret, type HttpClient } from '@authfold/core'
import { serialize } from '@authfold/cache'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient } from './confidentialClient.js'

// The local identity provider plays three parts here: the instance metadata service (IMDS),
// the global Entra endpoint and the regional one. A hosts-file-like HttpClient sends
// login.microsoftonline.com and westus2.login.microsoft.com to it and records which host
// each request was meant for.
let idp: IdentityProvider
let imdsAnswer: { status: number; text: string } = { status: 200, text: 'WestUS2' }
const asked: string[] = []

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'regional-app', secret: 'regional-secret' })
  idp.addRoute((req) =>
    req.path === '/metadata/instance/compute/location'
      ? req.headers['metadata'] === 'true' && req.query['format'] === 'text'
        ? imdsAnswer
        : { status: 400, json: { error: 'Bad request. Required metadata header not specified' } }
      : undefined,
  )
})
afterAll(async () => idp.stop())

const hostsFile =
  (inner: HttpClient, hosts: ReadonlyArray<string>): HttpClient =>
  (req) => {
    const url = new URL(req.url)
    asked.push(`${req.method} ${url.host}${url.pathname}`)
    if (hosts.includes(url.host)) {
      url.host = idp.host
      return inner({ ...req, url: url.toString() })
    }
    return inner(req)
  }

const app = () =>
  createConfidentialClient({
    clientId: 'regional-app',
    authority: `https://login.microsoftonline.com/${idp.tenantId}`,
    credential: clientSecret('regional-secret'),
    http: hostsFile(nodeHttpClient({ ca: idp.ca }), ['login.microsoftonline.com', 'westus2.login.microsoft.com']),
    azureRegion: true,
    regionDetection: { imdsEndpoint: `${idp.url}/metadata/instance/compute/location?format=text&api-version=2021-01-01` },
  })

describe('azureRegion against a real metadata service', () => {
  it('detects the region from IMDS, discovers the regional endpoint, and caches under the global cloud', async () => {
    asked.length = 0
    imdsAnswer = { status: 200, text: 'WestUS2' }
    const client = app()
    const result = await client.acquireTokenForClient(['api://r/.default'])
    expect(result.token_source).toBe('identity_provider')
    expect(asked).toContain(`GET ${idp.host}/metadata/instance/compute/location`)
    expect(asked).toContain(`GET westus2.login.microsoft.com/${idp.tenantId}/v2.0/.well-known/openid-configuration`)
    const cache = await client.cacheStore.load()()
    expect(cache._tag === 'Right' && serialize(cache.right)).toContain('"environment":"login.microsoftonline.com"') // the authority's host, as MSAL Python writes it
    expect((await client.acquireTokenForClient(['api://r/.default'])).token_source).toBe('cache')
  })

  it('falls back to the global endpoint when the metadata service fails', async () => {
    asked.length = 0
    imdsAnswer = { status: 500, text: 'down' }
    const result = await app().acquireTokenForClient(['api://r/.default'])
    expect(result.token_source).toBe('identity_provider')
    expect(asked.some((a) => a.includes('westus2.'))).toBe(false)
    expect(asked.filter((a) => a.startsWith('POST ') && a.endsWith('/oauth2/v2.0/token'))).toHaveLength(1)
  })
})
