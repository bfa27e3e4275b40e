/**
 * Replaying one writer's changes onto a newer cache document, for caches kept as MSAL's
 * JSON document itself (the app-token table): the optimistic-concurrency step of the lean
 * client, as `rebase` is the full cache's.
 *
 * @module
 */

/** A cache document: sections by name, each usually a record of entries by cache key. */
type Document = Readonly<Record<string, unknown>>

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v)

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

const define = (o: Record<string, unknown>, k: string, v: unknown): void => {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
}

/**
 * A copy with `k: v` written in `k`'s place (appended when new), or `k` removed when `v` is
 * undefined; a key named `__proto__` stays a plain key.
 */
const withEntry = (o: Readonly<Record<string, unknown>>, k: string, v: unknown): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(o)) {
    if (key !== k) define(out, key, o[key])
    else if (v !== undefined) define(out, key, v)
  }
  if (v !== undefined && !has(o, k)) define(out, k, v)
  return out
}

/** The entries of `after` that differ from `before` (by identity), and the keys it dropped. */
const replaySection = (before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>, current: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> => {
  let out = current
  for (const k of Object.keys(after)) if (!has(before, k) || before[k] !== after[k]) out = withEntry(out, k, after[k])
  for (const k of Object.keys(before)) if (!has(after, k) && has(out, k)) out = withEntry(out, k, undefined)
  return out
}

/**
 * Applies the changes that turned `before` into `after` (entries written, replaced or
 * removed, by cache key, section by section) onto `current`, a newer document derived from
 * `before` by someone else. Where both changed the same key, `after`'s change wins;
 * everything else `current` did is kept. A section that is not a record of entries is
 * replaced whole when `after` changed it. The documents are values: nothing is mutated.
 *
 * `rebaseDocument(before, after, before)` equals `after`, and
 * `rebaseDocument(before, before, current)` is `current`.
 *
 * @example
 * ```ts
 * import { rebaseDocument } from '@authfold/cache'
 *
 * const before = { AccessToken: {} }
 * const mine = { AccessToken: { a: { secret: '1' } } }
 * const theirs = { AccessToken: { b: { secret: '2' } } }
 * rebaseDocument(before, mine, theirs) // { AccessToken: { b: ..., a: ... } }
 * ```
 * @category concurrency
 * @since 0.1.0
 */
export const rebaseDocument = <D extends Document>(before: D, after: D, current: D): D => {
  if (before === after) return current
  let out: Document = current
  for (const s of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[s]
    const a = after[s]
    if (b === a) continue
    const c = out[s]
    const next = isRecord(a) && isRecord(b) && isRecord(c) ? replaySection(b, a, c) : isRecord(a) && !has(before, s) && isRecord(c) ? replaySection({}, a, c) : a
    out = withEntry(out, s, next)
  }
  return out as D
}
