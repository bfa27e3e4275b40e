/**
 * fast-check arbitraries for fuzzing decoders of wire answers and stored documents with
 * hostile input: JSON *text* (so `__proto__` keys stay own keys and keys may repeat) whose
 * objects use prototype-polluting keys (`__proto__`, `constructor`, `prototype`) and the
 * decoder's own field names at every level; strings with lone surrogates (invalid UTF-16),
 * control and ANSI escape characters, numbers at the edges; deep nesting; huge strings;
 * and mutations (cuts, inserted and flipped characters) of valid documents. Plus a check
 * that `Object.prototype` and `Array.prototype` were left alone.
 *
 * @module
 */
import * as fc from 'fast-check'

/**
 * Keys that reach a prototype when code copies them with `target[key] = value`.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const POISON_KEYS: ReadonlyArray<string> = ['__proto__', 'constructor', 'prototype']

/**
 * A lone UTF-16 surrogate: a string no UTF-8 encoder can encode as it is.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const loneSurrogateArb: fc.Arbitrary<string> = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))

const SPECIAL_STRINGS: ReadonlyArray<string> = [
  '',
  ' ',
  '\u0000',
  '\u001b[31mred\u001b[0m',
  '\r\nX-Injected: 1',
  'https://evil.example/',
  'https://',
  'http://127.0.0.1/',
  'javascript:alert(1)',
  'NaN',
  'Infinity',
  '1e309',
  '-1',
  '0',
  '3599',
  'Bearer',
  '__proto__',
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  '\uFEFF',
  '\u202E',
]

/**
 * Short strings that are often hostile: arbitrary code points, lone surrogates, control and
 * ANSI escape characters, URLs of the wrong kind, numbers as text.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const hostileStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  {
    weight: 2,
    arbitrary: fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 4 }), loneSurrogateArb, fc.constantFrom(...SPECIAL_STRINGS)), { maxLength: 6 }).map((parts) => parts.join('')),
  },
)

/**
 * A huge string: 64 KiB to 4 MiB of one character (or of a short random unit).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const hugeStringArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(64 * 1024, 1024 * 1024, 4 * 1024 * 1024), fc.oneof(fc.constant('A'), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }), loneSurrogateArb))
  .map(([size, unit]) => unit.repeat(Math.ceil(size / unit.length)))

/**
 * A string as JSON text: escaped as `JSON.stringify` does (lone surrogates as `\udXXX`),
 * or raw (lone surrogates and non-ASCII as they are, only what JSON requires escaped).
 */
const jsonStringText = (s: string, raw: boolean): string =>
  raw
    ? `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`
    : JSON.stringify(s)

const NUMBER_TEXTS: ReadonlyArray<string> = ['0', '-0', '1', '-1', '3599', '1.5', '1e21', '1e308', '1E400', '-1e400', '5e-324', '9007199254740993', '0.0000001']

/**
 * Options of {@link hostileJsonTextArb}.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export interface HostileJsonOptions {
  /** Field names of the document being fuzzed, used as keys at every level. */
  readonly keys?: ReadonlyArray<string>
  /** Deepest nesting of arrays and objects. Default 5. */
  readonly maxDepth?: number
}

