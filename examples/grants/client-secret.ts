/**
 * Client credentials with a client secret: a daemon gets an app token for an API, and the
 * second call is answered from the cache without a request.
 */
import { createConfidentialClient } from '@authfold/client'
import { clientSecret } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider } from '@authfold/testing'
import { check, show } from './show.js'

const secret = 'example-secret-not-printed'
const idp = await startIdentityProvider()
try {
  idp.registerClient({ clientId: 'daemon-app', secret })
  const app = createConfidentialClient({
    clientId: 'daemon-app',
    authority: idp.authority(),
    credential: clientSecret(secret),
    http: nodeHttpClient({ ca: idp.ca }), // trust the local IdP's own CA
    validateAuthority: false, // 127.0.0.1 is not an Entra host
  })
  const first = await app.acquireTokenForClient(['api://example-api/.default'])
  const again = await app.acquireTokenForClient(['api://example-api/.default'])
  console.log(`first call:  ${show(first)}`)
  console.log(`second call: ${show(again)}`)
  check(first.token_source === 'identity_provider' && again.token_source === 'cache', 'the second call came from the cache')
} finally {
  await idp.stop()
}
