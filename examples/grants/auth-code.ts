/**
 * The authorization code flow with PKCE on a public (desktop) client: the app makes the
 * authorize URL, the user signs in on the IdP's page (here `signInWithoutBrowser` fills in
 * the form over real HTTPS instead of a browser), and the app redeems the code it gets back
 * with its PKCE verifier.
 */
import { createPublicClient } from '@authfold/client'
import { nodeHttpClient } from '@authfold/node'
import { signInWithoutBrowser, startIdentityProvider } from '@authfold/testing'
import { check, show } from './show.js'

const password = 'example-password-not-printed'
const idp = await startIdentityProvider()
try {
  idp.registerClient({ clientId: 'desktop-app' }) // a public client: no credential
  idp.registerUser({ username: 'ada@authfold.test', password, name: 'Ada' })
  const app = createPublicClient({ clientId: 'desktop-app', authority: idp.authority(), http: nodeHttpClient({ ca: idp.ca }), validateAuthority: false })

  const flow = await app.initiateAuthCodeFlow(['User.Read'], { redirectUri: 'http://localhost:8400' })
  const authResponse = await signInWithoutBrowser({ authUri: flow.auth_uri, username: 'ada@authfold.test', password, ca: idp.ca })
  const result = await app.acquireTokenByAuthCodeFlow(flow, authResponse)
  console.log(show(result))

  const authorize = idp.requests.find((r) => r.path.endsWith('/authorize'))
  const redeem = idp.requests.find((r) => r.path.endsWith('/token'))
  console.log(`authorize asked code_challenge_method=${authorize?.query['code_challenge_method'] ?? '?'}; the code was redeemed with code_verifier=${redeem?.form['code_verifier'] ?? '?'}`)
  check(result.account?.username === 'ada@authfold.test' && authorize?.query['code_challenge_method'] === 'S256', 'Ada signed in with PKCE (S256)')
} finally {
  await idp.stop()
}
