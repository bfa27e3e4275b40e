/**
 * The grants the fault suite runs: every fault file runs each entry. A grant joins the
 * suite by adding one entry here: how to build its client (starting from the seeded
 * cache) and call it once, where its faults go, and whether MSAL's rules resend its
 * faulted request.
 *
 * The user sign-in grants have an entry per answer they read: the token POST (password,
 * device code poll, auth code redemption: `jwts: ['id_token']`, so `jwt.test.ts` expects a
 * typed error for an id_token it cannot read), the device code POST (`on: 'devicecode'`)
 * and the user realm GET (`on: 'userrealm'`). The authorize redirect is not an HTTP answer
 * the client reads: its decoder is fuzzed (`authResponse.fuzz.test.ts`) and the loopback
 * listener tested with hostile requests (`loopbackRedirect.hostile.test.ts`).
 *
 * The silent flow's refresh, acquireTokenByRefreshToken, on-behalf-of and user FIC have an entry each.
 * The managed identity entries (IMDS, App Service, Service Fabric, Azure ML, Azure Arc: a GET; Cloud Shell: a POST)
 * fault the source's token request, served by the IdP's managed identity route. Azure Arc's entry faults its
 * second round (the request carrying the key, `faultedScope: { carrying: 'authorization' }`) after a real
 * challenge and key file; its challenge round is faulted in `arcChallenge.test.ts`. The federated username/password entry faults the SAML grant's token POST;
 * its MEX and WS-Trust answers are fuzzed (`packages/wstrust/src/*.fuzz.test.ts`) and tested bad in `federation.test.ts`.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { deserialize, memoryStore, serialize } from '@authfold/cache'
import { certificate, clientAssertion, clientSecret, timerSleep, type HttpClient } from '@authfold/core'
import { systemAssignedManagedIdentity, type ManagedIdentityEnvironment } from '@authfold/grants'
import { arcKeyFiles, nodeHttpClient } from '@authfold/node'
import { MANAGED_IDENTITY_PATHS, signedAssertion, signInWithoutBrowser } from '@authfold/testing'
import { createManagedIdentityClient } from '../managedIdentityClient.js'
import { createConfidentialClient, type ConfidentialClientConfig } from '../confidentialClient.js'
import { createPublicClient, type PublicClientConfig } from '../publicClient.js'
import { wsTrustFederation } from '@authfold/wstrust'
import { FAULT_FEDERATED_USER, FAULT_IDENTITY_HEADER, FAULT_PASSWORD, FAULT_USER, SCOPE, SECRET, type CaseContext, type FaultGrant, type FaultWorld, type GrantCall } from './harness.testkit.js'

const config = (world: FaultWorld, kase: CaseContext, over: Partial<ConfidentialClientConfig> = {}): ConfidentialClientConfig => ({
  clientId: 'app-secret',
  libraryInfo: { appName: kase.tag },
  authority: world.idp.authority(),
  credential: world.recorded(clientSecret(SECRET)),
  http: nodeHttpClient(world.transport),
  validateAuthority: false,
  logger: kase.logger,
  piiLoggingEnabled: true,
  ...over,
})

const tokenGrant = async (world: FaultWorld, kase: CaseContext, over: Partial<ConfidentialClientConfig> = {}): Promise<GrantCall> => {
  const app = createConfidentialClient(config(world, kase, over))
  await app.deserializeCache(world.seedCache)
  return {
    call: async (options) => {
      const result = await app.acquireTokenForClient([SCOPE], options ?? {})
      return { accessToken: result.access_token, source: result.token_source }
    },
    serializeCache: app.serializeCache,
  }
}

/** The public client every public-client entry uses, tagged and logged for its case, its cache seeded. */
const publicApp = async (world: FaultWorld, kase: CaseContext, over: Partial<PublicClientConfig>) => {
  const app = createPublicClient({
    clientId: 'public-app',
    libraryInfo: { appName: kase.tag },
    authority: world.idp.authority(),
    http: nodeHttpClient(world.transport),
    logger: kase.logger,
    piiLoggingEnabled: true,
    ...over,
  })
  await app.deserializeCache(world.seedCache)
  return app
}

const IMDS_HOST = 'http://169.254.169.254'

/**
 * Azure Arc's variables (`IDENTITY_ENDPOINT` and `IMDS_ENDPOINT`) pointing at the IdP's
 * agent, and the world's key folder as the allowed one.
 *
 * @category testing
 * @since 0.1.0
 */
