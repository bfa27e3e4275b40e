/**
 * Turns io-ts failures into {@link DecodeError}s that name the field, the expected type and
 * the kind of value that came (never the value itself: it may be a secret).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type * as t from 'io-ts'
import { decodeError, type DecodeError } from '../errors/errors.js'

/**
 * A short description of a value's kind, safe to log.
 *
 * @category utils
 * @since 0.1.0
 */
export const describeValue = (u: unknown): string =>
  u === undefined ? 'nothing (missing)' : u === null ? 'null' : Array.isArray(u) ? 'an array' : typeof u === 'string' ? (u === '' ? 'an empty string' : 'a string') : `a ${typeof u}`

/**
 * Decodes with an io-ts codec; the first failure becomes a {@link DecodeError} about `subject`.
 *
 * @category utils
 * @since 0.1.0
 */
export const decodeWith =
  <A, O>(codec: t.Type<A, O, unknown>, subject: string, hint = '') =>
  (u: unknown): E.Either<DecodeError, A> => {
    const result = codec.decode(u)
    if (E.isRight(result)) return E.right(result.right)
    const first = result.left[0]
    const ctx = first?.context ?? []
    const path = ctx
      .map((c) => c.key)
      .filter((k) => k !== '' && !/^\d+$/.test(k) || ctx.length === 0)
      .join('.')
    const expected = ctx[ctx.length - 1]?.type.name ?? codec.name
    return E.left(decodeError('invalid_shape', subject, path, expected, describeValue(first?.value), hint))
  }

/**
 * Parses JSON text without throwing.
 *
 * @category utils
 * @since 0.1.0
 */
export const parseJson = (text: string, subject: string, hint = ''): E.Either<DecodeError, unknown> =>
  E.tryCatch(
    () => JSON.parse(text) as unknown,
    () =>
      /^\s*</.test(text)
        ? decodeError('not_json', subject, '', 'JSON', 'an HTML or XML document', hint)
        : decodeError('invalid_json', subject, '', 'JSON', text.trim() === '' ? 'an empty body' : 'text that is not valid JSON', hint),
  )
