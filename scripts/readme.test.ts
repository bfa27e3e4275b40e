// Every ```ts block of README.md, docs/*.md and packages/*/README.md type-checks against the
// workspace packages (tsconfig.base.json: strict, exactOptionalPropertyTypes, the paths to
// each package's sources), each block as its own module. Blocks show values a reader looks
// at, so unused locals are allowed; everything else is the project's own strictness. A block
// that needs a value the reader would have (a secret, a cache they loaded) says so with
// `declare const`.
import { beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { packageNames, root } from './build.js'
import { typecheckSnippets } from './typecheckSnippets.js'

interface Block {
  /** The markdown file, from the repository root. */
  readonly file: string
  /** The line of the block's first line of code (1-based). */
  readonly line: number
  readonly code: string
  /** Where the compiler sees it (a file that does not exist on disk). */
  readonly virtualPath: string
}

const markdownFiles = (): ReadonlyArray<string> => {
  const inDir = (dir: string, pick: (name: string) => boolean): ReadonlyArray<string> =>
    existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter(pick).map((f) => `${dir}/${f}`) : []
  return [
    'README.md',
    ...inDir('docs', (f) => f.endsWith('.md')),
    ...inDir('packages', (d) => existsSync(join(root, 'packages', d, 'README.md'))).map((d) => `${d}/README.md`),
  ]
}

/**
 * The file a block is taken from, when its first line names it (`// examples/x/app.test.ts`):
 * the block is then checked as a module in that file's folder, so its relative imports
 * (`./app.js`) resolve as they do in the file.
 */
export const blockSource = (code: string): string | undefined =>
  /^\/\/ ((?:examples|packages|scripts)\/[\w./-]+\.ts)\s*$/.exec(code.split('\n')[0] ?? '')?.[1]

/** The ```ts (or ```typescript) blocks of a markdown text. */
export const tsBlocks = (file: string, text: string): ReadonlyArray<Block> => {
  const lines = text.split('\n')
  const blocks: Array<Block> = []
  let start = -1
  lines.forEach((l, i) => {
    if (start < 0 && /^```(ts|typescript)\s*$/.test(l)) start = i + 1
    else if (start >= 0 && /^```\s*$/.test(l)) {
      const line = start + 1
      const code = lines.slice(start, i).join('\n')
      const name = `${file.replace(/[/.]/g, '_')}_L${line}.ts`
      const from = blockSource(code)
      blocks.push({ file, line, code, virtualPath: from === undefined ? join(root, '.tmp/readme-blocks', name) : join(root, dirname(from), `.readme-block_${name}`) })
      start = -1
    }
  })
  return blocks
}

const blocks = markdownFiles().flatMap((f) => tsBlocks(f, readFileSync(join(root, f), 'utf8')))

describe('the ts blocks of the READMEs type-check against the packages', () => {
  let results: ReadonlyMap<Block, ReadonlyArray<string>> = new Map()
  beforeAll(() => {
    results = typecheckSnippets(blocks)
  }, 120_000)

  it('finds the blocks: the main README and at least one in every package README', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).toBeGreaterThanOrEqual(2)
    for (const p of packageNames) expect(blocks.some((b) => b.file === `packages/${p}/README.md`), `packages/${p}/README.md`).toBe(true)
  })

  it('finds the migration guides’ examples (docs/*.md is read)', () => {
    for (const f of ['docs/migrating-from-msal-python.md', 'docs/migrating-from-msal-node.md'])
      expect(blocks.filter((b) => b.file === f).length, f).toBeGreaterThanOrEqual(4)
  })

  it.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))('%s', (_name, b) => {
    expect(results.get(b)).toEqual([])
  })
})

describe('tsBlocks', () => {
  it('takes ts and typescript fences with the line of their first line of code, and no other language', () => {
    const md = ['# t', '```ts', 'const a = 1', '```', '```sh', 'echo', '```', '', '```typescript', 'let b', 'b = 2', '```'].join('\n')
    expect(tsBlocks('X.md', md).map((b) => [b.line, b.code])).toEqual([
      [3, 'const a = 1'],
      [10, 'let b\nb = 2'],
    ])
  })

  it('checks a block whose first line names its source file in that file\'s folder', () => {
    const md = ['```ts', '// examples/app/app.test.ts', "import { a } from './app.js'", '```', '```ts', '// not a path', '```'].join('\n')
    const [named, plain] = tsBlocks('docs/x.md', md)
    expect(named?.virtualPath).toBe(join(root, 'examples/app', '.readme-block_docs_x_md_L2.ts'))
    expect(plain?.virtualPath).toBe(join(root, '.tmp/readme-blocks', 'docs_x_md_L6.ts'))
  })
})