/**
 * JSON text (always valid JSON) of any shape, whose objects use {@link POISON_KEYS}, the
 * given field names and random keys (repeated keys included), and whose strings and
 * numbers are hostile. Text, not values: `JSON.parse` makes `__proto__` an own key, as a
 * server's answer would.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const hostileJsonTextArb = (options: HostileJsonOptions = {}): fc.Arbitrary<string> => {
  const keys = options.keys ?? []
  const key = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...POISON_KEYS) },
    { weight: keys.length === 0 ? 0 : 4, arbitrary: fc.constantFrom(...(keys.length === 0 ? [''] : keys)) },
    { weight: 1, arbitrary: fc.constantFrom('toString', 'valueOf', 'hasOwnProperty', 'length', '0', '') },
    { weight: 2, arbitrary: hostileStringArb },
  )
  const primitive = fc.oneof(
    fc.constantFrom('null', 'true', 'false', ...NUMBER_TEXTS),
    fc.double().map((n) => (Number.isFinite(n) ? JSON.stringify(n) : '0')),
    fc.tuple(hostileStringArb, fc.boolean()).map(([s, raw]) => jsonStringText(s, raw)),
  )
  const { value } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', maxDepth: options.maxDepth ?? 5 }, primitive, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }).map((vs) => `[${vs.join(',')}]`),
    object: fc
      .array(fc.tuple(key, tie('value'), fc.boolean()), { maxLength: 7 })
      .map((entries) => `{${entries.map(([k, v, raw]) => `${jsonStringText(k, raw)}:${v}`).join(',')}}`),
  }))
  return value
}

/**
 * A JSON object text whose top-level fields are the document's own (each present or not)
 * with hostile values, plus poison and random keys: the shape a decoder looks at first.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const hostileDocumentTextArb = (fields: ReadonlyArray<string>, good: Readonly<Record<string, string>> = {}): fc.Arbitrary<string> => {
  const value = hostileJsonTextArb({ keys: fields, maxDepth: 3 })
  const field = (name: string): fc.Arbitrary<string | undefined> =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: good[name] === undefined ? 0 : 3, arbitrary: fc.constant(good[name] ?? 'null') },
      { weight: 3, arbitrary: value },
    )
  const extra = fc.array(fc.tuple(fc.constantFrom(...POISON_KEYS, 'error', 'unknown_field'), value), { maxLength: 3 })
  return fc.tuple(fc.tuple(...fields.map(field)), extra, fc.boolean()).map(([values, more, extrasFirst]) => {
    const own = fields.flatMap((name, i) => (values[i] === undefined ? [] : [`${JSON.stringify(name)}:${values[i]}`]))
    const others = more.map(([k, v]) => `${JSON.stringify(k)}:${v}`)
    return `{${(extrasFirst ? [...others, ...own] : [...own, ...others]).join(',')}}`
  })
}

/**
 * Text nested `depth` levels deep (arrays, objects, or both), optionally under `path`
 * (a list of keys from the top), from 100 up to 100,000 levels.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const deepJsonTextArb = (path: ReadonlyArray<string> = []): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(100, 1_000, 10_000, 100_000), fc.constantFrom('array', 'object', 'mixed', 'poison')).map(([depth, kind]) => {
    const open = kind === 'array' ? '[' : kind === 'object' ? '{"a":' : kind === 'poison' ? '{"__proto__":' : '[{"a":'
    const close = kind === 'array' ? ']' : kind === 'object' || kind === 'poison' ? '}' : '}]'
    const levels = kind === 'mixed' ? Math.floor(depth / 2) : depth
    const inner = `${open.repeat(levels)}1${close.repeat(levels)}`
    return path.reduceRight((text, key) => `{${JSON.stringify(key)}:${text}}`, inner)
  })

const accessTokenWithField = (field: string, value: string): string =>
  `{"AccessToken":{"k":{"credential_type":"AccessToken","secret":"s",${JSON.stringify(field)}:${value}}}}`

/**
 * An oversized MSAL cache document: nested 100 to 100,000 levels deep (at the top, in an
 * unknown section, in the `AccessToken` section, in an entry's unknown or `__proto__` field),
 * an entry with a string field (`secret`, `target`, an unknown one, `__proto__`) of up to
 * 4 MiB, an entry key of up to 1 MB, or a huge string alone: what every cache reader must
 * answer in bounded time without a throw.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const oversizedCacheTextArb: fc.Arbitrary<string> = fc.oneof(
  deepJsonTextArb(),
  deepJsonTextArb(['customized']),
  deepJsonTextArb(['AccessToken']),
  deepJsonTextArb().map((deep) => accessTokenWithField('unknown_field', deep)),
  deepJsonTextArb().map((deep) => accessTokenWithField('__proto__', deep)),
  fc.tuple(fc.constantFrom('secret', 'target', 'unknown_field', '__proto__'), hugeStringArb).map(([field, s]) => accessTokenWithField(field, JSON.stringify(s))),
  hugeStringArb.map((s) => `{"AccessToken":{${JSON.stringify(s.slice(0, 1_000_000))}:{"credential_type":"AccessToken","secret":"s"}}}`),
  hugeStringArb,
)

/**
 * A valid document broken in one of the ways a network or a disk breaks text: cut short,
 * a character inserted, replaced or deleted, a lone surrogate or a NUL put in.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const mutatedTextArb = (valid: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.nat({ max: Math.max(0, valid.length) }),
      fc.constantFrom('cut', 'insert', 'replace', 'delete'),
      fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }), loneSurrogateArb, fc.constantFrom('"', '{', '}', ',', ':', '\\', '\u0000', '[', ']')),
    )
    .map(([at, how, text]) =>
      how === 'cut' ? valid.slice(0, at) : how === 'insert' ? valid.slice(0, at) + text + valid.slice(at) : how === 'replace' ? valid.slice(0, at) + text + valid.slice(at + 1) : valid.slice(0, at) + valid.slice(at + 1),
    )

/**
 * The own property names of `Object.prototype` and `Array.prototype` and what `{}` and `[]`
 * inherit under a few tell-tale names: take one before fuzzing, and compare after.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const prototypeSnapshot = (): string => {
  const probe: Record<string, unknown> = {}
  const list = [] as unknown as Record<string, unknown>
  const inherited = ['polluted', 'isAdmin', 'a', 'access_token', 'error', 'issuer', 'token_endpoint', 'AccessToken'].map(
    (k) => `${k}=${typeof probe[k]}/${typeof list[k]}`,
  )
  return JSON.stringify([
    Object.getOwnPropertyNames(Object.prototype).sort(),
    Object.keys(Object.prototype),
    Object.getOwnPropertyNames(Array.prototype).sort(),
    Object.keys(Array.prototype),
    inherited,
    Object.getPrototypeOf(Object.prototype) === null,
  ])
}
