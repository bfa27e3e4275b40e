import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { left, right } from './either.js'

describe('left and right', () => {
  it('build the same values as fp-ts/Either', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(left(x)).toStrictEqual(E.left(x))
        expect(right(x)).toStrictEqual(E.right(x))
        expect(E.isLeft(left(x))).toBe(true)
        expect(E.isRight(right(x))).toBe(true)
      }),
    )
  })

  it('are taken by fp-ts combinators', () => {
    expect(E.map((n: number) => n + 1)(right<string, number>(1))).toStrictEqual({ _tag: 'Right', right: 2 })
    expect(E.getOrElse(() => 0)(left<string, number>('no'))).toBe(0)
  })
})
