import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { emptyHamt, hamtDiff, hamtEntries, hamtFromEntries, hamtFromRecord, hamtGet, hamtRemove, hamtSet, type Hamt } from './hamt.js'

type Op = { readonly op: 'set'; readonly k: string; readonly v: number } | { readonly op: 'del'; readonly k: string }

const keyArb = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('Aa', 'BB', 'x', ''))
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), k: keyArb, v: fc.integer() }),
  fc.record({ op: fc.constant('del' as const), k: keyArb }),
)

describe('hamt', () => {
  it('behaves like a Map under any sequence of writes, and never mutates older versions', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        let m: Hamt<number> = emptyHamt
        const ref = new Map<string, number>()
        const versions: Array<readonly [Hamt<number>, ReadonlyMap<string, number>]> = []
        for (const o of ops) {
          if (o.op === 'set') {
            m = hamtSet(m, o.k, o.v)
            ref.set(o.k, o.v)
          } else {
            m = hamtRemove(m, o.k)
            ref.delete(o.k)
          }
          versions.push([m, new Map(ref)])
        }
        for (const [h, r] of versions) {
          expect(h.size).toBe(r.size)
          expect(new Map(hamtEntries(h))).toEqual(r)
          for (const [k, v] of r) expect(hamtGet(h, k)).toBe(v)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('handles many keys, hash collisions of the 5-bit fragments and removal down to empty', () => {
    let m: Hamt<number> = emptyHamt
    const n = 20_000
    for (let i = 0; i < n; i++) m = hamtSet(m, `k${i}`, i)
    expect(m.size).toBe(n)
    for (let i = 0; i < n; i += 997) expect(hamtGet(m, `k${i}`)).toBe(i)
    for (let i = 0; i < n; i++) m = hamtRemove(m, `k${i}`)
    expect(m.size).toBe(0)
    expect(m.root).toBeUndefined()
  })

  it('returns the same reference for no-op writes', () => {
    const m = hamtSet(emptyHamt as Hamt<number>, 'a', 1)
    expect(hamtSet(m, 'a', 1)).toBe(m)
    expect(hamtRemove(m, 'b')).toBe(m)
  })
})

describe('hamtFromEntries', () => {
  it('equals repeated hamtSet (later pairs win) and stays persistent afterwards', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, fc.integer()), { maxLength: 300 }), (pairs) => {
        const built = hamtFromEntries(pairs)
        const ref = new Map(pairs)
        expect(built.size).toBe(ref.size)
        expect(new Map(hamtEntries(built))).toEqual(ref)
        const first = pairs[0]
        if (first !== undefined) {
          const next = hamtRemove(built, first[0])
          expect(hamtGet(built, first[0])).toBe(ref.get(first[0]))
          expect(hamtGet(next, first[0])).toBeUndefined()
        }
      }),
      { numRuns: 200 },
    )
  })
})

describe('hamtFromRecord', () => {
  const recordArb = fc.dictionary(keyArb, fc.integer(), { maxKeys: 30 })

  it('behaves like a Map of the record less its hidden keys under any writes, leaves the record alone, and diffs like the Maps', () => {
    fc.assert(
      fc.property(recordArb, fc.array(keyArb, { maxLength: 5 }), fc.array(opArb, { maxLength: 100 }), (record, hidden, ops) => {
        const frozen = JSON.stringify(record)
        let m: Hamt<number> = hamtFromRecord(record, hidden)
        const ref = new Map(Object.entries(record).filter(([k]) => !hidden.includes(k)))
        const versions: Array<readonly [Hamt<number>, ReadonlyMap<string, number>]> = [[m, new Map(ref)]]
        for (const o of ops) {
          if (o.op === 'set') {
            m = hamtSet(m, o.k, o.v)
            ref.set(o.k, o.v)
          } else {
            m = hamtRemove(m, o.k)
            ref.delete(o.k)
          }
          versions.push([m, new Map(ref)])
        }
        for (const [h, r] of versions) {
          expect(h.size).toBe(r.size)
          expect(new Map(hamtEntries(h))).toEqual(r)
          for (const [k, v] of r) expect(hamtGet(h, k)).toBe(v)
        }
        const [first] = versions[0] ?? [emptyHamt]
        const [last, lastRef] = versions[versions.length - 1] ?? [emptyHamt, new Map<string, number>()]
        const firstRef = versions[0]?.[1] ?? new Map<string, number>()
        const expected = [
          ...Array.from(lastRef).filter(([k, v]) => firstRef.get(k) !== v),
          ...Array.from(firstRef.keys()).filter((k) => !lastRef.has(k)).map((k) => [k, undefined] as const),
        ]
        const byKey = (a: readonly [string, unknown], b: readonly [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)
        expect([...hamtDiff(first, last)].sort(byKey)).toEqual(expected.sort(byKey))
        expect([...hamtDiff(first, hamtFromEntries(lastRef))].sort(byKey)).toEqual(expected.sort(byKey))
        expect(JSON.stringify(record)).toBe(frozen)
      }),
      { numRuns: 300 },
    )
  })

  it('returns the same reference for no-op writes', () => {
    const m = hamtFromRecord({ a: 1, b: 2 }, ['b'])
    expect(hamtSet(m, 'a', 1)).toBe(m)
    expect(hamtRemove(m, 'b')).toBe(m)
    expect(hamtGet(m, 'b')).toBeUndefined()
    expect(m.size).toBe(1)
  })
})
