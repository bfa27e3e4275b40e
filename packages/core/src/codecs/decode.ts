/**
 * Turns io-ts `Decoder` failures into {@link DecodeError}s that name the field, the expected type and
 * the kind of value that came (never the value itself: it may be a secret).
 *
 * @module
 */
import type { Either } from 'fp-ts/Either'
import { left, right } from '../errors/either.js'
import type * as D from 'io-ts/Decoder'
import type * as DE from 'io-ts/DecodeError'
import type * as FS from 'io-ts/FreeSemigroup'
import { decodeError, type DecodeError } from '../errors/errors.js'

// io-ts's `FS.of`, `DE.leaf`, `DE.key` and `DE.index`, written out: the same error trees,
// without the io-ts modules in a bundle (decode.test.ts checks they agree).
const of = <A>(value: A): FS.FreeSemigroup<A> => ({ _tag: 'Of', value })

/**
 * A successful decoding: `io-ts/Decoder`'s `success`, without its module.
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeSuccess: <A>(a: A) => Either<D.DecodeError, A> = right

/**
 * A failed decoding of `actual`, which was not `expected`: `io-ts/Decoder`'s `failure`
 * (the same error tree), without its module.
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeFailure = <A = never>(actual: unknown, expected: string): Either<D.DecodeError, A> =>
  left(of<DE.DecodeError<string>>({ _tag: 'Leaf', actual, error: expected }))

/**
 * Any string: `io-ts/Decoder`'s `string` (the same answers and error trees), without its module.
 *
 * @category codecs
 * @since 0.1.0
 */
export const stringDecoder: D.Decoder<unknown, string> = {
  decode: (u) => (typeof u === 'string' ? decodeSuccess(u) : decodeFailure(u, 'string')),
}

/**
 * Any number but `NaN`: `io-ts/Decoder`'s `number` (the same answers and error trees), without its module.
 *
 * @category codecs
 * @since 0.1.0
 */
export const numberDecoder: D.Decoder<unknown, number> = {
  decode: (u) => (typeof u === 'number' && !Number.isNaN(u) ? decodeSuccess(u) : decodeFailure(u, 'number')),
}

/**
 * A short description of a value's kind, safe to log.
 *
 * @category utils
 * @since 0.1.0
 */
export const describeValue = (u: unknown): string =>
  u === undefined ? 'nothing (missing)' : u === null ? 'null' : Array.isArray(u) ? 'an array' : typeof u === 'string' ? (u === '' ? 'an empty string' : 'a string') : `a ${typeof u}`

/**
 * The first failure in an io-ts decoder's error tree: the object keys on the way to it (array
 * indexes and intersection members left out), what was expected there and the value found.
 */
const firstFailure = (
  e: FS.FreeSemigroup<DE.DecodeError<string>>,
  path: ReadonlyArray<string> = [],
): { readonly path: ReadonlyArray<string>; readonly expected: string; readonly actual: unknown } => {
  if (e._tag === 'Concat') return firstFailure(e.left, path)
  const d = e.value
  switch (d._tag) {
    case 'Leaf':
      return { path, expected: d.error, actual: d.actual }
    case 'Key':
      return firstFailure(d.errors, [...path, d.key])
    default:
      return firstFailure(d.errors, path)
  }
}

/**
 * Decodes with an io-ts `Decoder`; the first failure becomes a {@link DecodeError} about
 * `subject` naming the field's path, the expected type and the kind of value found.
 *
 * @category utils
 * @since 0.1.0
 */
export const decodeWith =
  <A>(decoder: D.Decoder<unknown, A>, subject: string, hint = '') =>
  (u: unknown): Either<DecodeError, A> => {
    const result = decoder.decode(u)
    if (result._tag === 'Right') return result
    const first = firstFailure(result.left)
    return left(decodeError('invalid_shape', subject, first.path.join('.'), first.expected, describeValue(first.actual), hint))
  }

/**
 * Keeps the fields a decoder does not know: the decoded fields are laid over the input object
 * (io-ts `Decoder.struct` drops unknown fields; the wire documents keep them).
 *
 * @category utils
 * @since 0.1.0
 */
export const keepUnknownFields = <A>(decoder: D.Decoder<unknown, A>): D.Decoder<unknown, A> => ({
  decode: (u) => {
    const result = decoder.decode(u)
    return result._tag === 'Right' ? right({ ...(u as object), ...result.right }) : result
  },
})

