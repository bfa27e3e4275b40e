/**
 * Signs in with @azure/msal-node against the local IdP and prints the serialized cache.
 *
 * stdin: {authority, host_port, ca_file, public_hosts?, public: {client_id, username, password, scopes},
 *         confidential: {client_id, secret, scopes}}   (either part optional)
 * stdout: {msal_node_version, user, app, cache}
 *
 * The user signs in with acquireTokenByUsernamePassword on a PublicClientApplication; the
 * app gets a client-credentials token on a ConfidentialClientApplication; the second app
 * starts from the first one's cache, so the printed cache holds both.
 */
import { ConfidentialClientApplication, PublicClientApplication, version } from '@azure/msal-node'
import { appConfig, outcome, readInput, writeOutput } from './msal_node_common.mjs'

const cfg = await readInput()
const out = { msal_node_version: version }
let cache = ''

if (cfg.public) {
  const pca = new PublicClientApplication(appConfig(cfg, cfg.public.client_id))
  out.user = await outcome(() =>
    pca.acquireTokenByUsernamePassword({ username: cfg.public.username, password: cfg.public.password, scopes: cfg.public.scopes }),
  )
  cache = pca.getTokenCache().serialize()
}

if (cfg.confidential) {
  const cca = new ConfidentialClientApplication(appConfig(cfg, cfg.confidential.client_id, { clientSecret: cfg.confidential.secret }))
  if (cache !== '') cca.getTokenCache().deserialize(cache)
  out.app = await outcome(() => cca.acquireTokenByClientCredential({ scopes: cfg.confidential.scopes }))
  cache = cca.getTokenCache().serialize()
}

out.cache = cache
writeOutput(out)
