/**
 * The layers of the design notes, checked on the real import graph: every shipped source
 * file of `packages/*\/src` (not tests, test kits or test workers) is parsed with the
 * TypeScript compiler API, and each import, `export ... from`, dynamic `import()`,
 * `import('x').T` type and `import x = require()` is held against the "may import" column
 * of the layer table in DESIGN.md. `core`, `cache`, `grants` and `client` must import no
 * Node built-in (`node:` or bare), so they run in browsers, Deno, Bun and workers.
 *
 * DESIGN.md is looked for at `$AUTHFOLD_DESIGN_MD`, then beside the repository root, then
 * in `../shared/` and `/work/shared/`. Packages added after it have their rows in
 * `docs/layers.md` (same table shape), which may add rows but not change the notes' rows.
 */
import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const PACKAGES = join(ROOT, 'packages')

/** Packages that must run outside Node (DESIGN.md, "Layers"). */
const PORTABLE = ['core', 'cache', 'grants', 'wstrust', 'client'] as const

/**
 * Third-party modules core may import beyond its table row. `cross-fetch` backs the
 * optional `crossFetchHttpClient` adapter (issue 8, item 5: "cross-fetch is part of the
 * stack ... an optional peer dependency"); the notes' row predates it. `node-forge` backs the
 * `@authfold/core/pfx` entry point (issue 11: PKCS#12 with the legacy 3DES/RC2 encryptions,
 * which WebCrypto lacks).
 */
const CORE_EXTRA = ['cross-fetch', 'node-forge']

// ---------------------------------------------------------------------------------------
// DESIGN.md: the layer table

const designPath = (): string => {
  const candidates = [
    process.env['AUTHFOLD_DESIGN_MD'],
    join(ROOT, 'DESIGN.md'),
    join(ROOT, 'docs', 'DESIGN.md'),
    join(ROOT, '..', 'shared', 'DESIGN.md'),
    '/work/shared/DESIGN.md',
  ].filter((p): p is string => p !== undefined && p !== '')
  const found = candidates.find((p) => existsSync(p))
  if (found === undefined) throw new Error(`DESIGN.md not found; looked at ${candidates.join(', ')}. Set AUTHFOLD_DESIGN_MD to its path.`)
  return found
}

/** `package -> may import`, from the table under "## Layers"; parentheses are remarks. */
const layerTable = (markdown: string): ReadonlyMap<string, ReadonlyArray<string>> => {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Layers'))
  if (section === undefined) throw new Error('DESIGN.md has no "## Layers" section')
  const rows = section.split('\n').filter((l) => l.startsWith('|'))
  const header = (rows[0] ?? '').split('|').map((c) => c.trim())
  const col = header.indexOf('may import')
  if (col < 0) throw new Error('the layer table has no "may import" column')
  const table = new Map<string, ReadonlyArray<string>>()
  for (const row of rows.slice(2)) {
    const cells = row.split('|').map((c) => c.trim())
    const name = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1]
    if (name === undefined) continue
    const allowed = (cells[col] ?? '')
      .replace(/\([^)]*\)/g, '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
    table.set(name, allowed)
  }
  return table
}

/** The notes' table with the rows of packages added later; a later row for a package of the notes is refused. */
const withLaterLayers = (notes: ReadonlyMap<string, ReadonlyArray<string>>, later: ReadonlyMap<string, ReadonlyArray<string>>): ReadonlyMap<string, ReadonlyArray<string>> => {
  const clash = [...later.keys()].filter((name) => notes.has(name))
  if (clash.length > 0) throw new Error(`docs/layers.md repeats packages of DESIGN.md's layer table: ${clash.join(', ')}`)
  return new Map([...notes, ...later])
}

// ---------------------------------------------------------------------------------------
// The import graph

/** Shipped sources: what tsconfig.build.json emits declarations for. */
const isShipped = (file: string): boolean =>
  file.endsWith('.ts') && !/\.(test|test-d|testkit|worker)\.ts$/.test(file) && !file.endsWith('.d.ts')

const walk = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })

/** Every module specifier a file names, with the kind of reference. */
const specifiersOf = (fileName: string, text: string): ReadonlyArray<string> => {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const out: Array<string> = []
  const literal = (n: ts.Node | undefined): void => {
    if (n !== undefined && ts.isStringLiteralLike(n)) out.push(n.text)
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier)
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) literal(node.moduleReference.expression)
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) literal(node.arguments[0])
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal)
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out
}

interface Edge {
  readonly file: string
  readonly specifier: string
}

const packages = readdirSync(PACKAGES).filter((p) => existsSync(join(PACKAGES, p, 'src')))