/**
 * Parses JSON text without throwing.
 *
 * @category utils
 * @since 0.1.0
 */
export const parseJson = (text: string, subject: string, hint = ''): Either<DecodeError, unknown> => {
  // `E.tryCatch` written out: JSON.parse's exception becomes the Left, nothing escapes.
  try {
    return right(JSON.parse(text) as unknown)
  } catch {
    return left(
      /^\s*</.test(text)
        ? decodeError('not_json', subject, '', 'JSON', 'an HTML or XML document', hint)
        : decodeError('invalid_json', subject, '', 'JSON', text.trim() === '' ? 'an empty body' : 'text that is not valid JSON', hint),
    )
  }
}

/**
 * A JSON object decoder written by hand: what io-ts builds as
 * `keepUnknownFields(pipe(D.struct(required), D.intersect(D.partial(optional))))` (or, with
 * `keepUnknown` false, the same without `keepUnknownFields`), with the same value (the input's
 * fields, the decoded ones laid over them; an optional field that is absent is left out, one
 * that is `undefined` stays `undefined`) and the same first failure (a value that is not an
 * object, else the first required field that fails, else the first optional one, in the
 * order given), which is all {@link decodeWith} reads. Only that first failure is returned
 * (io-ts collects every one). Every wire answer uses it: it keeps io-ts's struct machinery
 * out of the bundles (equivalence: tokenResponse.test.ts, authority/codecs.test.ts,
 * grants' deviceCode/answerDecoders.test.ts).
 *
 * @example
 * ```ts
 * import { fieldsOf, NonBlankString } from '@authfold/core'
 * import * as D from 'io-ts/Decoder'
 *
 * const Answer = fieldsOf({ access_token: NonBlankString }, { scope: D.string })
 * ```
 * @category utils
 * @since 0.1.0
 */
export const fieldsOf = <R, O>(
  required: { readonly [K in keyof R]: D.Decoder<unknown, R[K]> },
  optional: { readonly [K in keyof O]: D.Decoder<unknown, O[K]> },
  keepUnknown = true,
): D.Decoder<unknown, { [K in keyof R]: R[K] } & Partial<{ [K in keyof O]: O[K] }>> => ({
  decode: (u) => {
    if (u === null || typeof u !== 'object' || Array.isArray(u)) return decodeFailure(u, 'Record<string, unknown>')
    const input = u as Readonly<Record<string, unknown>>
    const decoded: Record<string, unknown> = {}
    const groups = [
      [required, 'required'],
      [optional, 'optional'],
    ] as const
    for (const [decoders, kind] of groups)
      for (const [key, decoder] of Object.entries<D.Decoder<unknown, unknown>>(decoders)) {
        const value = input[key]
        if (kind === 'optional' && value === undefined) {
          // io-ts keeps an optional field that is there (`in`) but undefined, and drops an absent one
          if (key in input) decoded[key] = undefined
          continue
        }
        const r = decoder.decode(value)
        if (r._tag === 'Left') return left(of<DE.DecodeError<string>>({ _tag: 'Key', key, kind, errors: r.left }))
        decoded[key] = r.right
      }
    return right((keepUnknown ? { ...input, ...decoded } : decoded) as { [K in keyof R]: R[K] } & Partial<{ [K in keyof O]: O[K] }>)
  },
})

/**
 * An array whose every item `item` accepts, with io-ts `D.array`'s first failure (a value
 * that is not an array, else the first item that fails); the items as decoded.
 *
 * @example
 * ```ts
 * import { arrayOf } from '@authfold/core'
 * import * as D from 'io-ts/Decoder'
 *
 * const Codes = arrayOf(D.number)
 * ```
 * @category utils
 * @since 0.1.0
 */
export const arrayOf = <A>(item: D.Decoder<unknown, A>): D.Decoder<unknown, Array<A>> => ({
  decode: (u) => {
    if (!Array.isArray(u)) return decodeFailure(u, 'Array<unknown>')
    const out: Array<A> = []
    for (let i = 0; i < u.length; i++) {
      const r = item.decode(u[i])
      if (r._tag === 'Left') return left(of<DE.DecodeError<string>>({ _tag: 'Index', index: i, kind: 'optional', errors: r.left }))
      out.push(r.right)
    }
    return right(out)
  },
})
