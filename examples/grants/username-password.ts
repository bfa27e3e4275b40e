/**
 * Username and password (ROPC) for a managed user and for a federated one: user realm
 * discovery tells them apart; the managed user's password goes to Entra's token endpoint,
 * the federated user's to their AD FS over WS-Trust (through `wsTrustFederation`), whose
 * SAML assertion is then exchanged for tokens.
 */
import { createPublicClient } from '@authfold/client'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider } from '@authfold/testing'
import { wsTrustFederation } from '@authfold/wstrust'
import { check, show } from './show.js'

const password = 'example-password-not-printed'
const idp = await startIdentityProvider()
try {
  idp.registerClient({ clientId: 'legacy-app' })
  idp.registerUser({ username: 'ada@authfold.test', password, name: 'Ada' }) // managed: the IdP's own domain
  idp.wsTrust.addFederatedDomain({ domain: 'fabrikam.test' }) // an AD FS for fabrikam.test
  idp.registerUser({ username: 'grace@fabrikam.test', password, name: 'Grace' })
  const app = createPublicClient({
    clientId: 'legacy-app',
    authority: idp.authority('organizations'),
    http: nodeHttpClient({ ca: idp.ca }),
    validateAuthority: false,
    federation: wsTrustFederation, // without it a federated user is a ConfigError
  })
  const managed = await app.acquireTokenByUsernamePassword('ada@authfold.test', password, ['User.Read'])
  console.log(`managed:   ${show(managed)}`)
  const federated = await app.acquireTokenByUsernamePassword('grace@fabrikam.test', password, ['User.Read'])
  console.log(`federated: ${show(federated)}`)
  const grants = idp.requests.filter((r) => r.path.endsWith('/token')).map((r) => r.form['grant_type'])
  console.log(`grant types sent: ${grants.join(', ')}`)
  check(managed.account?.username === 'ada@authfold.test' && federated.account?.username === 'grace@fabrikam.test', 'both users signed in')
} finally {
  await idp.stop()
}
