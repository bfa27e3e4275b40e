/**
 * An SSH certificate (Entra's `token_type=ssh-cert`): the app sends the public key to
 * certify as a JWK (`req_cnf`) with a key id, and gets an OpenSSH certificate in
 * `access_token`, cached under that key id.
 */
import { generateKeyPairSync } from 'node:crypto'
import { createConfidentialClient } from '@authfold/client'
import { clientSecret } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider } from '@authfold/testing'
import { check, show } from './show.js'

const scope = 'https://pas.windows.net/CheckMyAccess/Linux/.default'
const idp = await startIdentityProvider()
try {
  idp.registerClient({ clientId: 'ssh-app', secret: 'example-secret-not-printed' })
  const app = createConfidentialClient({ clientId: 'ssh-app', authority: idp.authority(), credential: clientSecret('example-secret-not-printed'), http: nodeHttpClient({ ca: idp.ca }), validateAuthority: false })

  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const { kty, n, e } = publicKey.export({ format: 'jwk' })
  const sshCertificate = { keyId: 'example-key', reqCnf: JSON.stringify({ kty, n, e, kid: 'example-key' }) }
  const cert = await app.acquireTokenForClient([scope], { sshCertificate })
  const again = await app.acquireTokenForClient([scope], { sshCertificate })
  console.log(`first call:  ${show(cert)}`)
  console.log(`second call: ${show(again)}`)
  console.log(`certificate type: ${cert.access_token.split(' ')[0] ?? '?'}`)
  check(cert.token_type === 'ssh-cert' && again.token_source === 'cache', 'an SSH certificate, then the same one from the cache')
} finally {
  await idp.stop()
}
