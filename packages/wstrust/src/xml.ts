/**
 * A small, safe XML reader for the WS-Trust documents (MEX, RSTR): a namespace-aware
 * element tree with the raw text positions of every element, so a SAML assertion can be
 * sliced out of the answer byte for byte as the STS wrote it (re-serializing breaks its
 * signature).
 *
 * Why saxes (6.0.0, one dependency, `xmlchars`, ~75 kB unminified, maintained, written in TypeScript):
 * - it never processes a DTD: the internal subset is handed over as text and ignored, and
 *   an entity other than the five predefined ones is an error ("undefined entity"), so a
 *   billion-laughs or external-entity document cannot expand (and we refuse any DOCTYPE
 *   before that);
 * - it reports the string index after every tag (`position`), which gives the raw slices;
 * - it is a streaming parser with an explicit stack: no recursion, so 100,000 levels of
 *   nesting cannot overflow the call stack (and we stop at {@link MAX_DEPTH} levels anyway).
 * fast-xml-parser builds objects (no positions, so no raw slice; its entity handling must be
 * configured off), sax (the original) is lenient where we want errors and has no types,
 * and @xmldom/xmldom is a full DOM (larger, positions only as line/column).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { SaxesParser, type SaxesTagNS } from 'saxes'

/**
 * An element: its namespace URI and local name, attributes by `{uri}local` (the bare local
 * name for attributes without a namespace), its children, its text (the character data
 * directly inside it, entities decoded) and the raw positions of its content in the
 * document (`inner` is `[start, end)`: after the start tag, before the end tag).
 *
 * @category model
 * @since 0.1.0
 */
export interface XmlElement {
  readonly uri: string
  readonly local: string
  readonly attributes: Readonly<Record<string, string>>
  readonly children: ReadonlyArray<XmlElement>
  readonly text: string
  readonly inner: readonly [number, number]
}

/**
 * Why a document could not be read: where, and a short reason (never the document's text).
 *
 * @category model
 * @since 0.1.0
 */
export interface XmlFailure {
  readonly reason: string
}

/**
 * The deepest nesting read; deeper documents are refused (WS-Trust documents nest about 15 levels).
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_DEPTH = 256

/**
 * The largest document read, in UTF-16 code units (the real MEX documents are about 50 kB).
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_XML_LENGTH = 4 * 1024 * 1024

interface Building {
  readonly uri: string
  readonly local: string
  readonly attributes: Record<string, string>
  readonly children: Array<XmlElement>
  text: string
  readonly start: number
}

const attributesOf = (tag: SaxesTagNS): Record<string, string> => {
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  for (const a of Object.values(tag.attributes)) {
    if (a.prefix === 'xmlns' || a.name === 'xmlns') continue
    out[a.uri === '' ? a.local : `{${a.uri}}${a.local}`] = a.value
  }
  return out
}

const STOP = Symbol('stop')

/**
 * Parses a document into its root {@link XmlElement}, or says why it cannot: not well-formed
 * (line and column), a DOCTYPE (refused: no DTD is ever processed), an undefined entity,
 * deeper than {@link MAX_DEPTH}, longer than {@link MAX_XML_LENGTH}. Never throws.
 *
 * @category parsers
 * @since 0.1.0
 */
export const parseXml = (text: string): E.Either<XmlFailure, XmlElement> => {
  if (typeof text !== 'string') return E.left({ reason: 'not text' })
  if (text.length > MAX_XML_LENGTH) return E.left({ reason: `longer than ${MAX_XML_LENGTH} characters` })
  const parser = new SaxesParser({ xmlns: true, position: true })
  const stack: Array<Building> = []
  let root: XmlElement | undefined
  let failure: string | undefined
  const fail = (reason: string): never => {
    failure ??= reason
    throw STOP
  }
  parser.on('error', () => fail(`not well-formed XML at line ${parser.line}, column ${parser.column}`))
  parser.on('doctype', () => fail('a DOCTYPE (DTDs are not processed)'))
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`)
    stack.push({ uri: tag.uri, local: tag.local, attributes: attributesOf(tag), children: [], text: '', start: parser.position })
  })
  const addText = (t: string): void => {
    const top = stack[stack.length - 1]
    if (top !== undefined) top.text += t
  }
  parser.on('text', addText)
  parser.on('cdata', addText)
  parser.on('closetag', () => {
    const done = stack.pop()
    if (done === undefined) return
    const end = parser.position
    const innerEnd = done.start === end ? end : text.lastIndexOf('<', end - 1)
    const element: XmlElement = { uri: done.uri, local: done.local, attributes: done.attributes, children: done.children, text: done.text, inner: [done.start, innerEnd] }
    const parent = stack[stack.length - 1]
    if (parent === undefined) root = element
    else parent.children.push(element)
  })
  try {
    parser.write(text).close()
  } catch (e) {
    if (e !== STOP) failure ??= 'not well-formed XML'
  }
  return failure !== undefined ? E.left({ reason: failure }) : root === undefined ? E.left({ reason: 'no root element' }) : E.right(root)
}

/**
 * The child elements of `element` with this namespace URI and local name.
 *
 * @category queries
 * @since 0.1.0
 */
export const childrenNamed = (element: XmlElement, uri: string, local: string): ReadonlyArray<XmlElement> =>
  element.children.filter((c) => c.uri === uri && c.local === local)

/**
 * The first child element with this namespace URI and local name.
 *
 * @category queries
 * @since 0.1.0
 */
export const childNamed = (element: XmlElement, uri: string, local: string): XmlElement | undefined => element.children.find((c) => c.uri === uri && c.local === local)

/**
 * Every element below `element` (not itself) in document order, without recursion.
 *
 * @category queries
 * @since 0.1.0
 */
export const descendants = (element: XmlElement): ReadonlyArray<XmlElement> => {
  const out: Array<XmlElement> = []
  const todo: Array<XmlElement> = [...element.children].reverse()
  for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
    out.push(next)
    for (let i = next.children.length - 1; i >= 0; i--) todo.push(next.children[i] as XmlElement)
  }
  return out
}

/**
 * The descendants of `element` with this namespace URI (any of `uris`) and local name.
 *
 * @category queries
 * @since 0.1.0
 */
export const descendantsNamed = (element: XmlElement, uris: ReadonlyArray<string>, local: string): ReadonlyArray<XmlElement> =>
  descendants(element).filter((d) => d.local === local && uris.includes(d.uri))

/**
 * The character data directly inside an element with surrounding whitespace removed (real
 * MEX documents put newlines inside addresses).
 *
 * @category queries
 * @since 0.1.0
 */
export const trimmedText = (element: XmlElement): string => element.text.trim()

/**
 * The raw text of an element's content as the document has it: `document.slice(...inner)`.
 *
 * @category queries
 * @since 0.1.0
 */
export const rawInner = (document: string, element: XmlElement): string => document.slice(element.inner[0], element.inner[1])
