// docs/testing-your-app.md shows this example's code: each of its ```ts blocks names the file
// it comes from on its first line, and its code (imports and `declare`s aside, which only make
// the block type-check alone) must be in that file word for word, line after line. The blocks
// type-check through scripts/readme.test.ts.
import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const guide = readFileSync(`${root}docs/testing-your-app.md`, 'utf8')

/** The ```ts blocks of a markdown text, with the line of their first line. */
const blocksOf = (markdown: string): ReadonlyArray<{ readonly line: number; readonly lines: ReadonlyArray<string> }> => {
  const all = markdown.split('\n')
  const out: Array<{ line: number; lines: ReadonlyArray<string> }> = []
  let start = -1
  all.forEach((l, i) => {
    if (start < 0 && /^```ts\s*$/.test(l)) start = i + 1
    else if (start >= 0 && /^```\s*$/.test(l)) {
      out.push({ line: start + 1, lines: all.slice(start, i) })
      start = -1
    }
  })
  return out
}

/** The code lines that must match: trimmed, blank lines, imports and `declare`s left out. */
const codeLines = (lines: ReadonlyArray<string>): ReadonlyArray<string> => {
  const out: Array<string> = []
  let inImport = false
  for (const raw of lines) {
    const l = raw.trim()
    if (inImport || /^import\s/.test(l)) {
      inImport = !/from\s+(['"])[^'"]+\1\s*$|^import\s+(['"])[^'"]+\2\s*$/.test(l)
      continue
    }
    if (l === '' || /^declare\s/.test(l)) continue
    out.push(l)
  }
  return out
}

const containsRun = (haystack: ReadonlyArray<string>, needle: ReadonlyArray<string>): boolean =>
  needle.length > 0 && haystack.some((_, i) => needle.every((n, j) => haystack[i + j] === n))

const moduleSpecifiers = (lines: ReadonlyArray<string>): ReadonlyArray<string> => [...lines.join('\n').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] ?? '')

const blocks = blocksOf(guide)

describe('docs/testing-your-app.md', () => {
  it('has its blocks, each naming an example file on its first line', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(7)
    for (const b of blocks) {
      const from = /^\/\/ (examples\/[\w./-]+\.ts)$/.exec(b.lines[0] ?? '')?.[1]
      expect(from !== undefined && existsSync(`${root}${from}`), `block at line ${b.line}: ${b.lines[0] ?? ''}`).toBe(true)
    }
  })

  it.each(blocks.map((b) => [`block at line ${b.line} (${b.lines[0] ?? ''})`, b] as const))('%s is in its file word for word', (_, b) => {
    const file = (b.lines[0] ?? '').slice(3)
    const text = readFileSync(`${root}${file}`, 'utf8').split('\n')
    expect(containsRun(codeLines(text), codeLines(b.lines.slice(1))), 'the code of the block is not in the file as it is').toBe(true)
    for (const m of moduleSpecifiers(b.lines)) expect(moduleSpecifiers(text), `${file} imports from '${m}'`).toContain(m)
  })

  it('covers every test of the example app', () => {
    const tests = [...readFileSync(`${root}examples/testing-your-app/app.test.ts`, 'utf8').matchAll(/^\s*it\('([^']+)'/gm)].map((m) => m[1] ?? '')
    expect(tests.length).toBeGreaterThan(0)
    for (const t of tests) expect(guide.includes(`it('${t}'`), t).toBe(true)
  })
})

describe('codeLines', () => {
  it('drops imports (one or several lines), declares and blank lines, and trims the rest', () => {
    expect(codeLines(['import { a } from "x"', 'import {', '  b,', "} from 'y'", "import 'z'", '', 'declare const c: number', '  const d = 1', '  f(d)'])).toEqual(['const d = 1', 'f(d)'])
  })
})