export const arcEnvironment = (world: FaultWorld): ManagedIdentityEnvironment => ({
  IDENTITY_ENDPOINT: `${world.idp.url}${MANAGED_IDENTITY_PATHS.arc}`,
  IMDS_ENDPOINT: world.idp.url,
  arcKeyFolder: world.arcKeyFolder,
})

/**
 * A managed identity client of the case, its cache store loaded with the seed: IMDS's fixed address routed to the IdP's IMDS path
 * (the other URLs as they are), the call deadline 120 s, and a sleep under which IMDS's
 * backoffs (1 s to 60 s) pass at once while the deadlines (120 s, or a case's own under 1 s)
 * run on real timers. With an `arcKeyFolder`, Azure Arc's key files are read with `arcKeyFiles()`.
 *
 * @category testing
 * @since 0.1.0
 */
export const managedIdentityGrant = async (world: FaultWorld, kase: CaseContext, environment: ManagedIdentityEnvironment): Promise<GrantCall> => {
  const arc = environment.arcKeyFolder !== undefined
  const transport = nodeHttpClient(world.transport)
  const http: HttpClient = (request) =>
    transport(request.url.startsWith(`${IMDS_HOST}/`) ? { ...request, url: `${world.idp.url}/managedidentity/imds${request.url.slice(IMDS_HOST.length)}` } : request)
  const seed = deserialize(world.seedCache)
  if (E.isLeft(seed)) throw new Error('the seed cache does not load')
  const store = memoryStore(seed.right)
  const app = createManagedIdentityClient({
    cacheStore: store,
    managedIdentity: systemAssignedManagedIdentity(),
    environment,
    ...(arc ? { arcFiles: arcKeyFiles() } : {}),
    http,
    libraryInfo: { appName: kase.tag },
    callTimeoutMs: 120_000,
    sleep: (ms, signal) => (ms >= 1_000 && ms <= 60_000 ? async () => undefined : timerSleep(ms, signal)),
    logger: kase.logger,
    piiLoggingEnabled: true,
  })
  return {
    call: async (options) => {
      const result = await app.acquireTokenForClient('https://management.azure.com', options ?? {})
      return { accessToken: result.access_token, source: result.token_source }
    },
    serializeCache: async () => {
      const state = await store.load()()
      if (E.isLeft(state)) throw new Error('the memory store does not load')
      return serialize(state.right)
    },
  }
}

const tokenPath = (idp: { readonly tenantId: string }): string => `/${idp.tenantId}/oauth2/v2.0/token`

/**
 * Every grant and discovery path the facades have today.
 *
 * @category testing
 * @since 0.1.0
 */
