/**
 * fast-check arbitraries of hostile XML for the MEX and RSTR fuzzers: entity bombs,
 * external entities, deep nesting, XML-specific breakage of valid documents (tags, quotes,
 * CDATA and entities put in), and element soups built from the documents' own names.
 */
import * as fc from 'fast-check'
import { hostileStringArb, hugeStringArb, mutatedTextArb } from '@authfold/testing'

/** A billion-laughs document `levels` deep, `fanout` wide (optionally without the DOCTYPE's closing). */
export const entityBombArb: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 20 }), fc.constantFrom('lolz', 's:Envelope', 'wsdl:definitions')).map(([levels, fanout, root]) => {
  const defs = ['<!ENTITY l0 "lol">', ...Array.from({ length: levels }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(fanout)}">`)]
  return `<?xml version="1.0"?><!DOCTYPE ${root} [${defs.join('')}]><${root}>&l${levels};</${root}>`
})

/** External entities, parameter entities, and undefined entities without a DOCTYPE. */
export const externalEntityArb: fc.Arbitrary<string> = fc.constantFrom(
  '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
  '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:1/evil.dtd"> %p;]><r/>',
  '<!DOCTYPE r SYSTEM "http://127.0.0.1:1/evil.dtd"><r>&x;</r>',
  '<r>&x;</r>',
  '<r a="&x;"/>',
  '<r>&#x110000;</r>',
  '<r>&#0;</r>',
)

/** Nesting up to 100,000 levels, closed or not, with the documents' element names. */
export const deepXmlArb = (names: ReadonlyArray<string>): fc.Arbitrary<string> =>
  fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(...names), fc.boolean()).map(([depth, name, closed]) => `<${name}>`.repeat(depth) + (closed ? `</${name}>`.repeat(depth) : ''))

/** Element soups: random nestings of the documents' own element names, attributes and text. */
export const elementSoupArb = (names: ReadonlyArray<string>, namespaces: string): fc.Arbitrary<string> => {
  const { tree } = fc.letrec<{ tree: string; node: string }>((tie) => ({
    tree: fc.array(tie('node'), { maxLength: 5 }).map((xs) => xs.join('')),
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(hostileStringArb, fc.constantFrom('https://sts.test/13/usernamemixed', 'urn:oasis:names:tc:SAML:1.0:assertion', ' &amp; ', '<![CDATA[x]]>', '')).map((t) => t.replace(/[<&]/g, '')),
      fc
        .tuple(fc.constantFrom(...names), fc.constantFrom('', ' URI="#p"', ' wsu:Id="p"', ' binding="tns:b"', ' name="b"', ' soapAction="http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue"', ' transport="http://schemas.xmlsoap.org/soap/http"'), tie('tree'))
        .map(([n, a, inner]) => `<${n}${a}>${inner}</${n}>`),
    ),
  }))
  return tree.map((inner) => `<root ${namespaces}>${inner}</root>`)
}

/** Everything hostile, for a reader of documents like `valid`. */
export const hostileXmlArb = (valid: ReadonlyArray<string>, names: ReadonlyArray<string>, namespaces: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...valid).chain((v) => mutatedTextArb(v)) },
    { weight: 2, arbitrary: fc.constantFrom(...valid).chain((v) => fc.tuple(fc.nat({ max: v.length }), fc.constantFrom('<', '>', '&', '"', "'", ']]>', '<!--', '<!DOCTYPE x>', '&lol;', '</x>', '<x>')).map(([at, s]) => v.slice(0, at) + s + v.slice(at))) },
    { weight: 3, arbitrary: elementSoupArb(names, namespaces) },
    { weight: 1, arbitrary: entityBombArb },
    { weight: 1, arbitrary: externalEntityArb },
    { weight: 1, arbitrary: hostileStringArb },
  )

/** Large inputs: deep nesting and huge strings. */
export const bigXmlArb = (names: ReadonlyArray<string>): fc.Arbitrary<string> => fc.oneof(deepXmlArb(names), hugeStringArb, hugeStringArb.map((s) => `<r>${s.replace(/[<&]/g, '')}</r>`))
