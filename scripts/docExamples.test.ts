// Every `@example` of a doc comment in the shipped sources of packages/*/src (what the TypeDoc
// site renders) is a fenced ```ts block that type-checks on its own, as a module importing the
// published package names (the paths of tsconfig.base.json resolve them to the sources). What
// an example assumes (an app, an identity provider, a cache state) it says with `declare const`.
// As in scripts/readme.test.ts, examples show values a reader looks at, so unused locals are
// allowed; everything else is the project's own strictness.
import { beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { packageNames, root } from './build.js'
import { typecheckSnippets } from './typecheckSnippets.js'

interface Example {
  /** The source file, from the repository root. */
  readonly file: string
  /** The line of the `@example` tag (1-based). */
  readonly line: number
  /** The line of the example's first line of code (1-based); 0 when it is not a fenced ts block. */
  readonly codeLine: number
  /** The code of the fenced block, or undefined when the example is not one fenced ts block. */
  readonly code: string | undefined
  /** Where the compiler sees it (a file that does not exist on disk). */
  readonly virtualPath: string
}

/** The sources TypeDoc reads: packages/<p>/src, without tests, type tests, workers and test kits. */
const shippedSources = (): ReadonlyArray<string> => {
  const walk = (dir: string): ReadonlyArray<string> =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? walk(path) : [path]
    })
  return packageNames
    .flatMap((p) => walk(join(root, 'packages', p, 'src')))
    .filter((f) => f.endsWith('.ts') && !/\.(test|test-d|worker|testkit)\.ts$/.test(f))
    .map((f) => relative(root, f))
}

/** A doc comment line without its leading ` * `. */
const commentText = (line: string): string => line.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/\s*$/, '')

/**
 * The `@example` tags of a source text. An example runs from its tag to the next block tag
 * outside a code fence or the end of its comment, and must be exactly one ```ts fence.
 */
export const docExamples = (file: string, text: string): ReadonlyArray<Example> => {
  const lines = text.split('\n')
  const examples: Array<Example> = []
  let inComment = false
  let current: { line: number; body: Array<{ text: string; line: number }> } | undefined
  let inFence = false
  const close = (): void => {
    if (current === undefined) return
    const body = current.body.map((b) => b.text)
    while (body.length > 0 && body[body.length - 1]?.trim() === '') body.pop()
    const first = current.body.findIndex((b) => b.text.trim() !== '')
    const rest = first < 0 ? [] : body.slice(first)
    const fenced = rest.length >= 2 && /^```ts\s*$/.test(rest[0] ?? '') && /^```\s*$/.test(rest[rest.length - 1] ?? '') && !rest.slice(1, -1).some((l) => l.startsWith('```'))
    const codeLine = fenced ? (current.body[first]?.line ?? 0) + 1 : 0
    const name = `${file.replace(/[/.]/g, '_')}_L${current.line}.ts`
    examples.push({ file, line: current.line, codeLine, code: fenced ? rest.slice(1, -1).join('\n') : undefined, virtualPath: join(root, file.split('/').slice(0, 2).join('/'), '.doc-examples', name) })
    current = undefined
    inFence = false
  }
  lines.forEach((raw, i) => {
    if (!inComment) {
      if (/^\s*\/\*\*/.test(raw)) inComment = true
      else return
    }
    const t = commentText(raw)
    if (current !== undefined && !inFence && /^@\w+/.test(t)) close()
    if (current === undefined && /^@example\b/.test(t)) current = { line: i + 1, body: t.replace(/^@example\s*/, '') === '' ? [] : [{ text: t.replace(/^@example\s*/, ''), line: i + 1 }] }
    else if (current !== undefined) {
      if (t.startsWith('```')) inFence = !inFence
      if (!/\*\/\s*$/.test(raw) || t.trim() !== '') current.body.push({ text: t, line: i + 1 })
    }
    if (/\*\/\s*$/.test(raw)) {
      close()
      inComment = false
    }
  })
  return examples
}

