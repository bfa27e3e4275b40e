import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { rebaseDocument } from './sectionRebase.js'

type Doc = Readonly<Record<string, Readonly<Record<string, { readonly v: number }>>>>

/** A writer's change: entries written (a fresh object) or removed, by section and key. */
type Change = ReadonlyArray<readonly [section: string, key: string, write: number | undefined]>

const apply = (d: Doc, change: Change): Doc => {
  const out: Record<string, Record<string, { readonly v: number }>> = Object.fromEntries(Object.entries(d).map(([s, t]) => [s, { ...t }]))
  for (const [s, k, w] of change) {
    const t = (out[s] ??= {})
    if (w === undefined) delete t[k]
    else Object.defineProperty(t, k, { value: { v: w }, enumerable: true, writable: true, configurable: true })
  }
  return out
}

const section = fc.constantFrom('AccessToken', 'Account', 'Other')
const key = fc.constantFrom('a', 'b', 'c', 'd', '__proto__')
const entries = fc.dictionary(key, fc.integer().map((v) => ({ v })), { noNullPrototype: true })
const doc = fc.dictionary(section, entries, { noNullPrototype: true })
const change = fc.array(fc.tuple(section, key, fc.option(fc.integer(), { nil: undefined })), { maxLength: 6 })

/** The entries as plain data, sections and keys sorted, empty sections left out. */
const canonical = (d: Doc): unknown =>
  Object.keys(d)
    .filter((s) => Object.keys(d[s] ?? {}).length > 0)
    .sort()
    .map((s) => [s, Object.keys(d[s] ?? {}).sort().map((k) => [k, d[s]?.[k]?.v])])

describe('rebaseDocument', () => {
  it('is `after` when nobody else wrote, and `current` when this writer wrote nothing', () => {
    fc.assert(
      fc.property(doc, change, (before, c) => {
        const after = apply(before, c)
        expect(canonical(rebaseDocument(before, after, before))).toEqual(canonical(after))
        expect(rebaseDocument(before, before, after)).toBe(after)
      }),
    )
  })

  it('keeps both writers’ changes, and this writer’s wins on a key both wrote', () => {
    fc.assert(
      fc.property(doc, change, change, (before, mine, theirs) => {
        const current = apply(before, theirs)
        const after = apply(before, mine)
        // replaying my change onto theirs is applying my change after theirs, key by key
        expect(canonical(rebaseDocument(before, after, current))).toEqual(canonical(apply(current, netChange(before, after))))
      }),
    )
  })

  it('mutates none of its inputs', () => {
    fc.assert(
      fc.property(doc, change, change, (before, mine, theirs) => {
        const current = apply(before, theirs)
        const after = apply(before, mine)
        const snapshot = JSON.stringify([before, after, current])
        rebaseDocument(before, after, current)
        expect(JSON.stringify([before, after, current])).toBe(snapshot)
      }),
    )
  })

  it('keeps a key named __proto__ a plain entry', () => {
    const before = { AccessToken: {} }
    const after = JSON.parse('{"AccessToken":{"__proto__":{"v":1}}}') as Doc
    const out = rebaseDocument<Doc>(before, after, { AccessToken: { a: { v: 2 } } })
    expect(Object.keys(out.AccessToken ?? {})).toEqual(['a', '__proto__'])
    expect(Object.getPrototypeOf(out.AccessToken)).toBe(Object.prototype)
  })
})

/** What turned `before` into `after`, key by key, an entry written when it is a new object (the model the rebase is checked against). */
const netChange = (before: Doc, after: Doc): Change => {
  const out: Array<readonly [string, string, number | undefined]> = []
  for (const s of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[s] ?? {}
    const a = after[s] ?? {}
    for (const k of Object.keys(a)) if (!Object.prototype.hasOwnProperty.call(b, k) || b[k] !== a[k]) out.push([s, k, a[k]?.v])
    for (const k of Object.keys(b)) if (!Object.prototype.hasOwnProperty.call(a, k)) out.push([s, k, undefined])
  }
  return out
}
