/**
 * Redeeming a refresh token an app already holds (one it kept from ADAL or another
 * library, say) with `acquireTokenByRefreshToken`: the answer fills authfold's cache, so
 * later calls can be silent.
 */
import { createPublicClient } from '@authfold/client'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider } from '@authfold/testing'
import { check, show } from './show.js'

const password = 'example-password-not-printed'
const idp = await startIdentityProvider()
try {
  idp.registerClient({ clientId: 'migrating-app' })
  idp.registerUser({ username: 'ada@authfold.test', password, name: 'Ada' })
  const config = { clientId: 'migrating-app', authority: idp.authority(), http: nodeHttpClient({ ca: idp.ca }), validateAuthority: false }

  // The refresh token the old app kept (here: from a sign-in by another client instance).
  const old = await createPublicClient(config).acquireTokenByUsernamePassword('ada@authfold.test', password, ['User.Read'])
  const refreshToken = old.refresh_token ?? ''

  const app = createPublicClient(config) // a fresh app, an empty cache
  const result = await app.acquireTokenByRefreshToken(refreshToken, ['User.Read'])
  console.log(show(result))
  const accounts = await app.getAccounts()
  console.log(`the cache now holds ${accounts.length} account: ${accounts.map((a) => a.username).join(', ')}`)
  check(result.token_source === 'identity_provider' && accounts.length === 1, 'the refresh token was redeemed and the account cached')
} finally {
  await idp.stop()
}
