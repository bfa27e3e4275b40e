import { nodeHttpClient } from '@authfold/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIdentityProvider, type IdentityProvider } from '../server.js'
import { federatedRealmRoute } from './federatedRealm.js'

let idp: IdentityProvider

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.addRoute(
    federatedRealmRoute([
      {
        domain: 'fabrikam.test',
        federationMetadataUrl: 'https://adfs.fabrikam.test/adfs/services/trust/mex',
        federationActiveAuthUrl: 'https://adfs.fabrikam.test/adfs/services/trust/2005/usernamemixed',
      },
    ]),
  )
})
afterAll(async () => {
  await idp.stop()
})

const realm = async (segment: string): Promise<unknown> => {
  const r = await nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 })({ method: 'GET', url: `${idp.url}/common/userrealm/${segment}?api-version=1.0`, headers: {} })()
  if (r._tag === 'Left') throw new Error(r.left.message)
  expect(r.right.status).toBe(200)
  return JSON.parse(r.right.body)
}

describe('federatedRealmRoute', () => {
  it("answers a federated domain's users with Entra's Federated realm (WS-Trust, MEX and active endpoint), any case, @ encoded or not", async () => {
    const expected = {
      ver: '1.0',
      account_type: 'Federated',
      domain_name: 'fabrikam.test',
      federation_protocol: 'WSTrust',
      federation_metadata_url: 'https://adfs.fabrikam.test/adfs/services/trust/mex',
      federation_active_auth_url: 'https://adfs.fabrikam.test/adfs/services/trust/2005/usernamemixed',
      cloud_instance_name: 'authfold.test',
      cloud_audience_urn: 'urn:federation:MicrosoftOnline',
    }
    expect(await realm('bob@fabrikam.test')).toEqual(expected)
    expect(await realm('Bob%40FABRIKAM.test')).toEqual(expected)
  })

  it('leaves other domains to the built-in route (Managed for the tenant domain, Unknown elsewhere)', async () => {
    expect(await realm('alice@authfold.test')).toMatchObject({ account_type: 'Managed', domain_name: 'authfold.test' })
    expect(await realm('carol@elsewhere.example')).toEqual({ ver: '1.0', account_type: 'Unknown', cloud_instance_name: 'authfold.test' })
  })
})
