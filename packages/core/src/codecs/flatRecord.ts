/**
 * A reader of flat JSON records (every field a string, a number or an array of them), for
 * the answers every grant reads (token and error responses): the same values and the same
 * first `DecodeError` as `decodeWith(fieldsOf(required, optional), subject, hint)`, without
 * io-ts's error trees in a bundle.
 *
 * @module
 */
import type { Either } from 'fp-ts/Either'
import { left, right } from '../errors/either.js'
import { decodeError, type DecodeError } from '../errors/errors.js'
import { describeValue } from './decode.js'

/**
 * What failed a {@link FieldCheck}: what was expected (`'string'`, `'a positive number of
 * seconds'`) and the value found (the field's, or the failing item's of an array).
 *
 * @category model
 * @since 0.1.0
 */
export interface FieldMiss {
  readonly expected: string
  readonly actual: unknown
}

/**
 * The check of one field: `[value]` to keep (possibly normalised), or a {@link FieldMiss}.
 *
 * @category model
 * @since 0.1.0
 */
export type FieldCheck = (u: unknown) => readonly [unknown] | FieldMiss

/**
 * A {@link FieldCheck} of values `accept` accepts, kept as they are; anything else is a
 * miss of `expected`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const checkOf =
  (accept: (u: unknown) => boolean, expected: string): FieldCheck =>
  (u) =>
    accept(u) ? [u] : { expected, actual: u }

/**
 * A {@link FieldCheck} of an array whose every item passes `item` (its first failing item
 * is reported at the array's path, as `arrayOf` reports it).
 *
 * @category constructors
 * @since 0.1.0
 */
export const arrayCheck =
  (item: FieldCheck): FieldCheck =>
  (u) => {
    if (!Array.isArray(u)) return { expected: 'Array<unknown>', actual: u }
    const out: unknown[] = []
    for (const x of u) {
      const r = item(x)
      if (!Array.isArray(r)) return r
      out.push((r as readonly [unknown])[0])
    }
    return [out]
  }

/** The first field of `u` that fails its check, or the record with each checked field replaced by its kept value. */
const readFields = (
  u: unknown,
  required: Readonly<Record<string, FieldCheck>>,
  optional: Readonly<Record<string, FieldCheck>>,
): Either<FieldMiss & { readonly path: string }, Record<string, unknown>> => {
  if (u === null || typeof u !== 'object' || Array.isArray(u)) return left({ path: '', expected: 'Record<string, unknown>', actual: u })
  const input = u as Readonly<Record<string, unknown>>
  const out: Record<string, unknown> = { ...input }
  for (const [checks, optionalOnes] of [
    [required, false],
    [optional, true],
  ] as const)
    for (const key of Object.keys(checks)) {
      const value = input[key]
      if (optionalOnes && value === undefined) continue
      const r = (checks[key] as FieldCheck)(value)
      if (!Array.isArray(r)) return left({ path: key, ...(r as FieldMiss) })
      out[key] = (r as readonly [unknown])[0]
    }
  return right(out)
}

/**
 * Reads a flat JSON record: a non-array object whose `required` fields pass their checks,
 * and whose `optional` fields pass theirs where present. Unknown fields are kept; checked
 * fields hold what their checks keep. The first failure (required fields first, each group
 * in its declared order) is an `invalid_shape` `DecodeError` of `subject` with `hint`.
 *
 * @example
 * ```ts
 * import { checkOf, readFlatRecord } from '@authfold/core'
 *
 * readFlatRecord({ error: checkOf((u) => typeof u === 'string', 'string') }, {}, 'error response')({ error: 42 })
 * // Left: 'The error response could not be read: at "error" expected string but got a number.'
 * ```
 * @category utils
 * @since 0.1.0
 */
export const readFlatRecord =
  <A>(required: Readonly<Record<string, FieldCheck>>, optional: Readonly<Record<string, FieldCheck>>, subject: string, hint = '') =>
  (u: unknown): Either<DecodeError, A> => {
    const r = readFields(u, required, optional)
    return r._tag === 'Right'
      ? right(r.right as A)
      : left(decodeError('invalid_shape', subject, r.left.path, r.left.expected, describeValue(r.left.actual), hint))
  }
