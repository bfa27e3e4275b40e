/**
 * Fuzzing the RSTR reader: broken copies of the real RSTR and of a SOAP fault, element soups
 * of RSTR names, entity bombs, external entities, nesting to 100,000 levels, huge strings,
 * under any HTTP status. It never throws, answers in bounded time, expands no entity,
 * pollutes nothing, and a Right holds a known grant type and a token sliced from the answer.
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { prototypeSnapshot } from '@authfold/testing'
import { readRstr, SAML_GRANT_TYPES } from './rstr.js'
import { bigXmlArb, hostileXmlArb } from './xmlArbitraries.testkit.js'

const FAULT = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>a:FailedAuthentication</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">MSIS7068: Access denied.</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`
const VALID = [readFileSync(new URL('./fixtures/rst_response.xml', import.meta.url), 'utf8'), FAULT]
const NAMES = ['s:Envelope', 's:Body', 's:Fault', 's:Code', 's:Subcode', 's:Value', 's:Reason', 's:Text', 'trust:RequestSecurityTokenResponseCollection', 'trust:RequestSecurityTokenResponse', 'trust:TokenType', 'trust:RequestedSecurityToken', 't:RequestSecurityTokenResponse', 't:TokenType', 't:RequestedSecurityToken', 'saml:Assertion']
const NAMESPACES =
  'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:trust="http://docs.oasis-open.org/ws-sx/ws-trust/200512" xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust" xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion" xmlns:wsu="urn:u" xmlns:tns="urn:t"'
const statusArb = fc.oneof(fc.constantFrom(200, 200, 400, 401, 500, 503), fc.integer({ min: 0, max: 999 }))

const check = (status: number, doc: string, before: string, seen: Map<string, number>): number => {
  const started = performance.now()
  const r = readRstr('https://sts.test/13/usernamemixed')(status, doc)
  const ms = performance.now() - started
  const kind = r._tag === 'Left' ? r.left._tag : 'Right'
  seen.set(kind, (seen.get(kind) ?? 0) + 1)
  expect(prototypeSnapshot()).toBe(before)
  if (r._tag === 'Left') {
    expect(['DecodeError', 'ProtocolError', 'HttpError']).toContain(r.left._tag)
    expect(r.left.message).toMatch(/^[A-Z]/)
    expect(r.left.message).not.toContain('lollol')
  } else {
    expect(Object.values(SAML_GRANT_TYPES)).toContain(r.right.grantType)
    expect(doc).toContain(r.right.token) // a slice of the answer, never expanded or rewritten
  }
  return ms
}

describe('the RSTR reader under fuzzing', () => {
  it('hostile answers (1,500 runs): no throw, under 1 s each, no expansion, no pollution', () => {
    const before = prototypeSnapshot()
    const seen = new Map<string, number>()
    fc.assert(fc.property(statusArb, hostileXmlArb(VALID, NAMES, NAMESPACES), (status, doc) => void expect(check(status, doc, before, seen)).toBeLessThan(1_000)), { numRuns: 1_500 })
    for (const kind of ['Right', 'DecodeError', 'ProtocolError', 'HttpError']) expect(seen.get(kind) ?? 0, kind).toBeGreaterThan(10)
  })

  it('deep nesting (to 100,000) and huge strings (to 4 MiB) (40 runs): no throw, under 3 s each', () => {
    const before = prototypeSnapshot()
    const seen = new Map<string, number>()
    fc.assert(fc.property(statusArb, bigXmlArb(NAMES), (status, doc) => void expect(check(status, doc, before, seen)).toBeLessThan(3_000)), { numRuns: 40 })
  })
})
