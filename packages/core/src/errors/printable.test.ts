import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { printableText } from './printable.js'

describe('printableText', () => {
  it('keeps the first line and removes ANSI escapes, control characters and bidi overrides', () => {
    expect(printableText('AADSTS50126: bad\u001b[31m red\u001b[0m\r\nTrace ID: x')).toBe('AADSTS50126: bad red')
    expect(printableText('a\u0007b\u0000c\u009bd\u202eevil\u2066x')).toBe('a b c d evil x')
    expect(printableText('\u001b]0;title\u0007visible')).toBe('visible')
    expect(printableText('x'.repeat(400))).toHaveLength(300)
  })

  it('never leaves a control character, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(printableText(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
      }),
      { numRuns: 500 },
    )
  })
})
