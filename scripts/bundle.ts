/**
 * Bundles a one-file app with rollup the way an app's bundler would (ESM, node resolution,
 * tree-shaking, terser), straight from the workspace sources. Used by `pnpm size` and by the
 * bundle test that checks what an entry must not contain.
 */
import { rollup, type Plugin } from 'rollup'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import commonjs from '@rollup/plugin-commonjs'
import terser from '@rollup/plugin-terser'
import { gzipSync } from 'node:zlib'
import { builtinModules } from 'node:module'
import { typescriptTranspile } from './rollup-ts.mjs'

export interface BundleReport {
  readonly entry: string
  readonly minified: number
  readonly gzipped: number
  readonly code: string
  /** node_modules packages (and workspace modules) that ended up in the bundle. */
  readonly modules: ReadonlyArray<string>
}

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])

/** Bundles `entry` (a path) for the given platform and reports its sizes. */
export const bundle = async (entry: string, platform: 'node' | 'browser' = 'node'): Promise<BundleReport> => {
  const build = await rollup({
    input: entry,
    onwarn: () => undefined,
    external: (id) => builtins.has(id),
    treeshake: { moduleSideEffects: (id) => !/[\\/]packages[\\/]/.test(id) || /node_modules/.test(id) },
    plugins: [
      typescriptTranspile({ workspaceSources: true }) as Plugin,
      nodeResolve({ preferBuiltins: true, browser: platform === 'browser', exportConditions: platform === 'node' ? ['node', 'import', 'default'] : ['browser', 'import', 'default'] }),
      commonjs({ ignoreDynamicRequires: true }),
      terser({ format: { comments: false } }) as Plugin,
    ],
  })
  const { output } = await build.generate({ format: 'es', inlineDynamicImports: true })
  await build.close()
  const chunk = output[0]
  const code = chunk.code
  return {
    entry,
    minified: Buffer.byteLength(code),
    gzipped: gzipSync(code, { level: 9 }).length,
    code,
    modules: chunk.moduleIds.map((m) => m.replace(/^.*node_modules[\\/]/, '').replace(/^.*[\\/]packages[\\/]/, 'packages/')),
  }
}
