/**
 * The demo: starts the local identity provider (a real HTTPS server on 127.0.0.1 that
 * behaves like Microsoft Entra), then acquires app tokens three ways — a client secret, a
 * certificate made at run time, and an assertion callback — and shows the second call of
 * each answered from the cache without a request. Then a user signs in on a public client
 * with the device code flow (the local identity provider approves the code as the user would
 * on its device page) and the serialized cache shows the account.
 */
import { certificate, clientAssertion, clientSecret, type ClientAuth } from '@authfold/core'
import { createConfidentialClient, createManagedIdentityClient, createPublicClient } from '@authfold/client'
import { nodeHttpClient } from '@authfold/node'
import { routeToSimulator, selfSignedCertificate, signedAssertion, startIdentityProvider, startManagedIdentitySimulator } from '@authfold/testing'

const scope = 'api://demo-resource/.default'
const idp = await startIdentityProvider()
try {
  const cert = await selfSignedCertificate({ commonName: 'authfold-demo' })
  const secret = 'demo-secret-not-printed'
  idp.registerClient({ clientId: 'demo-secret-app', secret })
  idp.registerClient({ clientId: 'demo-cert-app', certificate: { certificatePem: cert.certificatePem } })
  idp.registerClient({ clientId: 'demo-assertion-app', certificate: { certificatePem: cert.certificatePem } })

  // An assertion callback, as a workload identity would give one: here each call signs a
  // fresh RFC 7523 assertion with the run-time certificate's key.
  const assertionCallback: ClientAuth = clientAssertion(signedAssertion(cert))

  const cases: ReadonlyArray<readonly [string, string, ClientAuth]> = [
    ['client secret', 'demo-secret-app', clientSecret(secret)],
    ['certificate (made at run time)', 'demo-cert-app', certificate({ privateKey: cert.privateKeyPem, thumbprint: cert.sha1Thumbprint })],
    ['assertion callback', 'demo-assertion-app', assertionCallback],
  ]

  console.log(`authfold demo — local identity provider at ${idp.url}\n`)
  console.log('credential                       call  source              expires_in  token')
  console.log('-------------------------------  ----  ------------------  ----------  --------------')
  const http = nodeHttpClient({ ca: idp.ca })
  for (const [label, clientId, credential] of cases) {
    const app = createConfidentialClient({ clientId, authority: idp.authority(), credential, http, validateAuthority: false })
    for (const call of [1, 2]) {
      const r = await app.acquireTokenForClient([scope])
      const shown = `${r.access_token.slice(0, 6)}…(${r.access_token.length} chars)`
      console.log(`${label.padEnd(31)}  ${String(call).padEnd(4)}  ${r.token_source.padEnd(18)}  ${String(r.expires_in).padEnd(10)}  ${shown}`)
    }
  }
  const tokenCalls = idp.requests.filter((r) => r.path.endsWith('/token')).length
  console.log(`\n6 tokens asked for, ${tokenCalls} token requests sent: every second call came from the cache.`)
  if (tokenCalls !== 3) process.exitCode = 1

  // A user signs in with the device code flow on a public client.
  idp.registerClient({ clientId: 'demo-cli-app' }) // a public client: no credential
  idp.registerUser({ username: 'ada@authfold.test', password: 'demo-password-not-printed', name: 'Ada' })
  idp.deviceCodes.configure({ intervalSeconds: 1 })
  const cli = createPublicClient({ clientId: 'demo-cli-app', authority: idp.authority(), http, validateAuthority: false })
  const flow = await cli.initiateDeviceFlow(['User.Read'])
  console.log(`\ndevice code flow: ${flow.message}`)
  setTimeout(() => idp.deviceCodes.approve(flow.user_code, 'ada@authfold.test'), 1_500) // the user, on another device
  const signedIn = await cli.acquireTokenByDeviceFlow(flow)
  console.log(`signed in as ${signedIn.account?.username ?? '?'} (${signedIn.token_source}); scopes: ${signedIn.scope ?? ''}`)
  const accounts = Object.keys((JSON.parse(await cli.serializeCache()) as { Account: Record<string, unknown> }).Account)
  console.log(`the cache now holds ${accounts.length} account: ${accounts.join(', ')}`)
  if (signedIn.account?.username !== 'ada@authfold.test') process.exitCode = 1

  // Managed identity: IMDS's fixed address (169.254.169.254) routed to the local simulator.
  const imds = await startManagedIdentitySimulator()
  try {
    const toSimulator = routeToSimulator(imds)
    const mi = createManagedIdentityClient({ managedIdentity: { ManagedIdentityIdType: 'SystemAssigned', Id: null }, environment: {}, http: (r) => http({ ...r, url: toSimulator(r.url) }) })
    const miFirst = await mi.acquireTokenForClient('https://management.azure.com')
    const miAgain = await mi.acquireTokenForClient('https://management.azure.com')
    console.log(`\nmanaged identity (IMDS simulator): a ${miFirst.token_type} token for ${String((miFirst as { resource?: unknown }).resource)} from ${miFirst.token_source}, then from ${miAgain.token_source}`)
    if (miAgain.token_source !== 'cache') process.exitCode = 1
  } finally {
    await imds.close()
  }
} finally {
  await idp.stop()
}
