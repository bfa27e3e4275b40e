/**
 * On-behalf-of: a middle-tier API receives a user's access token (for itself) and exchanges
 * it for a token to a downstream API, as the same user. The second exchange of the same
 * token is answered from the cache.
 */
import { createConfidentialClient, createPublicClient } from '@authfold/client'
import { clientSecret } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider } from '@authfold/testing'
import { check, show } from './show.js'

const password = 'example-password-not-printed'
const secret = 'example-secret-not-printed'
const idp = await startIdentityProvider()
try {
  const http = nodeHttpClient({ ca: idp.ca })
  idp.registerClient({ clientId: 'front-app' })
  idp.registerClient({ clientId: 'mid-tier', secret })
  idp.registerUser({ username: 'ada@authfold.test', password, name: 'Ada' })

  // The front end signs Ada in and calls the middle tier with a token for it.
  const front = createPublicClient({ clientId: 'front-app', authority: idp.authority(), http, validateAuthority: false })
  const incoming = (await front.acquireTokenByUsernamePassword('ada@authfold.test', password, ['api://mid-tier/access_as_user'])).access_token

  // The middle tier: the incoming token is its user assertion.
  const midTier = createConfidentialClient({ clientId: 'mid-tier', authority: idp.authority(), credential: clientSecret(secret), http, validateAuthority: false })
  const downstream = await midTier.acquireTokenOnBehalfOf(incoming, ['api://downstream/read'])
  const again = await midTier.acquireTokenOnBehalfOf(incoming, ['api://downstream/read'])
  console.log(`first exchange:  ${show(downstream)}`)
  console.log(`second exchange: ${show(again)}`)
  check(downstream.account?.username === 'ada@authfold.test' && again.token_source === 'cache', "Ada's token for the downstream API, then from the cache")
} finally {
  await idp.stop()
}
