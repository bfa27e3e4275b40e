import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { derChildren, derElement, derLength, derOid, readDer } from './der.js'

describe('der', () => {
  it('reads back any element it writes (lengths from 0 to 70,000 bytes)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 70_000 }), (tag, content) => {
        const el = derElement(tag, content)
        const node = readDer(el)
        expect(node).toEqual({ tag, start: el.length - content.length, end: el.length, next: el.length })
      }),
      { numRuns: 60 },
    )
  })

  it('never reads past the buffer, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const node = readDer(bytes)
        if (node !== undefined) expect(node.end).toBeLessThanOrEqual(bytes.length)
        if (node !== undefined && node.tag === 0x30) derChildren(bytes, node)
      }),
    )
  })

  it('encodes short and long lengths as DER requires', () => {
    expect([...derLength(5)]).toEqual([5])
    expect([...derLength(200)]).toEqual([0x81, 200])
    expect([...derLength(0x1234)]).toEqual([0x82, 0x12, 0x34])
  })

  it('decodes object identifiers', () => {
    const oid = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d)
    const node = readDer(oid)
    expect(node && derOid(oid, node)).toBe('1.2.840.113549.1.5.13')
  })
})
