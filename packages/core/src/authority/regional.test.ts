/**
 * Regional endpoints are for Entra authorities only. A B2C or ADFS authority with
 * `azureRegion` keeps its central endpoints and sends nothing for the region (no IMDS
 * probe, no regional discovery).
 *
 * Note: MSAL Python 1.21 does not make this exception: tried with the real library
 * (`ConfidentialClientApplication(..., azure_region="westus2")`), it sends the B2C token
 * request to `https://westus2.fabrikamb2c.b2clogin.com/...` and the ADFS one to
 * `https://westus2.fs.contoso.com/...`, hosts that do not exist. authfold keeps them
 * central, as the regional service (ESTS-R) serves Entra tenants only.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import type { GrantEnv } from '../env/env.js'
import type { HttpRequest, HttpResponse } from '../http/http.js'
import { parseAuthority } from './parse.js'
import { regionalOrCentral, resolveAuthority } from './resolve.js'
import type { AzureRegion } from './region.js'

/** Answers every discovery GET with endpoints under the requested URL's directory. */
const envWith = () => {
  const sent: Array<string> = []
  const env: GrantEnv = {
    http: (req: HttpRequest) => {
      sent.push(req.url)
      const base = req.url.replace(/(\/v2\.0)?\/\.well-known\/openid-configuration.*$/, '')
      const answer: HttpResponse = {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ issuer: base, authorization_endpoint: `${base}/oauth2/authorize`, token_endpoint: `${base}/oauth2/token` }),
      }
      return TE.right(answer)
    },
    now: () => 0,
    random: (n) => new Uint8Array(n),
    sleep: () => () => Promise.resolve(),
    log: () => undefined,
  }
  return { env, sent }
}

const resolveWith = async (url: string, azureRegion: AzureRegion) => {
  const a = parseAuthority(url)
  if (E.isLeft(a)) throw new Error(a.left.message)
  const { env, sent } = envWith()
  const r = await resolveAuthority(a.right, { azureRegion, regionDetection: { imdsTimeoutMs: 50 } })(env)()
  if (E.isLeft(r)) throw new Error(r.left.message)
  return { resolved: r.right, sent }
}

const B2C = 'https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/b2c_1_signin'

describe('azureRegion on authorities that are not Entra', () => {
  it.each<[string, AzureRegion]>([
    ['a region name', 'westus2'],
    ['detection', true],
  ])('B2C with %s: central endpoints, only tenant discovery sent', async (_, azureRegion) => {
    const { resolved, sent } = await resolveWith(B2C, azureRegion)
    expect(sent).toEqual([`${B2C}/v2.0/.well-known/openid-configuration`])
    expect(resolved.regional).toBeUndefined()
    expect(regionalOrCentral(resolved).metadata.token_endpoint).toBe(`${B2C}/oauth2/token`)
    expect(resolved.environment).toBe('fabrikamb2c.b2clogin.com')
  })

  it.each<[string, AzureRegion]>([
    ['a region name', 'westus2'],
    ['detection', true],
  ])('ADFS with %s: central endpoints, only tenant discovery sent', async (_, azureRegion) => {
    const { resolved, sent } = await resolveWith('https://fs.contoso.com/adfs', azureRegion)
    expect(sent).toEqual(['https://fs.contoso.com/adfs/.well-known/openid-configuration'])
    expect(resolved.regional).toBeUndefined()
    expect(regionalOrCentral(resolved).metadata.token_endpoint).toBe('https://fs.contoso.com/adfs/oauth2/token')
  })

  it('the same call on Entra does go regional (the control case)', async () => {
    const { resolved, sent } = await resolveWith('https://login.microsoftonline.com/contoso.com', 'westus2')
    expect(sent).toEqual([
      'https://login.microsoftonline.com/contoso.com/v2.0/.well-known/openid-configuration',
      'https://westus2.login.microsoft.com/contoso.com/v2.0/.well-known/openid-configuration',
    ])
    expect(regionalOrCentral(resolved).metadata.token_endpoint).toBe('https://westus2.login.microsoft.com/contoso.com/oauth2/token')
    expect(resolved.environment).toBe('login.microsoftonline.com')
  })
})
