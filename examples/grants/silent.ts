/**
 * The silent flow: after a sign-in, the app finds the account in its cache and asks for a
 * token without the user; the cached access token answers, and with `forceRefresh` the
 * refresh token is redeemed instead.
 */
import { createPublicClient } from '@authfold/client'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider } from '@authfold/testing'
import { check, show } from './show.js'

const password = 'example-password-not-printed'
const idp = await startIdentityProvider()
try {
  idp.registerClient({ clientId: 'desktop-app' })
  idp.registerUser({ username: 'ada@authfold.test', password, name: 'Ada' })
  const app = createPublicClient({ clientId: 'desktop-app', authority: idp.authority(), http: nodeHttpClient({ ca: idp.ca }), validateAuthority: false })
  await app.acquireTokenByUsernamePassword('ada@authfold.test', password, ['User.Read'])

  const [account] = await app.getAccounts('ada@authfold.test')
  const cached = await app.acquireTokenSilent(['User.Read'], account ?? null)
  const refreshed = await app.acquireTokenSilent(['User.Read'], account ?? null, { forceRefresh: true })
  console.log(`silent:                ${cached === undefined ? 'nothing cached' : show(cached)}`)
  console.log(`silent (forceRefresh): ${refreshed === undefined ? 'nothing cached' : show(refreshed)}`)
  const grants = idp.requests.filter((r) => r.path.endsWith('/token')).map((r) => r.form['grant_type'])
  console.log(`grant types sent: ${grants.join(', ')}`)
  check(cached?.token_source === 'cache' && refreshed?.token_source === 'identity_provider', 'from the cache, then by the refresh token')
} finally {
  await idp.stop()
}
