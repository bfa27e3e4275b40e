/**
 * The device code flow: a CLI shows a code, the user enters it on another device (here the
 * local IdP approves it as the user would), and the CLI's polling gets the tokens.
 */
import { createPublicClient } from '@authfold/client'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider } from '@authfold/testing'
import { check, show } from './show.js'

const idp = await startIdentityProvider()
try {
  idp.registerClient({ clientId: 'cli-app' })
  idp.registerUser({ username: 'ada@authfold.test', password: 'example-password-not-printed', name: 'Ada' })
  idp.deviceCodes.configure({ intervalSeconds: 1 }) // poll every second, not every five
  const app = createPublicClient({ clientId: 'cli-app', authority: idp.authority(), http: nodeHttpClient({ ca: idp.ca }), validateAuthority: false })

  const flow = await app.initiateDeviceFlow(['User.Read'])
  console.log(flow.message)
  setTimeout(() => idp.deviceCodes.approve(flow.user_code, 'ada@authfold.test'), 1_500) // the user, on another device
  const result = await app.acquireTokenByDeviceFlow(flow)
  console.log(show(result))
  check(result.account?.username === 'ada@authfold.test', 'Ada signed in with the device code')
} finally {
  await idp.stop()
}