const edgesOf = (pkg: string): ReadonlyArray<Edge> =>
  walk(join(PACKAGES, pkg, 'src'))
    .filter(isShipped)
    .flatMap((file) => specifiersOf(file, readFileSync(file, 'utf8')).map((specifier) => ({ file: relative(ROOT, file), specifier })))

/** `@authfold/x` or `@authfold/x/sub` -> `x`; undefined for any other specifier. */
const workspacePackage = (specifier: string): string | undefined => /^@authfold\/([^/]+)/.exec(specifier)?.[1]

/** `fp-ts/Either` -> `fp-ts`, `@scope/name/x` -> `@scope/name`. */
const bareName = (specifier: string): string =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier)

const isNodeBuiltin = (specifier: string): boolean =>
  specifier.startsWith('node:') || builtinModules.includes(bareName(specifier))

const isRelative = (specifier: string): boolean => specifier.startsWith('.')

const show = (edges: ReadonlyArray<Edge>): ReadonlyArray<string> => edges.map((e) => `${e.file} -> ${e.specifier}`)

// ---------------------------------------------------------------------------------------

describe('layers (DESIGN.md) on the real import graph', () => {
  const table = withLaterLayers(layerTable(readFileSync(designPath(), 'utf8')), layerTable(readFileSync(join(ROOT, 'docs', 'layers.md'), 'utf8')))
  const graph = new Map(packages.map((p) => [p, edgesOf(p)] as const))

  it('the table and the packages agree: every package has a row', () => {
    expect(packages.filter((p) => !table.has(p))).toEqual([])
    expect(table.get('cache')).toEqual(['core'])
    expect(graph.get('core')?.length).toBeGreaterThan(20)
  })

  it.each(packages)('%s imports only the workspace packages its row allows', (pkg) => {
    const allowed = table.get(pkg) ?? []
    const bad = (graph.get(pkg) ?? []).filter((e) => {
      const target = workspacePackage(e.specifier)
      return target !== undefined && target !== pkg && !allowed.includes(target)
    })
    expect(show(bad)).toEqual([])
  })

  it.each(packages)('%s reaches no other package through a relative path', (pkg) => {
    const own = join(PACKAGES, pkg, 'src') + sep
    const bad = (graph.get(pkg) ?? []).filter((e) => isRelative(e.specifier) && !resolve(ROOT, dirname(e.file), e.specifier).startsWith(own))
    expect(show(bad)).toEqual([])
  })

  it('core imports only the third-party modules of its row', () => {
    const allowed = [...(table.get('core') ?? []), ...CORE_EXTRA]
    const bad = (graph.get('core') ?? []).filter(
      (e) => !isRelative(e.specifier) && !allowed.includes(bareName(e.specifier)),
    )
    expect(show(bad)).toEqual([])
  })

  it.each(PORTABLE)('%s imports no Node built-in', (pkg) => {
    const bad = (graph.get(pkg) ?? []).filter((e) => isNodeBuiltin(e.specifier))
    expect(show(bad)).toEqual([])
  })
})

describe('the checker itself', () => {
  it('finds every kind of module reference', () => {
    const text = [
      "import a from 'a'",
      "import type { B } from 'b'",
      "export * from 'c'",
      "export { d } from 'd'",
      "import e = require('e')",
      "const f = () => import('f')",
      "type G = import('g').G",
      "import 'h'",
      "export const notAnImport = 'i'",
    ].join('\n')
    expect(specifiersOf('x.ts', text)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])
  })

  it('reads the "may import" column, dropping remarks in parentheses', () => {
    const md = [
      '## Layers (packages/)',
      '',
      '| package | holds | may import |',
      '|---|---|---|',
      '| `core` | things | fp-ts, io-ts |',
      '| `client` | more | core, grants (wstrust only when handed in) |',
      '',
      'A package lower in the table never imports one higher.',
      '## Next',
      '| `other` | x | y |',
    ].join('\n')
    expect(Object.fromEntries(layerTable(md))).toEqual({ core: ['fp-ts', 'io-ts'], client: ['core', 'grants'] })
  })

  it('adds the later packages of docs/layers.md and refuses one that rewrites a row of the notes', () => {
    const notes = new Map([['core', ['fp-ts']]])
    expect(Object.fromEntries(withLaterLayers(notes, new Map([['cli', ['core']]])))).toEqual({ core: ['fp-ts'], cli: ['core'] })
    expect(() => withLaterLayers(notes, new Map([['core', ['node:fs']]]))).toThrow(/repeats packages/)
  })

  it('knows bare and node: built-ins', () => {
    expect(['node:fs', 'fs', 'crypto', 'fs/promises', 'fp-ts/Either', '@authfold/core'].map(isNodeBuiltin)).toEqual([true, true, true, true, false, false])
  })
})
