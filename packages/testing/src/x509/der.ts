/**
 * A small DER (ASN.1 Distinguished Encoding Rules) writer: just the types an X.509
 * certificate needs. Every function is pure and returns fresh bytes.
 *
 * The length and element encoders are core's (`@authfold/core`), re-exported here so the
 * certificate builder has the whole writer in one place.
 *
 * @module
 */
import { derElement } from '@authfold/core'

export { derElement, derLength } from '@authfold/core'

/**
 * Concatenates byte arrays.
 *
 * @category der
 * @since 0.1.0
 */
export const concatBytes = (...parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/**
 * A SEQUENCE of already-encoded elements.
 *
 * @category der
 * @since 0.1.0
 */
export const derSequence = (...items: ReadonlyArray<Uint8Array>): Uint8Array => derElement(0x30, ...items)

/**
 * A SET of already-encoded elements (callers pass them in DER order).
 *
 * @category der
 * @since 0.1.0
 */
export const derSet = (...items: ReadonlyArray<Uint8Array>): Uint8Array => derElement(0x31, ...items)

/**
 * A non-negative INTEGER from big-endian magnitude bytes (a leading zero is added when the
 * top bit is set, redundant leading zeros are dropped).
 *
 * @category der
 * @since 0.1.0
 */
export const derUnsignedInteger = (magnitude: Uint8Array): Uint8Array => {
  let start = 0
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++
  const trimmed = magnitude.length === 0 ? Uint8Array.of(0) : magnitude.subarray(start)
  const needsPad = ((trimmed[0] ?? 0) & 0x80) !== 0
  return derElement(0x02, needsPad ? concatBytes(Uint8Array.of(0), trimmed) : trimmed)
}

/**
 * A small non-negative INTEGER.
 *
 * @category der
 * @since 0.1.0
 */
export const derSmallInteger = (n: number): Uint8Array => {
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256)
  return derUnsignedInteger(Uint8Array.from(bytes))
}

/**
 * An OBJECT IDENTIFIER from its dotted form, e.g. `2.5.4.3`.
 *
 * @category der
 * @since 0.1.0
 */
export const derOid = (dotted: string): Uint8Array => {
  const arcs = dotted.split('.').map(Number)
  const [a = 0, b = 0, ...rest] = arcs
  const out: number[] = []
  for (const arc of [a * 40 + b, ...rest]) {
    const group: number[] = [arc % 128]
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) group.unshift((v % 128) | 0x80)
    out.push(...group)
  }
  return derElement(0x06, Uint8Array.from(out))
}

/**
 * NULL.
 *
 * @category der
 * @since 0.1.0
 */
export const derNull = (): Uint8Array => Uint8Array.of(0x05, 0x00)

/**
 * BOOLEAN.
 *
 * @category der
 * @since 0.1.0
 */
export const derBoolean = (b: boolean): Uint8Array => Uint8Array.of(0x01, 0x01, b ? 0xff : 0x00)

/**
 * A BIT STRING with no unused bits.
 *
 * @category der
 * @since 0.1.0
 */
export const derBitString = (bytes: Uint8Array): Uint8Array => derElement(0x03, Uint8Array.of(0), bytes)

/**
 * An OCTET STRING.
 *
 * @category der
 * @since 0.1.0
 */
export const derOctetString = (bytes: Uint8Array): Uint8Array => derElement(0x04, bytes)

/**
 * A UTF8String.
 *
 * @category der
 * @since 0.1.0
 */
export const derUtf8String = (s: string): Uint8Array => derElement(0x0c, new TextEncoder().encode(s))

/**
 * A time as X.509 wants it (RFC 5280 §4.1.2.5): UTCTime until 2049, GeneralizedTime after.
 *
 * @category der
 * @since 0.1.0
 */
export const derTime = (epochMs: number): Uint8Array => {
  const iso = new Date(epochMs).toISOString() // 2024-01-02T03:04:05.678Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '') // 20240102030405
  const year = new Date(epochMs).getUTCFullYear()
  return year >= 1950 && year < 2050
    ? derElement(0x17, new TextEncoder().encode(`${digits.slice(2)}Z`))
    : derElement(0x18, new TextEncoder().encode(`${digits}Z`))
}

/**
 * A context-specific constructed (EXPLICIT) tag `[n]` around one element.
 *
 * @category der
 * @since 0.1.0
 */
export const derExplicit = (n: number, inner: Uint8Array): Uint8Array => derElement(0xa0 | n, inner)

/**
 * A context-specific primitive (IMPLICIT) tag `[n]` over raw contents.
 *
 * @category der
 * @since 0.1.0
 */
export const derImplicitPrimitive = (n: number, contents: Uint8Array): Uint8Array => derElement(0x80 | n, contents)
