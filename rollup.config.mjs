// Builds every package to ESM, one output file per source module (so bundlers can drop
// whatever an app does not import). Types come from `tsc` (see package.json "build").
import { typescriptTranspile } from './scripts/rollup-ts.mjs'

const packages = ['core', 'cache', 'grants', 'client', 'node', 'testing']

/** Anything that is not a relative or absolute path is a dependency, not bundled. */
const external = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0')

/**
 * fp-ts and io-ts publish ESM for bundlers (their `module` field) but have no `exports` map,
 * so Node's own ESM loader cannot resolve `fp-ts/Either`. The `node` build points those deep
 * imports at their CommonJS files, which Node imports fine; bundlers get the ESM build
 * (package.json `exports`: `module` before `node`).
 */
const nodePaths = (id) => {
  const m = /^(fp-ts|io-ts)\/([A-Za-z]+)$/.exec(id)
  return m ? `${m[1]}/lib/${m[2]}.js` : id
}

const output = (name, dir, paths) => ({
  dir: `packages/${name}/${dir}`,
  format: 'es',
  preserveModules: true,
  preserveModulesRoot: `packages/${name}/src`,
  entryFileNames: '[name].js',
  ...(paths === undefined ? {} : { paths }),
})

export default packages.map((name) => ({
  input: `packages/${name}/src/index.ts`,
  external,
  treeshake: { moduleSideEffects: false },
  output: [output(name, 'dist'), output(name, 'dist/node', nodePaths)],
  plugins: [typescriptTranspile()],
}))
