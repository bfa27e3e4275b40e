/**
 * Bundles a one-file app the way an app's bundler would (ESM, minified, tree-shaken) with
 * rollup or esbuild, for the node or the browser platform. The app imports the packages by
 * name and they resolve as they do for a user: through `node_modules`, each package's
 * `exports` map and its built `dist/` (run `ensureBuilt()` first), never the workspace
 * sources or tsconfig paths. Used by `pnpm size` and by the bundle test that checks what an
 * app must not contain.
 */
import { rollup, type Plugin } from 'rollup'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import commonjs from '@rollup/plugin-commonjs'
import terser from '@rollup/plugin-terser'
import { build as esbuild } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { builtinModules } from 'node:module'
import { relative, resolve } from 'node:path'
import { typescriptTranspile } from './rollup-ts.mjs'
import { root } from './build.js'

/** A bundler and the platform it bundles for. */
export interface Target {
  readonly bundler: 'rollup' | 'esbuild'
  readonly platform: 'node' | 'browser'
}

/** The four targets the size report and the bundle test cover. */
export const targets: ReadonlyArray<Target> = [
  { bundler: 'rollup', platform: 'browser' },
  { bundler: 'rollup', platform: 'node' },
  { bundler: 'esbuild', platform: 'browser' },
  { bundler: 'esbuild', platform: 'node' },
]

export interface BundleReport {
  readonly entry: string
  readonly target: Target
  readonly minified: number
  readonly gzipped: number
  readonly code: string
  /**
   * The modules in the bundle: `packages/<pkg>/dist/...` for ours, `<package>/<path>` for
   * dependencies (`fp-ts/es6/Either.js`), the entry as its workspace path.
   */
  readonly modules: ReadonlyArray<string>
  /**
   * Each module's share of the minified output before gzip (rollup's `renderedLength` after
   * tree-shaking, esbuild's `bytesInOutput`), named as in {@link BundleReport.modules}, largest first.
   */
  readonly moduleSizes: ReadonlyArray<readonly [string, number]>
}

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])

/** A module id as the report names it (see {@link BundleReport.modules}). */
const moduleName = (id: string): string =>
  id.includes('node_modules') ? id.replace(/^.*node_modules[\\/]/, '') : relative(root, id).replace(/\\/g, '/')

const report = (entry: string, target: Target, code: string, sizes: ReadonlyArray<readonly [string, number]>): BundleReport => ({
  entry,
  target,
  minified: Buffer.byteLength(code),
  gzipped: gzipSync(code, { level: 9 }).length,
  code,
  modules: sizes.map(([id]) => moduleName(id)),
  moduleSizes: sizes.map(([id, n]) => [moduleName(id), n] as const).sort((a, b) => b[1] - a[1]),
})

/**
 * rollup as an app configures it: node-resolve with the platform's export conditions (its
 * own defaults `default`, `module`, `import` come first), commonjs for CommonJS
 * dependencies, terser.
 */
const withRollup = async (entry: string, target: Target): Promise<BundleReport> => {
  const build = await rollup({
    input: resolve(root, entry),
    onwarn: () => undefined,
    external: (id) => target.platform === 'node' && builtins.has(id),
    plugins: [
      typescriptTranspile() as Plugin,
      nodeResolve({
        preferBuiltins: target.platform === 'node',
        browser: target.platform === 'browser',
        exportConditions: [target.platform],
      }),
      commonjs({ ignoreDynamicRequires: true }),
      terser({ format: { comments: false } }) as Plugin,
    ],
  })
  const { output } = await build.generate({ format: 'es', inlineDynamicImports: true })
  await build.close()
  const chunk = output[0]
  const ids = chunk.moduleIds.filter((id) => !id.startsWith('\0'))
  return report(entry, target, chunk.code, ids.map((id) => [id, chunk.modules[id]?.renderedLength ?? 0] as const))
}

/**
 * esbuild with its defaults for the platform (`--platform=node` prefers `main` over `module`
 * and matches the `node` condition, which is what made server bundles CommonJS before).
 * `tsconfigRaw: {}` keeps it from reading the workspace's tsconfig paths to the sources.
 */
const withEsbuild = async (entry: string, target: Target): Promise<BundleReport> => {
  const r = await esbuild({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: target.platform,
    write: false,
    metafile: true,
    logLevel: 'silent',
    tsconfigRaw: {},
  })
  const code = r.outputFiles[0]?.text ?? ''
  // The modules that put code in the output (the metafile's inputs also list every module
  // esbuild read and then shook out entirely).
  const kept = Object.values(r.metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs).flatMap(([id, i]) => (i.bytesInOutput > 0 ? [[id, i.bytesInOutput] as const] : [])),
  )
  return report(entry, target, code, kept)
}

/** Bundles `entry` (a path from the repository root) for `target` and reports its sizes. */
export const bundle = (entry: string, target: Target): Promise<BundleReport> =>
  target.bundler === 'rollup' ? withRollup(entry, target) : withEsbuild(entry, target)
