import { describe, expect, it } from 'vitest'
import { parseXml, rawInner, MAX_DEPTH } from './xml.js'

const timed = <A>(f: () => A): [A, number] => {
  const t = performance.now()
  const a = f()
  return [a, performance.now() - t]
}

describe('parseXml: safe on hostile documents', () => {
  it('billion laughs: refused (no DTD is processed, nothing expands), in bounded time and memory', () => {
    const lols = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)]
    const doc = `<?xml version="1.0"?><!DOCTYPE lolz [${lols.join('')}]><lolz>&lol9;</lolz>`
    const heap = process.memoryUsage().heapUsed
    const [r, ms] = timed(() => parseXml(doc))
    expect(r).toEqual({ _tag: 'Left', left: { reason: 'a DOCTYPE (DTDs are not processed)' } })
    expect(ms).toBeLessThan(500)
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(50 * 1024 * 1024)
    // and without the DOCTYPE, the entity is simply undefined: an error, no expansion
    expect(parseXml('<lolz>&lol9;</lolz>')._tag).toBe('Left')
  })

  it('external entity (XXE): refused, no file is read', () => {
    const doc = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r>&xxe;</r>`
    const r = parseXml(doc)
    expect(r._tag).toBe('Left')
    expect(JSON.stringify(r)).not.toContain('root:')
    expect(parseXml('<r>&xxe;</r>')).toMatchObject({ _tag: 'Left', left: { reason: expect.stringMatching(/^not well-formed XML at line 1/) } })
  })

  it('nested 100,000 deep: a typed refusal, no stack overflow, in bounded time', () => {
    const doc = '<a>'.repeat(100_000) + '</a>'.repeat(100_000)
    const [r, ms] = timed(() => parseXml(doc))
    expect(r).toEqual({ _tag: 'Left', left: { reason: `nested deeper than ${MAX_DEPTH} levels` } })
    expect(ms).toBeLessThan(2_000)
    const ok = '<a>'.repeat(MAX_DEPTH) + '</a>'.repeat(MAX_DEPTH)
    expect(parseXml(ok)._tag).toBe('Right')
  })

  it('keeps raw positions: the content of an element sliced as written (namespaces, entities, astral characters untouched)', () => {
    const doc = `<?xml version="1.0"?><x:r xmlns:x="u"><x:t a="1>2"> <y:A xmlns:y="v" ID='1'>&amp;😀<![CDATA[<z>]]></y:A> </x:t><e/><f></f></x:r>`
    const r = parseXml(doc)
    if (r._tag === 'Left') throw new Error(r.left.reason)
    const [t, e, f] = r.right.children
    expect(t?.uri).toBe('u')
    expect(t?.attributes).toEqual({ a: '1>2' })
    expect(rawInner(doc, t!)).toBe(` <y:A xmlns:y="v" ID='1'>&amp;😀<![CDATA[<z>]]></y:A> `)
    expect(t?.children[0]?.text).toBe('&😀<z>')
    expect(rawInner(doc, e!)).toBe('')
    expect(rawInner(doc, f!)).toBe('')
  })
})
