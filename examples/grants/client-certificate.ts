/**
 * Client credentials with a certificate: the app signs an RFC 7523 client assertion with
 * its private key (made here at run time), and the IdP checks it against the registered
 * certificate's thumbprint.
 */
import { createConfidentialClient } from '@authfold/client'
import { certificate } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { selfSignedCertificate, startIdentityProvider } from '@authfold/testing'
import { check, show } from './show.js'

const idp = await startIdentityProvider()
try {
  const cert = await selfSignedCertificate({ commonName: 'example-daemon' })
  idp.registerClient({ clientId: 'cert-app', certificate: { certificatePem: cert.certificatePem } })
  const app = createConfidentialClient({
    clientId: 'cert-app',
    authority: idp.authority(),
    credential: certificate({ privateKey: cert.privateKeyPem, thumbprint: cert.sha1Thumbprint }),
    http: nodeHttpClient({ ca: idp.ca }),
    validateAuthority: false,
  })
  const result = await app.acquireTokenForClient(['api://example-api/.default'])
  console.log(show(result))
  const sent = idp.requests.find((r) => r.path.endsWith('/token'))?.form ?? {}
  console.log(`sent client_assertion_type=${sent['client_assertion_type'] ?? '?'}, client_assertion=${sent['client_assertion'] ?? '?'}`)
  check(result.token_source === 'identity_provider' && sent['client_secret'] === undefined, 'authenticated by a signed assertion, no secret sent')
} finally {
  await idp.stop()
}
