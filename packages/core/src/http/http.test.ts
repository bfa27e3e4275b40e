import { describe, expect, it } from 'vitest'
import { headerValue } from './http.js'

describe('headerValue', () => {
  it('finds a header whatever the case of its name or of the name asked', () => {
    expect(headerValue({ 'Retry-After': '5' }, 'retry-after')).toBe('5')
    expect(headerValue({ 'retry-after': '5' }, 'Retry-After')).toBe('5')
    expect(headerValue({ 'content-type': 'x' }, 'retry-after')).toBeUndefined()
  })
})
