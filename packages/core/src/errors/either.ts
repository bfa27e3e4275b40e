/**
 * fp-ts's `Either` constructors, the same values, without the `fp-ts/Either` module. That
 * module builds its instances (`Functor`, `Chain`, `as`, `tap`, ...) at module level, and a
 * bundler that cannot prove that work pure (esbuild) keeps it, with fp-ts's `pipe`, `flow`
 * and `dual`, in every bundle that only wanted `left` and `right`. The transport and the
 * answer processors every app bundles use these; the values are fp-ts `Either`s, so every
 * fp-ts combinator takes them.
 *
 * @module
 */
import type { Either } from 'fp-ts/Either'

/**
 * A failure: fp-ts's `Either.left`, the same value (`{ _tag: 'Left', left }`).
 *
 * @example
 * ```ts
 * import { left } from '@authfold/core'
 *
 * left('no') // { _tag: 'Left', left: 'no' }
 * ```
 * @category constructors
 * @since 0.1.0
 */
export const left = <E = never, A = never>(e: E): Either<E, A> => ({ _tag: 'Left', left: e })

/**
 * A success: fp-ts's `Either.right`, the same value (`{ _tag: 'Right', right }`).
 *
 * @example
 * ```ts
 * import { right } from '@authfold/core'
 *
 * right(1) // { _tag: 'Right', right: 1 }
 * ```
 * @category constructors
 * @since 0.1.0
 */
export const right = <E = never, A = never>(a: A): Either<E, A> => ({ _tag: 'Right', right: a })
