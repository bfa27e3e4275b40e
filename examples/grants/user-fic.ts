/**
 * A user federated identity credential (an agent acting as its agent user): a blueprint app
 * gets an exchange token for `api://AzureADTokenExchange/.default`, and the agent identity
 * presents it with `acquireTokenByUserFederatedIdentityCredential` to get the user's tokens.
 */
import { createConfidentialClient } from '@authfold/client'
import { clientSecret } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider } from '@authfold/testing'
import { check, show } from './show.js'

const idp = await startIdentityProvider()
try {
  const http = nodeHttpClient({ ca: idp.ca })
  const config = { authority: idp.authority(), http, validateAuthority: false }
  idp.registerClient({ clientId: 'blueprint', secret: 'blueprint-secret-not-printed' })
  idp.registerClient({ clientId: 'agent-identity', secret: 'agent-secret-not-printed' })
  idp.registerUser({ username: 'agent-user@authfold.test', password: 'unused-password-not-printed', name: 'Agent User' })

  const blueprint = createConfidentialClient({ ...config, clientId: 'blueprint', credential: clientSecret('blueprint-secret-not-printed') })
  const exchangeToken = (await blueprint.acquireTokenForClient(['api://AzureADTokenExchange/.default'])).access_token

  const agent = createConfidentialClient({ ...config, clientId: 'agent-identity', credential: clientSecret('agent-secret-not-printed') })
  const result = await agent.acquireTokenByUserFederatedIdentityCredential(['User.Read'], exchangeToken, { username: 'agent-user@authfold.test' })
  console.log(show(result))
  const grant = idp.requests.filter((r) => r.path.endsWith('/token')).at(-1)?.form['grant_type']
  console.log(`grant_type sent: ${grant ?? '?'}`)
  check(result.account?.username === 'agent-user@authfold.test' && grant === 'user_fic', "the agent user's token through user_fic")
} finally {
  await idp.stop()
}