export const faultGrants: ReadonlyArray<FaultGrant> = [
  {
    name: 'acquireTokenForClient with a client secret',
    on: 'token',
    retried: false,
    jwts: ['access_token'],
    faultedPath: tokenPath,
    setup: (world, kase) => tokenGrant(world, kase),
  },
  {
    name: 'acquireTokenForClient with a certificate',
    on: 'token',
    retried: false,
    jwts: ['access_token'],
    faultedPath: tokenPath,
    setup: (world, kase) =>
      tokenGrant(world, kase, {
        clientId: 'app-cert',
        credential: world.recorded(certificate({ privateKey: world.cert.privateKeyPem, thumbprint: world.cert.sha1Thumbprint })),
      }),
  },
  {
    name: 'acquireTokenForClient with an assertion callback',
    on: 'token',
    retried: false,
    jwts: ['access_token'],
    faultedPath: tokenPath,
    setup: (world, kase) => tokenGrant(world, kase, { clientId: 'app-assertion', credential: world.recorded(clientAssertion(signedAssertion(world.cert))) }),
  },
  {
    name: 'acquireTokenForClient with a client secret and retry: { retryPosts: true }',
    on: 'token',
    retried: true,
    jwts: ['access_token'],
    faultedPath: tokenPath,
    setup: (world, kase) => tokenGrant(world, kase, { retry: { retryPosts: true } }),
  },
  {
    name: 'acquireTokenForClient with a client secret, its first discovery faulted',
    on: 'discovery',
    retried: true,
    jwts: [],
    faultedPath: (idp) => `/${idp.tenantId}/v2.0/.well-known/openid-configuration`,
    setup: (world, kase) => tokenGrant(world, kase),
  },
  {
    name: 'resolveAuthority of a confidential client (OpenID configuration)',
    on: 'discovery',
    retried: true,
    jwts: [],
    faultedPath: (idp) => `/${idp.tenantId}/v2.0/.well-known/openid-configuration`,
    setup: async (world, kase) => {
      const app = createConfidentialClient(config(world, kase))
      await app.deserializeCache(world.seedCache)
      return { call: async (options) => (await app.resolveAuthority(options), {}), serializeCache: app.serializeCache }
    },
  },
  {
    name: 'resolveAuthority of a public client (instance discovery, then OpenID configuration)',
    on: 'discovery',
    retried: true,
    jwts: [],
    faultedPath: () => '/common/discovery/instance',
    setup: async (world, kase) => {
      const app = await publicApp(world, kase, { instanceDiscovery: `${world.idp.url}/common/discovery/instance` })
      return { call: async (options) => (await app.resolveAuthority(options), {}), serializeCache: app.serializeCache }
    },
  },
  {
    name: 'acquireTokenByUsernamePassword on a public client (user realm, then the password grant)',
    on: 'token',
    retried: false,
    jwts: ['id_token'],
    faultedPath: tokenPath,
    setup: async (world, kase) => {
      const app = await publicApp(world, kase, { validateAuthority: false })
      return {
        call: async (options) => {
          const result = await app.acquireTokenByUsernamePassword(FAULT_USER, FAULT_PASSWORD, ['User.Read'], options ?? {})
          return { accessToken: result.access_token, source: result.token_source }
        },
        serializeCache: app.serializeCache,
      }
    },
  },
  {
    name: 'acquireTokenByUsernamePassword for a federated user (user realm, MEX, WS-Trust 1.3, then the SAML 1.1 bearer grant faulted)',
    on: 'token',
    retried: false,
    jwts: ['id_token'],
    faultedPath: tokenPath,
    setup: async (world, kase) => {
      const app = await publicApp(world, kase, { validateAuthority: false, federation: wsTrustFederation })
      return {
        call: async (options) => {
          const result = await app.acquireTokenByUsernamePassword(FAULT_FEDERATED_USER, FAULT_PASSWORD, ['User.Read'], options ?? {})
          return { accessToken: result.access_token, source: result.token_source }
        },
        serializeCache: app.serializeCache,
      }
    },
  },
  {
    name: 'acquireTokenByDeviceFlow on a public client (the user approved; the poll faulted)',
    on: 'token',
    retried: false,
    jwts: ['id_token'],
    faultedPath: tokenPath,
    setup: async (world, kase) => {
      const app = await publicApp(world, kase, { validateAuthority: false })
      const flow = await app.initiateDeviceFlow(['User.Read'])
      if (!world.idp.deviceCodes.approve(flow.user_code, FAULT_USER)) throw new Error('the device code could not be approved')
      return {
        call: async (options) => {
          const result = await app.acquireTokenByDeviceFlow(flow, options ?? {})
          return { accessToken: result.access_token, source: result.token_source }
        },
        serializeCache: app.serializeCache,
      }
    },
  },
  {
    name: 'acquireTokenByAuthCodeFlow on a public client (the user signed in; the code redemption faulted)',
    on: 'token',
    retried: false,
    jwts: ['id_token'],
    faultedPath: tokenPath,
    setup: async (world, kase) => {
      const app = await publicApp(world, kase, { validateAuthority: false })
      const flow = await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: 'http://localhost:8400' })
      const authResponse = await signInWithoutBrowser({ authUri: flow.auth_uri, username: FAULT_USER, password: FAULT_PASSWORD, ca: world.idp.ca })
      const code = authResponse['code']
      if (code !== undefined) world.secrets.add(code)
      return {
        call: async (options) => {
          const result = await app.acquireTokenByAuthCodeFlow(flow, authResponse, options ?? {})
          return { accessToken: result.access_token, source: result.token_source }
        },
        serializeCache: app.serializeCache,
      }
    },
  },
  {
    name: 'initiateDeviceFlow on a public client, then the sign-in (the device code answer faulted)',
    on: 'devicecode',
    retried: false,
    jwts: [],
    faultedPath: (idp) => `/${idp.tenantId}/oauth2/v2.0/devicecode`,
    setup: async (world, kase) => {
      const app = await publicApp(world, kase, { validateAuthority: false })
      return {
        call: async (options) => {
          const flow = await app.initiateDeviceFlow(['User.Read'], options ?? {})
          world.secrets.add(flow.device_code)
          if (!world.idp.deviceCodes.approve(flow.user_code, FAULT_USER)) throw new Error('the device code could not be approved')
          const result = await app.acquireTokenByDeviceFlow(flow, options ?? {})
          return { accessToken: result.access_token, source: result.token_source }
        },
        serializeCache: app.serializeCache,
      }
    },
  },
  {
    name: 'acquireTokenByUsernamePassword on a public client (the user realm answer faulted)',
    on: 'userrealm',
    retried: true,
    jwts: [],
    faultedPath: () => `/common/userrealm/${FAULT_USER}`,
    setup: async (world, kase) => {
      const app = await publicApp(world, kase, { validateAuthority: false })
      return {
        call: async (options) => {
          const result = await app.acquireTokenByUsernamePassword(FAULT_USER, FAULT_PASSWORD, ['User.Read'], options ?? {})
          return { accessToken: result.access_token, source: result.token_source }
        },
        serializeCache: app.serializeCache,
      }
    },
  },
  {
    name: 'acquireTokenSilentWithError on a public client (the access token about to expire; the refresh token redemption faulted)',
    on: 'token',
    retried: false,
    jwts: ['id_token'],
    faultedPath: tokenPath,
    setup: async (world, kase) => {
      // The silent client's clock runs 3,400 s ahead of the sign-in's: the access token
      // (3,599 s) has 199 s left, under MSAL's five minutes; the id_tokens (3,600 s) are valid.
      // The sign-in goes out under another tag, so that only the refresh counts as an attempt.
      const signIn = await publicApp(world, { ...kase, tag: `${kase.tag}-setup` }, { validateAuthority: false })
      const signedIn = await signIn.acquireTokenByUsernamePassword(FAULT_USER, FAULT_PASSWORD, ['User.Read'])
      if (signedIn.refresh_token !== undefined) world.secrets.add(signedIn.refresh_token)
      const app = await publicApp(world, kase, { validateAuthority: false, now: () => Date.now() + 3_400_000 })
      await app.deserializeCache(await signIn.serializeCache())
      const [account] = await app.getAccounts(FAULT_USER)
      if (account === undefined) throw new Error('no account after the sign-in')
      return {
        call: async (options) => {
          const result = await app.acquireTokenSilentWithError(['User.Read'], account, options ?? {})
          if (result === undefined) throw new Error('the silent flow found no refresh token')
          return { accessToken: result.access_token, source: result.token_source }
        },
        serializeCache: app.serializeCache,
      }
    },
  },
  {
    name: 'acquireTokenByRefreshToken on a public client (a refresh token from elsewhere migrated)',
    on: 'token',
    retried: false,
    jwts: ['id_token'],
    faultedPath: tokenPath,
    setup: async (world, kase) => {
      const elsewhere = await publicApp(world, { ...kase, tag: `${kase.tag}-setup` }, { validateAuthority: false })
      const old = (await elsewhere.acquireTokenByUsernamePassword(FAULT_USER, FAULT_PASSWORD, ['User.Read'])).refresh_token
      if (old === undefined) throw new Error('no refresh token to migrate')
      world.secrets.add(old)
      const app = await publicApp(world, kase, { validateAuthority: false })
      return {
        call: async (options) => {
          const result = await app.acquireTokenByRefreshToken(old, ['User.Read'], options ?? {})
          return { accessToken: result.access_token, source: result.token_source }
        },
        serializeCache: app.serializeCache,
      }
    },
  },
  {
    name: 'acquireTokenOnBehalfOf on a confidential client (the jwt-bearer exchange faulted)',
    on: 'token',
    retried: false,
    jwts: ['id_token'],
    faultedPath: tokenPath,
    setup: async (world, kase) => {
      const front = await publicApp(world, { ...kase, tag: `${kase.tag}-front` }, { validateAuthority: false })
      const userAssertion = (await front.acquireTokenByUsernamePassword(FAULT_USER, FAULT_PASSWORD, ['api://app-secret/access_as_user'])).access_token
      world.secrets.add(userAssertion)
      const app = createConfidentialClient(config(world, kase))
      await app.deserializeCache(world.seedCache)
      return {
        call: async (options) => {
          const result = await app.acquireTokenOnBehalfOf(userAssertion, ['api://downstream/read'], options ?? {})
          return { accessToken: result.access_token, source: result.token_source }
        },
        serializeCache: app.serializeCache,
      }
    },
  },
  {
    name: 'acquireTokenByUserFederatedIdentityCredential on a confidential client (the user_fic grant faulted)',
    on: 'token',
    retried: false,
    jwts: ['id_token'],
    faultedPath: tokenPath,
    setup: async (world, kase) => {
      const exchange = createConfidentialClient(config(world, { ...kase, tag: `${kase.tag}-exchange` }))
      const fic = (await exchange.acquireTokenForClient(['api://AzureADTokenExchange/.default'])).access_token
      world.secrets.add(fic)
      const app = createConfidentialClient(config(world, kase))
      await app.deserializeCache(world.seedCache)
      return {
        call: async (options) => {
          const result = await app.acquireTokenByUserFederatedIdentityCredential(['User.Read'], fic, { ...options, username: FAULT_USER })
          return { accessToken: result.access_token, source: result.token_source }
        },
        serializeCache: app.serializeCache,
      }
    },
  },
  {
    name: 'managed identity on IMDS (no variables; 169.254.169.254 routed to the IdP)',
    on: 'managedidentity',
    retried: false,
    managedIdentity: 'imds',
    jwts: ['access_token'],
    faultedPath: () => MANAGED_IDENTITY_PATHS.imds,
    setup: (world, kase) => managedIdentityGrant(world, kase, {}),
  },
  {
    name: 'managed identity on App Service (IDENTITY_ENDPOINT and IDENTITY_HEADER)',
    on: 'managedidentity',
    retried: false,
    managedIdentity: 'appService',
    jwts: ['access_token'],
    faultedPath: () => MANAGED_IDENTITY_PATHS.appService,
    setup: (world, kase) => managedIdentityGrant(world, kase, { IDENTITY_ENDPOINT: `${world.idp.url}${MANAGED_IDENTITY_PATHS.appService}`, IDENTITY_HEADER: FAULT_IDENTITY_HEADER }),
  },
  {
    name: 'managed identity on Service Fabric (IDENTITY_ENDPOINT, IDENTITY_HEADER and IDENTITY_SERVER_THUMBPRINT)',
    on: 'managedidentity',
    retried: false,
    managedIdentity: 'serviceFabric',
    jwts: ['access_token'],
    faultedPath: () => MANAGED_IDENTITY_PATHS.serviceFabric,
    setup: (world, kase) =>
      managedIdentityGrant(world, kase, {
        IDENTITY_ENDPOINT: `${world.idp.url}${MANAGED_IDENTITY_PATHS.serviceFabric}`,
        IDENTITY_HEADER: FAULT_IDENTITY_HEADER,
        IDENTITY_SERVER_THUMBPRINT: world.cert.sha1Thumbprint,
      }),
  },
  {
    name: 'managed identity on Azure Machine Learning (MSI_ENDPOINT and MSI_SECRET)',
    on: 'managedidentity',
    retried: false,
    managedIdentity: 'machineLearning',
    jwts: ['access_token'],
    faultedPath: () => MANAGED_IDENTITY_PATHS.machineLearning,
    setup: (world, kase) => managedIdentityGrant(world, kase, { MSI_ENDPOINT: `${world.idp.url}${MANAGED_IDENTITY_PATHS.machineLearning}`, MSI_SECRET: FAULT_IDENTITY_HEADER }),
  },
  {
    name: 'managed identity on Cloud Shell (MSI_ENDPOINT; a form POST)',
    on: 'managedidentity',
    retried: false,
    managedIdentity: 'cloudShell',
    jwts: ['access_token'],
    faultedPath: () => MANAGED_IDENTITY_PATHS.cloudShell,
    setup: (world, kase) => managedIdentityGrant(world, kase, { MSI_ENDPOINT: `${world.idp.url}${MANAGED_IDENTITY_PATHS.cloudShell}` }),
  },
  {
    name: 'managed identity on Azure Arc (IDENTITY_ENDPOINT and IMDS_ENDPOINT; the challenge, the key file, then the token round faulted)',
    on: 'managedidentity',
    retried: false,
    managedIdentity: 'arc',
    jwts: ['access_token'],
    faultedPath: () => MANAGED_IDENTITY_PATHS.arc,
    faultedScope: { carrying: 'authorization' },
    setup: (world, kase) => managedIdentityGrant(world, kase, arcEnvironment(world)),
  },
]
