/**
 * Managed identity on an Azure VM: IMDS answers at its fixed address 169.254.169.254. Here
 * the local IMDS simulator stands in for it, reached through the HTTP effect
 * (`routeToSimulator` rewrites the fixed address to the simulator's 127.0.0.1 URL).
 */
import { createManagedIdentityClient } from '@authfold/client'
import { systemAssignedManagedIdentity } from '@authfold/grants'
import { nodeHttpClient } from '@authfold/node'
import { routeToSimulator, startManagedIdentitySimulator } from '@authfold/testing'
import { check, show } from './show.js'

const imds = await startManagedIdentitySimulator()
try {
  const http = nodeHttpClient()
  const toSimulator = routeToSimulator(imds)
  const app = createManagedIdentityClient({
    managedIdentity: systemAssignedManagedIdentity(),
    environment: {}, // no IDENTITY_ENDPOINT, MSI_ENDPOINT, ...: IMDS, as on a VM
    http: (request) => http({ ...request, url: toSimulator(request.url) }),
  })
  const first = await app.acquireTokenForClient('https://management.azure.com')
  const again = await app.acquireTokenForClient('https://management.azure.com')
  console.log(`first call:  ${show(first)}`)
  console.log(`second call: ${show(again)}`)
  check(first.token_source === 'identity_provider' && again.token_source === 'cache', 'from IMDS, then from the cache')
} finally {
  await imds.close()
}
