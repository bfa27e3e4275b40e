// The migration guides stay complete: docs/migrating-from-msal-python.md names, in inline code,
// every public method and constructor argument of MSAL Python's applications (read from the
// MSAL Python that .ci/run installs, Debian's python3-msal 1.21, plus what later releases
// added), and docs/migrating-from-msal-node.md every public method of msal-node's
// applications and TokenCache (read from msal-node 7.2.3's declarations), every key of its
// `auth` configuration and every field of its AuthenticationResult. Both name every method of
// authfold's three facades (read from built facades), every configuration key and every
// result field. The lists of fields below are checked against the types by the compiler: a
// field added to a type and not to its list fails `pnpm typecheck`.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AuthenticationResult, NodeAuthOptions } from '@azure/msal-node'
import { createConfidentialClient, createManagedIdentityClient, createPublicClient, type ConfidentialClientConfig, type ManagedIdentityClientConfig } from '@authfold/client'
import { clientSecret } from '@authfold/core'
import { systemAssignedManagedIdentity, type UserAuthResult } from '@authfold/grants'
import { root } from './build.js'

const MSAL_PYTHON_APPLICATION = '/usr/lib/python3/dist-packages/msal/application.py'
const MSAL_NODE_TYPES = join(root, 'node_modules/@azure/msal-node/types')

/** Every key of `T`, as a list the compiler holds complete: `keys<T>()({ a: true, ... })`. */
const keys =
  <T>() =>
  (record: { readonly [K in keyof Required<T>]: true }): ReadonlyArray<string> =>
    Object.keys(record)

const authResultFields = keys<UserAuthResult>()({
  access_token: true,
  token_type: true,
  expires_in: true,
  token_source: true,
  refresh_on: true,
  ext_expires_in: true,
  scope: true,
  refresh_token: true,
  id_token: true,
  id_token_claims: true,
  client_info: true,
  account: true,
})

const clientConfigKeys = keys<ConfidentialClientConfig>()({
  clientId: true,
  credential: true,
  authority: true,
  oidcAuthority: true,
  clientCapabilities: true,
  excludeScopes: true,
  cacheStore: true,
  callTimeoutMs: true,
  redirectListener: true,
  federation: true,
  http: true,
  now: true,
  random: true,
  sleep: true,
  logger: true,
  piiLoggingEnabled: true,
  httpCache: true,
  libraryInfo: true,
  retry: true,
  disableHttpPolicy: true,
  validateAuthority: true,
  instanceDiscovery: true,
  knownAuthorities: true,
  correlationId: true,
  azureRegion: true,
  regionDetection: true,
})

const managedIdentityConfigKeys = keys<ManagedIdentityClientConfig>()({
  managedIdentity: true,
  environment: true,
  arcFiles: true,
  clientCapabilities: true,
  cacheStore: true,
  callTimeoutMs: true,
  http: true,
  now: true,
  random: true,
  sleep: true,
  logger: true,
  piiLoggingEnabled: true,
  httpCache: true,
  libraryInfo: true,
  retry: true,
  disableHttpPolicy: true,
})

const msalNodeAuthKeys = keys<NodeAuthOptions>()({
  clientId: true,
  authority: true,
  clientSecret: true,
  clientAssertion: true,
  clientCertificate: true,
  knownAuthorities: true,
  cloudDiscoveryMetadata: true,
  authorityMetadata: true,
  clientCapabilities: true,
  azureCloudOptions: true,
  isMcp: true,
})

const msalNodeResultFields = keys<AuthenticationResult>()({
  authority: true,
  uniqueId: true,
  tenantId: true,
  scopes: true,
  account: true,
  idToken: true,
  idTokenClaims: true,
  accessToken: true,
  dpopProof: true,
  fromCache: true,
  expiresOn: true,
  extExpiresOn: true,
  refreshOn: true,
  tokenType: true,
  correlationId: true,
  requestId: true,
  state: true,
  familyId: true,
  cloudGraphHostName: true,
  msGraphHost: true,
  code: true,
  fromPlatformBroker: true,
  resource: true,
})

/**
 * The words a markdown text names in inline code (`x`, `a.b(c)`), outside fenced blocks:
 * what its tables and sentences name, not what an example happens to use.
 */
export const namedInInlineCode = (markdown: string): ReadonlySet<string> => {
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```\s*$/gm, '')
  const spans = prose.match(/`[^`\n]+`/g) ?? []
  return new Set(spans.flatMap((s) => s.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []))
}

