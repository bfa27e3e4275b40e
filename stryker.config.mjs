// StrykerJS over the pure layers: `pnpm mutate` (core, cache and grants) or, for one package,
// `pnpm mutate --mutate 'packages/core/src/**/*.ts,!packages/core/src/**/*.test*.ts,!packages/core/src/**/index.ts'`.
// StrykerJS 10 needs Node 22: the script runs it with node@22 from the npm registry (npx).
// Incremental: results are kept in reports/mutation/stryker-incremental.json, so a rerun
// tests only the mutants whose code or tests changed. Not run in CI (it takes long).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'pnpm',
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.stryker.config.ts', related: false, pool: 'forks' },
  mutate: [
    'packages/core/src/**/*.ts',
    'packages/cache/src/**/*.ts',
    'packages/grants/src/**/*.ts',
    '!packages/*/src/**/*.test.ts',
    '!packages/*/src/**/*.test-d.ts',
    '!packages/*/src/**/index.ts',
  ],
  coverageAnalysis: 'perTest',
  // Module-level constants would need every test rerun per mutant; they are skipped.
  ignoreStatic: true,
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 80, low: 60, break: null },
}
