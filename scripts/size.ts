/**
 * `pnpm size`: bundles (minified, gzipped) of one-file apps that acquire an app token with
 * client credentials (through the facade, or through the client context and one method), or
 * sign a user in (device code, auth code with PKCE, username and password), written with authfold and with msal-node, side by side. Each app is
 * bundled by rollup and by esbuild, for the browser and for node, from the built packages
 * as a user installs them (the build runs first if the sources changed). msal-node runs
 * only on Node, so its browser cells are empty.
 */
import { ensureBuilt } from './build.js'
import { bundle, targets } from './bundle.js'

const apps = [
  ['client credentials + secret (facade)', 'authfold-secret', 'msal-node-secret'],
  ['client credentials + secret (context)', 'authfold-secret-context', 'msal-node-secret'],
  ['client credentials + certificate (ctx)', 'authfold-certificate', 'msal-node-certificate'],
  ['client credentials + .pfx (ctx)', 'authfold-pfx', 'msal-node-certificate'],
  ['device code (public client)', 'authfold-device-code', 'msal-node-device-code'],
  ['auth code + PKCE (web app sign-in)', 'authfold-auth-code', 'msal-node-auth-code'],
  ['username + password (managed user)', 'authfold-username-password', 'msal-node-username-password'],
  ['username + password (+ federated, WS-Trust)', 'authfold-username-password-federated', 'msal-node-username-password'],
  ['silent flow (getAccounts + silent)', 'authfold-silent', 'msal-node-silent'],
  ['on-behalf-of + secret (middle tier)', 'authfold-on-behalf-of', 'msal-node-on-behalf-of'],
  ['managed identity (IMDS and the other sources)', 'authfold-managed-identity', 'msal-node-managed-identity'],
] as const

await ensureBuilt()
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`
console.log('app (ESM, minified)                  bundler  platform  authfold min  authfold gz  msal-node min  msal-node gz   gz ratio')
for (const [label, ours, theirs] of apps) {
  for (const target of targets) {
    const a = await bundle(`examples/size-apps/${ours}.ts`, target)
    const b = target.platform === 'node' ? await bundle(`examples/size-apps/${theirs}.ts`, target) : undefined
    console.log(
      [
        label.padEnd(36),
        target.bundler.padEnd(7),
        target.platform.padEnd(8),
        kb(a.minified).padStart(12),
        kb(a.gzipped).padStart(11),
        (b === undefined ? '—' : kb(b.minified)).padStart(13),
        (b === undefined ? '—' : kb(b.gzipped)).padStart(12),
        b === undefined ? '' : `  ${(b.gzipped / a.gzipped).toFixed(1)}x smaller`,
      ].join('  '),
    )
  }
}