/** `class -> [__init__ arguments, public methods]` of MSAL Python's application.py. */
export const pythonApplications = (source: string): ReadonlyMap<string, { readonly init: ReadonlyArray<string>; readonly methods: ReadonlyArray<string> }> => {
  const out = new Map<string, { init: Array<string>; methods: Array<string> }>()
  const lines = source.split('\n')
  let current: { init: Array<string>; methods: Array<string> } | undefined
  lines.forEach((line, i) => {
    const cls = /^class (\w+)/.exec(line)
    if (cls?.[1] !== undefined) {
      current = { init: [], methods: [] }
      out.set(cls[1], current)
      return
    }
    const def = /^ {4}def ([a-z]\w*|__init__)\(/.exec(line)
    if (def?.[1] === undefined || current === undefined) return
    if (def[1] !== '__init__') {
      current.methods.push(def[1])
      return
    }
    const signature = lines.slice(i).join('\n')
    const end = signature.indexOf('):')
    const args = signature.slice(signature.indexOf('(') + 1, end).split(',')
    current.init.push(...args.map((a) => a.split('=')[0]?.trim() ?? '').filter((a) => /^[a-z]\w*$/.test(a) && a !== 'self'))
  })
  return out
}

/** The public methods of an msal-node class, from its declaration file. */
export const declaredMethods = (declaration: string): ReadonlyArray<string> =>
  declaration
    .split('\n')
    .map((l) => /^ {4}(?:static )?([A-Za-z]\w*)\(/.exec(l)?.[1])
    .filter((m): m is string => m !== undefined && m !== 'constructor')

// Added to MSAL Python after 1.21 (as in packages/client/src/msalParity.test.ts).
const PYTHON_LATER = ['is_pop_supported', 'remove_tokens_for_client', 'acquire_token_by_user_federated_identity_credential', 'oidc_authority', 'enable_pii_log', 'ManagedIdentityClient']

const facadeMethods = (): ReadonlyArray<string> => {
  const confidential = createConfidentialClient({ clientId: 'guides', credential: clientSecret('guides-secret') })
  const pub = createPublicClient({ clientId: 'guides' })
  const managed = createManagedIdentityClient({ managedIdentity: systemAssignedManagedIdentity() })
  return [...new Set([...Object.keys(confidential.te), ...Object.keys(pub.te), ...Object.keys(managed.te)])]
}

const guide = (name: string): ReadonlySet<string> => namedInInlineCode(readFileSync(join(root, 'docs', name), 'utf8'))
const missing = (named: ReadonlySet<string>, names: ReadonlyArray<string>): ReadonlyArray<string> => [...new Set(names)].filter((n) => !named.has(n))

describe('the migration guides name everything', () => {
  const python = guide('migrating-from-msal-python.md')
  const node = guide('migrating-from-msal-node.md')
  const methods = facadeMethods()

  it('reads what it compares (the parses are not empty)', () => {
    const apps = pythonApplications(readFileSync(MSAL_PYTHON_APPLICATION, 'utf8'))
    expect(apps.get('ClientApplication')?.init).toContain('client_credential')
    expect(apps.get('PublicClientApplication')?.methods).toContain('initiate_device_flow')
    expect(declaredMethods(readFileSync(join(MSAL_NODE_TYPES, 'client/ConfidentialClientApplication.d.ts'), 'utf8'))).toContain('acquireTokenByClientCredential')
    expect(methods).toEqual(expect.arrayContaining(['acquireTokenForClient', 'acquireTokenInteractive', 'acquireTokenByDeviceFlow']))
  })

  it('from MSAL Python: its applications\u2019 methods and constructor arguments', () => {
    const apps = pythonApplications(readFileSync(MSAL_PYTHON_APPLICATION, 'utf8'))
    const names = [
      ...['ClientApplication', 'PublicClientApplication', 'ConfidentialClientApplication'].flatMap((c) => [c, ...(apps.get(c)?.methods ?? []), ...(apps.get(c)?.init ?? [])]),
      ...PYTHON_LATER,
    ]
    expect(missing(python, names)).toEqual([])
  })

  it('from msal-node: its applications\u2019 and TokenCache\u2019s methods, ICachePlugin, Configuration.auth and AuthenticationResult', () => {
    const classes = ['ClientApplication', 'ConfidentialClientApplication', 'PublicClientApplication', 'ManagedIdentityApplication']
    const names = [
      ...classes.filter((c) => c !== 'ClientApplication'),
      ...classes.flatMap((c) => declaredMethods(readFileSync(join(MSAL_NODE_TYPES, `client/${c}.d.ts`), 'utf8'))),
      ...declaredMethods(readFileSync(join(MSAL_NODE_TYPES, 'cache/TokenCache.d.ts'), 'utf8')),
      'ICachePlugin',
      'beforeCacheAccess',
      'afterCacheAccess',
      ...msalNodeAuthKeys,
      ...msalNodeResultFields,
    ]
    expect(missing(node, names)).toEqual([])
  })

  it.each([
    ['migrating-from-msal-python.md', python],
    ['migrating-from-msal-node.md', node],
  ] as const)('%s: every method of authfold\u2019s facades, its configuration keys and result fields', (_file, named) => {
    expect(missing(named, ['createConfidentialClient', 'createPublicClient', 'createManagedIdentityClient', ...methods])).toEqual([])
    expect(missing(named, [...clientConfigKeys, ...managedIdentityConfigKeys])).toEqual([])
    expect(missing(named, authResultFields)).toEqual([])
  })
})

describe('namedInInlineCode', () => {
  it('takes the words of inline code spans and leaves fenced blocks and plain prose out', () => {
    const md = ['`a.b(c_d)` and e', '| `F` | g |', '```ts', 'h(`i`)', '```', 'j `k`'].join('\n')
    expect([...namedInInlineCode(md)].sort()).toEqual(['F', 'a', 'b', 'c_d', 'k'])
  })
})

describe('pythonApplications and declaredMethods', () => {
  it('read a class\u2019s public methods and multi-line __init__ arguments; an msal-node declaration\u2019s public methods', () => {
    const py = ['class A(object):', '    def __init__(', '            self, client_id,', '            authority=None, *, x=1):', '        pass', '    def go(self):', '    def _hidden(self):', 'class B(A):', '    def more(self, y):'].join('\n')
    const apps = pythonApplications(py)
    expect(apps.get('A')).toEqual({ init: ['client_id', 'authority', 'x'], methods: ['go'] })
    expect(apps.get('B')).toEqual({ init: [], methods: ['more'] })
    const dts = ['export declare class C {', '    private config;', '    constructor(c: X);', '    getIt(r: R): Promise<S>;', '    private hidden;', '    protected guarded(): void;', '    static make(): C;', '}'].join('\n')
    expect(declaredMethods(dts)).toEqual(['getIt', 'make'])
  })
})
