import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { emptyHamt, hamtEntries, hamtFromEntries, hamtGet, hamtRemove, hamtSet, type Hamt } from './hamt.js'

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
