/**
 * Which alias group an authority takes from an instance discovery answer. MSAL Python
 * 1.21 (`ClientApplication._get_authority_aliases`): the group whose `aliases` contain the
 * authority's host, else none, so only the host itself is read (`return []`).
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import type { GrantEnv } from '../env/env.js'
import type { HttpRequest, HttpResponse } from '../http/http.js'
import { parseAuthority } from './parse.js'
import { resolveEntraAuthority } from './discovery.js'
import type { ResolveAuthorityOptions } from './discovery.js'

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47'

const json = (body: unknown): HttpResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

const openIdConfig = (host: string) =>
  json({
    issuer: `https://${host}/${TENANT_ID}/v2.0`,
    authorization_endpoint: `https://${host}/${TENANT_ID}/oauth2/v2.0/authorize`,
    token_endpoint: `https://${host}/${TENANT_ID}/oauth2/v2.0/token`,
  })

const group = (...aliases: ReadonlyArray<string>) => ({ preferred_network: aliases[0], preferred_cache: aliases[0], aliases })

/** Answers instance discovery (any host) with `metadata`, tenant discovery with a configuration. */
const envWith = (metadata: ReadonlyArray<ReturnType<typeof group>>) => {
  const sent: Array<string> = []
  const env: GrantEnv = {
    http: (req: HttpRequest) => {
      sent.push(req.url.split('?')[0] ?? '')
      const url = new URL(req.url)
      return TE.right(
        url.pathname === '/common/discovery/instance'
          ? json({ tenant_discovery_endpoint: `https://login.contoso.net/contoso.com/v2.0/.well-known/openid-configuration`, metadata })
          : openIdConfig(url.host),
      )
    },
    now: () => 1_700_000_000_000,
    random: (n) => new Uint8Array(n),
    sleep: () => () => Promise.resolve(),
    log: () => undefined,
  }
  return { env, sent }
}

const resolve = async (metadata: ReadonlyArray<ReturnType<typeof group>>, options: ResolveAuthorityOptions = {}) => {
  const a = parseAuthority('https://login.contoso.net/contoso.com')
  if (E.isLeft(a)) throw new Error(a.left.message)
  const { env, sent } = envWith(metadata)
  const r = await resolveEntraAuthority(a.right, options)(env)()
  if (E.isLeft(r)) throw new Error(r.left.message)
  return { resolved: r.right, sent }
}

describe('alias groups from instance discovery', () => {
  it('a validating answer whose only group does not name the host: the host alone', async () => {
    const { resolved, sent } = await resolve([group('login.fabrikam.net', 'cache.fabrikam.net')])
    expect(sent).toEqual([
      'https://login.microsoftonline.com/common/discovery/instance',
      'https://login.contoso.net/contoso.com/v2.0/.well-known/openid-configuration',
    ])
    expect(resolved.environment).toBe('login.contoso.net')
    expect(resolved.aliases).toEqual(['login.contoso.net'])
  })

  it('the group that names the host is taken, wherever it stands in the answer', async () => {
    const { resolved } = await resolve([
      group('login.fabrikam.net', 'cache.fabrikam.net'),
      group('login.contoso.net', 'cache.contoso.net', 'sts.contoso.net'),
    ])
    expect(resolved.aliases).toEqual(['login.contoso.net', 'cache.contoso.net', 'sts.contoso.net'])
  })

  it('validateAuthority: false sends no instance discovery at all (as MSAL Python): the host is its only alias', async () => {
    const { resolved, sent } = await resolve([group('login.contoso.net', 'cache.contoso.net')], { validateAuthority: false })
    expect(sent).toEqual(['https://login.contoso.net/contoso.com/v2.0/.well-known/openid-configuration'])
    expect(resolved.aliases).toEqual(['login.contoso.net'])
  })
})
