// Builds every package to ESM, one output file per source module (so bundlers can drop
// whatever an app does not import). Types come from `tsc` (see package.json "build").
import { typescriptTranspile } from './scripts/rollup-ts.mjs'

const packages = ['core', 'cache', 'grants', 'client', 'node', 'testing']

/** Anything that is not a relative or absolute path is a dependency, not bundled. */
const external = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0')

export default packages.map((name) => ({
  input: `packages/${name}/src/index.ts`,
  external,
  treeshake: { moduleSideEffects: false },
  output: {
    dir: `packages/${name}/dist`,
    format: 'es',
    preserveModules: true,
    preserveModulesRoot: `packages/${name}/src`,
    entryFileNames: '[name].js',
  },
  plugins: [typescriptTranspile()],
}))
