// Builds every package to ESM, one output file per source module (so bundlers can drop
// whatever an app does not import). Types come from `tsc` (see scripts/build.ts).
import { typescriptTranspile } from './scripts/rollup-ts.mjs'

const packages = ['core', 'cache', 'grants', 'wstrust', 'client', 'node', 'testing', 'cli']

/** Entry points beside `src/index.ts`, as `exports` subpaths name them (see the package.json). */
const extraEntries = {
  core: ['src/http/crossFetchHttpClient.ts', 'src/credentials/pfx.ts'],
  cli: ['src/bin.ts'],
  grants: ['src/lean.ts'],
  client: ['src/lean.ts'],
}

/** Anything that is not a relative or absolute path is a dependency, not bundled. */
const external = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0')

/**
 * fp-ts and io-ts have no `exports` map. Their bare deep imports (`fp-ts/Either`) resolve
 * through per-module package.json files whose `main` is CommonJS (`lib/`) and whose `module`
 * is ESM (`es6/`), and which one a bundler takes depends on its platform: esbuild with
 * `--platform=node` takes `main`, so a server bundle got fp-ts's CommonJS (no tree-shaking,
 * twice the size). So each build names the files itself:
 * - `dist/` (bundlers; the `module` and `default` export conditions) imports the ESM files,
 *   `fp-ts/es6/Either.js`, which every bundler on every platform takes as they are;
 * - `dist/node/` (Node's own loader; the `node` condition) imports the CommonJS files,
 *   `fp-ts/lib/Either.js`, since Node cannot load `es6/` (extensionless relative imports
 *   in files Node takes for CommonJS).
 * An app that imports fp-ts itself shares our copy when it takes the same folder (README,
 * "Packaging: ESM only").
 */
const deepImport = (folder) => (id) => {
  const m = /^(fp-ts|io-ts)(?:\/([A-Za-z]+))?$/.exec(id)
  return m ? `${m[1]}/${folder}/${m[2] ?? 'index'}.js` : id
}

const output = (name, dir, folder) => ({
  dir: `packages/${name}/${dir}`,
  format: 'es',
  preserveModules: true,
  preserveModulesRoot: `packages/${name}/src`,
  entryFileNames: '[name].js',
  paths: deepImport(folder),
})

export default packages.map((name) => ({
  input: ['src/index.ts', ...(extraEntries[name] ?? [])].map((f) => `packages/${name}/${f}`),
  external,
  treeshake: { moduleSideEffects: false },
  output: [output(name, 'dist', 'es6'), output(name, 'dist/node', 'lib')],
  plugins: [typescriptTranspile()],
}))
