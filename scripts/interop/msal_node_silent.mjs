/**
 * Loads a cache into @azure/msal-node and asks for tokens silently.
 *
 * stdin: {authority, host_port, ca_file, public_hosts?, cache, public: {client_id, username, scopes},
 *         confidential: {client_id, secret, scopes}}   (either part optional)
 * stdout: {accounts, user, app, cache}
 *
 * - user: getAllAccounts() (the one with that username), then acquireTokenSilent;
 * - app: acquireTokenByClientCredential, which looks in the cache first.
 * `from_cache` is msal-node's own `fromCache`; `from_input_cache` says whether the access
 * token returned was one of the cache given.
 */
import { ConfidentialClientApplication, PublicClientApplication, version } from '@azure/msal-node'
import { appConfig, outcome, readInput, writeOutput } from './msal_node_common.mjs'

const cfg = await readInput()
const cached = Object.values(JSON.parse(cfg.cache || '{}').AccessToken ?? {}).map((e) => e.secret)
const out = { msal_node_version: version }
let cache = cfg.cache

if (cfg.public) {
  const pca = new PublicClientApplication(appConfig(cfg, cfg.public.client_id))
  pca.getTokenCache().deserialize(cache)
  const all = await pca.getTokenCache().getAllAccounts()
  out.accounts = all.map((a) => ({ home_account_id: a.homeAccountId, environment: a.environment, realm: a.tenantId, local_account_id: a.localAccountId, username: a.username }))
  const account = all.find((a) => a.username.toLowerCase() === cfg.public.username.toLowerCase())
  out.user = account === undefined ? { ok: false, none: true } : await outcome(() => pca.acquireTokenSilent({ account, scopes: cfg.public.scopes }), cached)
  cache = pca.getTokenCache().serialize()
}

if (cfg.confidential) {
  const cca = new ConfidentialClientApplication(appConfig(cfg, cfg.confidential.client_id, { clientSecret: cfg.confidential.secret }))
  cca.getTokenCache().deserialize(cache)
  out.app = await outcome(() => cca.acquireTokenByClientCredential({ scopes: cfg.confidential.scopes }), cached)
  cache = cca.getTokenCache().serialize()
}

out.cache = cache
writeOutput(out)