/** The entry points users import (each package's `exports`). */
const publishedNames: ReadonlyArray<string> = packageNames.flatMap((p) => {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8')) as { name: string; exports?: Record<string, unknown> }
  return Object.keys(manifest.exports ?? { '.': null }).filter((k) => !k.endsWith('package.json')).map((k) => (k === '.' ? manifest.name : `${manifest.name}${k.slice(1)}`))
})

const examples = shippedSources().flatMap((f) => docExamples(f, readFileSync(join(root, f), 'utf8')))

describe('the @example blocks of the packages’ doc comments type-check against the packages', () => {
  let results: ReadonlyMap<Example, ReadonlyArray<string>> = new Map()
  beforeAll(() => {
    const fenced = examples.flatMap((e) => (e.code === undefined ? [] : [{ example: e, virtualPath: e.virtualPath, code: e.code, file: e.file, line: e.codeLine }]))
    const checked = typecheckSnippets(fenced)
    results = new Map(fenced.map((f) => [f.example, checked.get(f) ?? []]))
  }, 120_000)

  it('finds the examples (at least 100, in every package)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(100)
    for (const p of packageNames) expect(examples.some((e) => e.file.startsWith(`packages/${p}/`)), p).toBe(true)
  })

  it('every @example is one fenced ts block', () => {
    expect(examples.filter((e) => e.code === undefined).map((e) => `${e.file}:${e.line}: @example is not one \`\`\`ts block`)).toEqual([])
  })

  it('imports what a user can: the published names, node: modules and other packages, never a relative path', () => {
    const wrong = examples.flatMap((e) =>
      [...(e.code ?? '').matchAll(/from '([^']+)'/g)]
        .map((m) => m[1] ?? '')
        .filter((s) => s.startsWith('.') || s.startsWith('/') || (s.startsWith('@authfold/') && !publishedNames.includes(s)))
        .map((s) => `${e.file}:${e.line}: imports '${s}'`),
    )
    expect(wrong).toEqual([])
  })

  it.each(examples.map((e) => [`${e.file}:${e.line}`, e] as const))('%s', (_name, e) => {
    expect(e.code, `${e.file}:${e.line}: @example is not one \`\`\`ts block`).toBeDefined()
    expect(results.get(e)).toEqual([])
  })
})

describe('docExamples', () => {
  const source = (lines: ReadonlyArray<string>): string => lines.join('\n')

  it('takes a fenced ts example with the line of its first line of code, up to the next tag', () => {
    const text = source(['/**', ' * Adds.', ' *', ' * @example', ' * ```ts', " * const a = 'x@y' // @see not a tag", ' * ```', ' * @since 0.1.0', ' */', 'export const a = 1'])
    expect(docExamples('p/a.ts', text).map((e) => [e.line, e.codeLine, e.code])).toEqual([[4, 6, "const a = 'x@y' // @see not a tag"]])
  })

  it('takes an example ending the comment, and two examples in one comment', () => {
    const text = source(['/**', ' * @example', ' * ```ts', ' * one()', ' * ```', ' * @example', ' * ```ts', ' * two()', ' * ```', ' */'])
    expect(docExamples('p/a.ts', text).map((e) => e.code)).toEqual(['one()', 'two()'])
  })

  it('marks an example that is not a fenced ts block (bare code, another language, prose after the fence)', () => {
    const bare = source(['/**', ' * @example', ' * const a = 1', ' */'])
    const js = source(['/**', ' * @example', ' * ```js', ' * const a = 1', ' * ```', ' */'])
    const after = source(['/**', ' * @example', ' * ```ts', ' * const a = 1', ' * ```', ' * and more', ' */'])
    for (const text of [bare, js, after]) expect(docExamples('p/a.ts', text).map((e) => e.code)).toEqual([undefined])
  })

  it('ignores @example outside doc comments', () => {
    expect(docExamples('p/a.ts', source(['// @example', "const s = '@example'"]))).toEqual([])
  })
})
