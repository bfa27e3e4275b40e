import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { encodeAssertion, readRstr } from './rstr.js'

const URL_ = 'https://sts.test/adfs/services/trust/13/usernamemixed'
const RSTR = readFileSync(new URL('./fixtures/rst_response.xml', import.meta.url), 'utf8')

describe('readRstr on the real RSTR (fixture from MSAL Python, MIT)', () => {
  it('token type SAML 1.0 -> saml1_1-bearer; the token is the RequestedSecurityToken content as written, byte for byte', () => {
    const open = '<trust:RequestedSecurityToken>'
    const start = RSTR.indexOf(open) + open.length
    const expected = RSTR.slice(start, RSTR.indexOf('</trust:RequestedSecurityToken>'))
    expect(expected).toContain('<saml:Assertion AssertionID="_9bd2b280-f153-471a-9b73-c1df0d555075"')
    expect(readRstr(URL_)(200, RSTR)).toEqual({
      _tag: 'Right',
      right: { tokenType: 'urn:oasis:names:tc:SAML:1.0:assertion', grantType: 'urn:ietf:params:oauth:grant-type:saml1_1-bearer', token: expected },
    })
  })

  it('the assertion field is what MSAL Python 1.21 sends for this RSTR (parse_response + encode_saml_assertion)', () => {
    const py = `import sys; from msal.wstrust_response import parse_response; from msal.oauth2cli.oauth2 import BaseClient
r = parse_response(open(sys.argv[1], encoding='utf-8').read()); print(r['type']); print(BaseClient.encode_saml_assertion(r['token']).decode())`
    const [type, assertion] = execFileSync('/usr/bin/python3', ['-c', py, new URL('./fixtures/rst_response.xml', import.meta.url).pathname], { encoding: 'utf8', timeout: 20_000 }).trim().split('\n')
    const r = readRstr(URL_)(200, RSTR)
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(r.right.tokenType).toBe(type)
    expect(encodeAssertion(r.right.token)).toBe(assertion)
  })
})

const envelope = (body: string) => `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header/><s:Body>${body}</s:Body></s:Envelope>`
const rstr13 = (type: string, token: string) =>
  envelope(`<trust:RequestSecurityTokenResponseCollection xmlns:trust="http://docs.oasis-open.org/ws-sx/ws-trust/200512"><trust:RequestSecurityTokenResponse><trust:TokenType>${type}</trust:TokenType><trust:RequestedSecurityToken>${token}</trust:RequestedSecurityToken></trust:RequestSecurityTokenResponse></trust:RequestSecurityTokenResponseCollection>`)
const FAULT = envelope(
  `<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value xmlns:a="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">a:FailedAuthentication</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">MSIS7068: Access denied.</s:Text></s:Reason></s:Fault>`,
)

describe('readRstr, both versions and bad answers', () => {
  it('WS-Trust 2005 (RSTR without a collection), SAML 2.0 -> saml2-bearer; whitespace around the type is read', () => {
    const saml2 = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_1"><saml:Issuer>x</saml:Issuer></saml:Assertion>`
    const doc = envelope(`<t:RequestSecurityTokenResponse xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust"><t:TokenType> urn:oasis:names:tc:SAML:2.0:assertion </t:TokenType><t:RequestedSecurityToken>${saml2}</t:RequestedSecurityToken></t:RequestSecurityTokenResponse>`)
    expect(readRstr(URL_)(200, doc)).toMatchObject({ right: { grantType: 'urn:ietf:params:oauth:grant-type:saml2-bearer', token: saml2 } })
  })
  it('the WSS SAML token profile names map too', () => {
    const a = '<A xmlns="urn:oasis:names:tc:SAML:1.0:assertion"/>'
    expect(readRstr(URL_)(200, rstr13('http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1', a))).toMatchObject({ right: { grantType: 'urn:ietf:params:oauth:grant-type:saml1_1-bearer' } })
    expect(readRstr(URL_)(200, rstr13('http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0', a))).toMatchObject({ right: { grantType: 'urn:ietf:params:oauth:grant-type:saml2-bearer' } })
  })
  it('a SOAP fault (with HTTP 500 as ADFS sends it, or with 200): a ProtocolError with the fault subcode and reason', () => {
    for (const status of [500, 200]) {
      expect(readRstr(URL_)(status, FAULT)).toMatchObject({
        _tag: 'Left',
        left: { _tag: 'ProtocolError', status, error: 'a:FailedAuthentication', errorDescription: 'MSIS7068: Access denied.', response: { code: 'a:FailedAuthentication', reason: 'MSIS7068: Access denied.' } },
      })
    }
  })
  it('an unknown token type: a DecodeError naming it', () => {
    for (const type of ['urn:unknown', '__proto__', 'constructor']) {
      const r = readRstr(URL_)(200, rstr13(type, '<A/>'))
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', path: 'RequestSecurityTokenResponse/TokenType' } })
    }
  })
  it('an RSTR without a token, HTML, malformed XML: DecodeErrors; an HTML error page with 5xx: an HttpError', () => {
    expect(readRstr(URL_)(200, rstr13('urn:oasis:names:tc:SAML:1.0:assertion', ''))).toMatchObject({ left: { _tag: 'DecodeError', expected: 'a token type and a security token' } })
    expect(readRstr(URL_)(200, '<!DOCTYPE html><html><body><p>Sign in<br></body></html>')).toMatchObject({ left: { _tag: 'DecodeError', subject: 'WS-Trust answer' } })
    expect(readRstr(URL_)(200, '<html><body><p>Sign in</p></body></html>')).toMatchObject({ left: { _tag: 'DecodeError', subject: 'WS-Trust answer' } })
    expect(readRstr(URL_)(200, '<s:Envelope')).toMatchObject({ left: { _tag: 'DecodeError' } })
    expect(readRstr(URL_)(503, '<html>Service Unavailable')).toMatchObject({ left: { _tag: 'HttpError', status: 503 } })
  })
})

describe('encodeAssertion', () => {
  it('base64url without padding of the UTF-8 bytes (RFC 7522)', () => {
    expect(encodeAssertion('<a>é?></a>')).toBe(Buffer.from('<a>é?></a>', 'utf8').toString('base64url'))
    const big = 'x€'.repeat(100_000)
    expect(encodeAssertion(big)).toBe(Buffer.from(big, 'utf8').toString('base64url'))
  })
})
