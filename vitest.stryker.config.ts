/**
 * The vitest configuration StrykerJS runs (`pnpm mutate`, stryker.config.mjs): the main
 * one, limited to the tests beside the mutated code (core, cache, grants) and without the
 * type tests (they check types, not behaviour: no mutant can fail them at run time). The
 * facade, Node store, bundle and tarball tests start servers, spawn processes or build
 * from the sources for every run, which would make each mutant cost seconds.
 */
import { defineConfig } from 'vitest/config'
import base from './vitest.config.js'

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/core/src/**/*.test.ts', 'packages/cache/src/**/*.test.ts', 'packages/grants/src/**/*.test.ts'],
    typecheck: { enabled: false },
  },
})
