import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'

const pkg = (name: string): string => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url))

export default defineConfig({
  resolve: {
    alias: {
      '@authfold/core/pfx': fileURLToPath(new URL('./packages/core/src/credentials/pfx.ts', import.meta.url)),
      '@authfold/grants/lean': fileURLToPath(new URL('./packages/grants/src/lean.ts', import.meta.url)),
      '@authfold/client/lean': fileURLToPath(new URL('./packages/client/src/lean.ts', import.meta.url)),
      '@authfold/core': pkg('core'),
      '@authfold/cache': pkg('cache'),
      '@authfold/grants': pkg('grants'),
      '@authfold/wstrust': pkg('wstrust'),
      '@authfold/client': pkg('client'),
      '@authfold/node': pkg('node'),
      '@authfold/testing': pkg('testing'),
      '@authfold/cli': pkg('cli'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Type tests (`*.test-d.ts`, expectTypeOf) run with the runtime tests, checked by tsc.
    typecheck: {
      enabled: true,
      include: ['packages/*/src/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
})
