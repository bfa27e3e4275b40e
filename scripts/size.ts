/**
 * `pnpm size`: rollup bundles (minified, gzipped) of one-file apps that acquire an app token
 * with client credentials, written with authfold and with msal-node, side by side.
 */
import { bundle } from './bundle.js'

const apps = [
  ['client credentials + clientSecret', 'authfold-secret', 'msal-node-secret'],
  ['client credentials + certificate', 'authfold-certificate', 'msal-node-certificate'],
] as const

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`
console.log('app (rollup + terser, ESM, node)      authfold min   authfold gz   msal-node min   msal-node gz   gz ratio')
for (const [label, ours, theirs] of apps) {
  const a = await bundle(`examples/size-apps/${ours}.ts`)
  const b = await bundle(`examples/size-apps/${theirs}.ts`)
  console.log(
    `${label.padEnd(37)} ${kb(a.minified).padStart(12)}  ${kb(a.gzipped).padStart(12)}  ${kb(b.minified).padStart(14)}  ${kb(b.gzipped).padStart(13)}   ${(b.gzipped / a.gzipped).toFixed(1)}x smaller`,
  )
}
