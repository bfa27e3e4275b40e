/**
 * `pnpm size`: bundles (minified, gzipped) of one-file apps that acquire an app token with
 * client credentials (through the lean entry point `@authfold/grants/lean`, through the
 * facade, or through the client context and one method), or sign a user in (device code,
 * auth code with PKCE, username and password), written with authfold and with msal-node, side
 * by side. Each app is bundled by rollup and by esbuild, for the browser and for node, from the
 * built packages as a user installs them (the build runs first if the sources changed).
 * msal-node runs only on Node, so its browser cells are empty.
 *
 * Every authfold app has a budget (gzipped, rollup, either platform): the report prints it
 * beside the figure and exits non-zero when a bundle grows past it. Two apps also carry the
 * goal of issue 14 (5.0 KB through the lean grant, 10 KB through the lean `createConfidentialClient`), printed as met or not (a goal is not a budget:
 * missing it does not fail the run).
 *
 * `pnpm size --rollup-only` (what `.ci/run` runs): rollup only and no msal-node bundles, the
 * budgeted figures in about a minute.
 */
import { ensureBuilt } from './build.js'
import { bundle, targets } from './bundle.js'

/** [label, authfold app, msal-node app, budget in KB gzipped (rollup), goal in KB if any]. */
export const apps = [
  ['client credentials + secret (lean entry)', 'authfold-secret-lean', 'msal-node-secret', 7.1, 5.0],
  ['client credentials + secret (steps, no cache)', 'authfold-secret-steps', 'msal-node-secret', 4.9, undefined],
  ['client credentials + secret (lean facade)', 'authfold-secret-lean-facade', 'msal-node-secret', 9.3, 10.0],
  ['client credentials + secret (facade)', 'authfold-secret', 'msal-node-secret', 34.7, undefined],
  ['client credentials + secret (context)', 'authfold-secret-context', 'msal-node-secret', 22.1, undefined],
  ['client credentials + certificate (ctx)', 'authfold-certificate', 'msal-node-certificate', 30.9, undefined],
  ['client credentials + .pfx (ctx)', 'authfold-pfx', 'msal-node-certificate', 108.8, undefined],
  ['device code (public client)', 'authfold-device-code', 'msal-node-device-code', 23.4, undefined],
  ['auth code + PKCE (web app sign-in)', 'authfold-auth-code', 'msal-node-auth-code', 24.4, undefined],
  ['username + password (managed user)', 'authfold-username-password', 'msal-node-username-password', 23.2, undefined],
  ['username + password (+ federated, WS-Trust)', 'authfold-username-password-federated', 'msal-node-username-password', 33.8, undefined],
  ['silent flow (getAccounts + silent)', 'authfold-silent', 'msal-node-silent', 25.4, undefined],
  ['on-behalf-of + secret (middle tier)', 'authfold-on-behalf-of', 'msal-node-on-behalf-of', 23.6, undefined],
  ['managed identity (IMDS and the other sources)', 'authfold-managed-identity', 'msal-node-managed-identity', 17.9, undefined],
] as const

/** One measured bundle: the app's label, bundler, platform and gzipped bytes. */
export interface Measured {
  readonly label: string
  readonly bundler: 'rollup' | 'esbuild'
  readonly platform: 'node' | 'browser'
  readonly gzipped: number
}

/**
 * The measured bundles past their app's budget (rollup only: esbuild's figures are printed,
 * not budgeted), each as a line for the report; empty when every app is within its budget.
 */
export const budgetOverruns = (measured: ReadonlyArray<Measured>, budgets: ReadonlyArray<readonly [string, number]>): ReadonlyArray<string> =>
  measured.flatMap((m) => {
    const budget = budgets.find(([label]) => label === m.label)?.[1]
    if (m.bundler !== 'rollup') return []
    if (budget === undefined) return [`${m.label} (${m.bundler}, ${m.platform}): no budget in scripts/size.ts`]
    return m.gzipped / 1024 > budget ? [`${m.label} (${m.bundler}, ${m.platform}): ${(m.gzipped / 1024).toFixed(1)} KB > budget ${budget.toFixed(1)} KB`] : []
  })

if (process.argv[1]?.endsWith('size.ts') === true) {
  const rollupOnly = process.argv.includes('--rollup-only')
  await ensureBuilt()
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`
  const measured: Array<Measured> = []
  console.log(
    'app (ESM, minified)                            bundler  platform  authfold min  authfold gz    budget  goal         msal-node min  msal-node gz   gz ratio',
  )
  for (const [label, ours, theirs, budget, goal] of apps) {
    for (const target of targets.filter((t) => !rollupOnly || t.bundler === 'rollup')) {
      const a = await bundle(`examples/size-apps/${ours}.ts`, target)
      const b = target.platform === 'node' && !rollupOnly ? await bundle(`examples/size-apps/${theirs}.ts`, target) : undefined
      const budgeted = target.bundler === 'rollup'
      const gzKb = a.gzipped / 1024
      measured.push({ label, bundler: target.bundler, platform: target.platform, gzipped: a.gzipped })
      console.log(
        [
          label.padEnd(45),
          target.bundler.padEnd(7),
          target.platform.padEnd(8),
          kb(a.minified).padStart(12),
          kb(a.gzipped).padStart(11),
          (budgeted ? `${budget.toFixed(1)} KB${gzKb > budget ? '!' : ' '}` : '').padStart(9),
          (goal === undefined ? '' : `${goal.toFixed(1)} KB ${gzKb <= goal ? 'met' : 'not met'}`).padEnd(12),
          (b === undefined ? '—' : kb(b.minified)).padStart(13),
          (b === undefined ? '—' : kb(b.gzipped)).padStart(12),
          b === undefined ? '' : b.gzipped >= a.gzipped ? `  ${(b.gzipped / a.gzipped).toFixed(1)}x smaller` : `  ${(a.gzipped / b.gzipped).toFixed(1)}x larger`,
        ].join('  '),
      )
    }
  }
  const over = budgetOverruns(
    measured,
    apps.map(([label, , , budget]) => [label, budget] as const),
  )
  if (over.length > 0) {
    console.error(`\nOver budget (gzipped, rollup; budgets in scripts/size.ts):\n${over.map((o) => `  ${o}`).join('\n')}`)
    process.exitCode = 1
  } else console.log('\nEvery app is within its budget (gzipped, rollup; budgets in scripts/size.ts).')
}
