/**
 * Fuzzing the MEX reader: broken copies of the three real AD FS documents, element soups of
 * MEX names, entity bombs, external entities, nesting to 100,000 levels, huge strings. It
 * never throws, answers in bounded time, expands no entity, pollutes nothing, and a Right
 * is an https address with a WS-Trust 1.3 or 2005 action.
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { prototypeSnapshot } from '@authfold/testing'
import { ACTION_13, ACTION_2005 } from './namespaces.js'
import { readMex } from './mex.js'
import { bigXmlArb, hostileXmlArb } from './xmlArbitraries.testkit.js'

const VALID = ['microsoft.mex.xml', 'arupela.mex.xml', 'archan.us.mex.xml'].map((f) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8'))
const NAMES = ['wsdl:definitions', 'wsdl:binding', 'wsdl:service', 'wsdl:port', 'wsdl:operation', 'soap12:binding', 'soap12:operation', 'wsp:Policy', 'wsp:PolicyReference', 'wsp:ExactlyOne', 'wsp:All', 'sp:TransportBinding', 'sp:SignedEncryptedSupportingTokens', 'sp:UsernameToken', 'sp:WssUsernameToken10', 'http:NegotiateAuthentication', 'wsa10:EndpointReference', 'wsa10:Address']
const NAMESPACES =
  'xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy" xmlns:sp="http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702" xmlns:http="http://schemas.microsoft.com/ws/06/2004/policy/http" xmlns:wsa10="http://www.w3.org/2005/08/addressing" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" xmlns:tns="urn:t"'

const check = (doc: string, before: string, seen: Map<string, number>): number => {
  const started = performance.now()
  const r = readMex(doc)
  const ms = performance.now() - started
  seen.set(r._tag === 'Left' ? r.left.path || 'xml' : 'Right', (seen.get(r._tag === 'Left' ? r.left.path || 'xml' : 'Right') ?? 0) + 1)
  expect(prototypeSnapshot()).toBe(before)
  if (r._tag === 'Left') {
    expect(r.left._tag).toBe('DecodeError')
    expect(r.left.message).toMatch(/^The MEX document could not be read/)
    expect(r.left.message.length).toBeLessThan(1_000)
    expect(r.left.message).not.toContain('lollol')
  } else {
    expect(r.right.address).toMatch(/^https:\/\//i)
    expect(r.right.address.length).toBeLessThanOrEqual(doc.length)
    expect([ACTION_13, ACTION_2005]).toContain(r.right.action)
  }
  return ms
}

describe('the MEX reader under fuzzing', () => {
  it('hostile documents (1,500 runs): no throw, under 1 s each, no expansion, no pollution', () => {
    const before = prototypeSnapshot()
    const seen = new Map<string, number>()
    fc.assert(fc.property(hostileXmlArb(VALID, NAMES, NAMESPACES), (doc) => void expect(check(doc, before, seen)).toBeLessThan(1_000)), { numRuns: 1_500 })
    expect(seen.get('Right') ?? 0).toBeGreaterThan(20)
    expect(seen.get('xml') ?? 0).toBeGreaterThan(20)
    expect(seen.get('wsdl:service/wsdl:port') ?? 0).toBeGreaterThan(20)
  })

  it('deep nesting (to 100,000) and huge strings (to 4 MiB) (40 runs): no throw, under 3 s each', () => {
    const before = prototypeSnapshot()
    const seen = new Map<string, number>()
    fc.assert(fc.property(bigXmlArb(NAMES), (doc) => void expect(check(doc, before, seen)).toBeLessThan(3_000)), { numRuns: 40 })
  })
})
