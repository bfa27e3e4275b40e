/**
 * Runs a list of steps with @azure/msal-node, each on a new application loaded with the cache
 * the step before left, and prints the cache.
 *
 * stdin: {authority, host_port, ca_file, public_hosts?, cache?, steps: [step, ...]}
 * A step: {op: 'password' | 'silent' | 'obo', client_id, authority?, secret?, username?,
 *          password?, scopes, assertion?, account_tenant?, force_refresh?}
 * - password: PublicClientApplication.acquireTokenByUsernamePassword;
 * - silent: getAllAccounts() (the one with that username), then acquireTokenSilent with the
 *   step's authority (e.g. a guest tenant); msal-node takes the realm of its cache lookup
 *   from the account's `tenantId`, so a guest-tenant call hands it `account_tenant`;
 *   `force_refresh` sets `forceRefresh`;
 * - obo: ConfidentialClientApplication.acquireTokenOnBehalfOf({oboAssertion, scopes}).
 * stdout: {msal_node_version, results: [outcome + accounts], cache}
 */
import { ConfidentialClientApplication, PublicClientApplication, version } from '@azure/msal-node'
import { appConfig, outcome, readInput, writeOutput } from './msal_node_common.mjs'

const cfg = await readInput()
const cached = Object.values(JSON.parse(cfg.cache || '{}').AccessToken ?? {}).map((e) => e.secret)
const out = { msal_node_version: version, results: [] }
let cache = cfg.cache ?? ''

for (const step of cfg.steps) {
  const stepCfg = { ...cfg, authority: step.authority ?? cfg.authority }
  let app
  let result
  if (step.op === 'obo') {
    app = new ConfidentialClientApplication(appConfig(stepCfg, step.client_id, { clientSecret: step.secret }))
    if (cache !== '') app.getTokenCache().deserialize(cache)
    result = await outcome(() => app.acquireTokenOnBehalfOf({ oboAssertion: step.assertion, scopes: step.scopes }), cached)
  } else {
    app = new PublicClientApplication(appConfig(stepCfg, step.client_id))
    if (cache !== '') app.getTokenCache().deserialize(cache)
    if (step.op === 'password') {
      result = await outcome(() => app.acquireTokenByUsernamePassword({ username: step.username, password: step.password, scopes: step.scopes }), cached)
    } else {
      const all = await app.getTokenCache().getAllAccounts()
      // An app with no IdToken of its own (a family app new to this cache) sees username "".
      const account = all.find((a) => a.username.toLowerCase() === step.username.toLowerCase()) ?? (all.length === 1 ? all[0] : undefined)
      result =
        account === undefined
          ? { ok: false, none: true }
          : await outcome(
              () =>
                app.acquireTokenSilent({
                  account: step.account_tenant === undefined ? account : { ...account, tenantId: step.account_tenant },
                  scopes: step.scopes,
                  authority: stepCfg.authority,
                  forceRefresh: step.force_refresh === true,
                }),
              cached,
            )
      result.accounts = all.map((a) => ({ home_account_id: a.homeAccountId, environment: a.environment, realm: a.tenantId, username: a.username }))
    }
  }
  out.results.push(result)
  cache = app.getTokenCache().serialize()
}

out.cache = cache
writeOutput(out)
