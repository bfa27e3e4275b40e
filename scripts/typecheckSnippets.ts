/**
 * Type-checks code snippets (README and docs ```ts blocks, doc comments' `@example` blocks)
 * against the packages, all in one TypeScript program: each snippet is a module at its own
 * virtual path (so its imports resolve as a file in that folder would), compiled with the
 * workspace's `tsconfig.base.json` (tsconfig paths to the sources), unused names allowed.
 * Used by `readme.test.ts` and `docExamples.test.ts`.
 */
import ts from 'typescript'
import { join } from 'node:path'
import { root } from './build.js'

/** One snippet: its code, where it is compiled, and where its diagnostics are reported. */
export interface Snippet {
  readonly virtualPath: string
  readonly code: string
  /** The file the snippet comes from, for the report. */
  readonly file: string
  /** The line of that file the snippet's first line is on. */
  readonly line: number
}

const compilerOptions = (): ts.CompilerOptions => {
  const configPath = join(root, 'tsconfig.base.json')
  const config = ts.readConfigFile(configPath, ts.sys.readFile.bind(ts.sys))
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath)
  return {
    ...parsed.options,
    noEmit: true,
    noUnusedLocals: false,
    noUnusedParameters: false,
    moduleDetection: ts.ModuleDetectionKind.Force,
    types: ['node'],
  }
}

/** Type-checks every snippet in one program; the messages of each, as `file:line: TSxxxx message`. */
export const typecheckSnippets = <S extends Snippet>(snippets: ReadonlyArray<S>): ReadonlyMap<S, ReadonlyArray<string>> => {
  const options = compilerOptions()
  const host = ts.createCompilerHost(options)
  const byPath = new Map(snippets.map((s) => [s.virtualPath, s]))
  const getSourceFile = host.getSourceFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  const readFile = host.readFile.bind(host)
  host.getSourceFile = (name, version, onError, create) => {
    const s = byPath.get(name)
    return s !== undefined ? ts.createSourceFile(name, s.code, version, true) : getSourceFile(name, version, onError, create)
  }
  host.fileExists = (name) => byPath.has(name) || fileExists(name)
  host.readFile = (name) => byPath.get(name)?.code ?? readFile(name)
  const program = ts.createProgram([...byPath.keys()], options, host)
  const out = new Map<S, Array<string>>(snippets.map((s) => [s, []]))
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const s = d.file === undefined ? undefined : byPath.get(d.file.fileName)
    if (s === undefined || d.file === undefined) continue
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0)
    out.get(s)?.push(`${s.file}:${s.line + line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
  }
  return out
}
