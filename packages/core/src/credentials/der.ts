/**
 * A minimal DER reader and writer: just enough ASN.1 for private keys and certificates.
 *
 * @module
 */

/**
 * One DER element: its tag, and where its contents lie in the buffer.
 *
 * @category model
 * @since 0.1.0
 */
export interface DerNode {
  readonly tag: number
  readonly start: number
  readonly end: number
  /** The offset just after this element. */
  readonly next: number
}

/**
 * Reads the element at `offset`, or undefined when the bytes are not valid DER there.
 *
 * @category utils
 * @since 0.1.0
 */
export const readDer = (buf: Uint8Array, offset = 0, limit = buf.length): DerNode | undefined => {
  const tag = buf[offset]
  const first = buf[offset + 1]
  if (tag === undefined || first === undefined) return undefined
  let length = first
  let start = offset + 2
  if (first & 0x80) {
    const n = first & 0x7f
    if (n === 0 || n > 4) return undefined
    length = 0
    for (let i = 0; i < n; i++) {
      const b = buf[start + i]
      if (b === undefined) return undefined
      length = length * 256 + b
    }
    start += n
  }
  const end = start + length
  return end > limit ? undefined : { tag, start, end, next: end }
}

/**
 * The child elements of a constructed element.
 *
 * @category utils
 * @since 0.1.0
 */
export const derChildren = (buf: Uint8Array, node: DerNode): ReadonlyArray<DerNode> | undefined => {
  const out: DerNode[] = []
  let at = node.start
  while (at < node.end) {
    const child = readDer(buf, at, node.end)
    if (child === undefined) return undefined
    out.push(child)
    at = child.next
  }
  return out
}

/**
 * Encodes a DER length.
 *
 * @category utils
 * @since 0.1.0
 */
export const derLength = (n: number): Uint8Array => {
  if (n < 0x80) return Uint8Array.of(n)
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256)
  return Uint8Array.of(0x80 | bytes.length, ...bytes)
}

/**
 * Encodes one DER element from a tag and its contents.
 *
 * @category utils
 * @since 0.1.0
 */
export const derElement = (tag: number, ...contents: ReadonlyArray<Uint8Array>): Uint8Array => {
  const size = contents.reduce((n, c) => n + c.length, 0)
  const len = derLength(size)
  const out = new Uint8Array(1 + len.length + size)
  out[0] = tag
  out.set(len, 1)
  let at = 1 + len.length
  for (const c of contents) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/**
 * The dotted form of an OBJECT IDENTIFIER's contents.
 *
 * @category utils
 * @since 0.1.0
 */
export const derOid = (buf: Uint8Array, node: DerNode): string => {
  const parts: number[] = []
  let value = 0
  for (let i = node.start; i < node.end; i++) {
    const b = buf[i] ?? 0
    value = value * 128 + (b & 0x7f)
    if ((b & 0x80) === 0) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80)
      else parts.push(value)
      value = 0
    }
  }
  return parts.join('.')
}
