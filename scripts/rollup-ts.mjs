// A rollup plugin that compiles TypeScript with `ts.transpileModule` (no type checking:
// `pnpm typecheck` does that) and maps the `.js` specifiers of our sources to `.ts` files.
// Optionally resolves `@authfold/<pkg>` to the package's source, for bundling apps straight
// from the workspace.
import ts from 'typescript'
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** @param {{ workspaceSources?: boolean }} [options] */
export const typescriptTranspile = (options = {}) => ({
  name: 'authfold-ts',
  resolveId(source, importer) {
    if (options.workspaceSources) {
      const m = /^@authfold\/([a-z]+)$/.exec(source)
      if (m) return resolve(root, 'packages', m[1], 'src/index.ts')
    }
    if (importer && (source.startsWith('./') || source.startsWith('../')) && source.endsWith('.js')) {
      const candidate = resolve(dirname(importer), source.slice(0, -3) + '.ts')
      if (existsSync(candidate)) return candidate
    }
    return null
  },
  transform(code, id) {
    if (!id.endsWith('.ts')) return null
    const out = ts.transpileModule(code, {
      fileName: id,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: true,
        sourceMap: false,
      },
    })
    return { code: out.outputText, map: null }
  },
})
