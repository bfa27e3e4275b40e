import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { ACTION_13, ACTION_2005 } from './namespaces.js'
import { readMex, usernamePasswordEndpoints } from './mex.js'
import { parseXml } from './xml.js'

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

// The endpoints MSAL Python's tests/test_mex.py asserts for these real ADFS documents.
describe('readMex on real ADFS MEX documents (fixtures from MSAL Python, MIT)', () => {
  it.each([
    ['microsoft.mex.xml', 'https://corp.sts.microsoft.com/adfs/services/trust/13/usernamemixed'],
    ['arupela.mex.xml', 'https://fs.arupela.com/adfs/services/trust/13/usernamemixed'],
    ['archan.us.mex.xml', 'https://arvmserver2012.archan.us/adfs/services/trust/13/usernamemixed'],
  ])('%s: %s, WS-Trust 1.3', (file, address) => {
    expect(readMex(fixture(file))).toEqual({ _tag: 'Right', right: { address, action: ACTION_13 } })
  })

  it('lists the 2005 usernamemixed endpoint too, and never a windowstransport (Windows-integrated) one', () => {
    const root = parseXml(fixture('microsoft.mex.xml'))
    if (root._tag === 'Left') throw new Error(root.left.reason)
    const endpoints = usernamePasswordEndpoints(root.right)
    expect(endpoints).toContainEqual({ address: 'https://corp.sts.microsoft.com/adfs/services/trust/2005/usernamemixed', action: ACTION_2005 })
    expect(endpoints.every((e) => /usernamemixed$/.test(e.address))).toBe(true)
  })
})

const mex = (opts: { policy13?: boolean; policy2005?: boolean; iwa?: boolean; address13?: string; refs13?: string }) => `<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"
  xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
  xmlns:sp="http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702" xmlns:sp2005="http://schemas.xmlsoap.org/ws/2005/07/securitypolicy"
  xmlns:http="http://schemas.microsoft.com/ws/06/2004/policy/http" xmlns:wsa10="http://www.w3.org/2005/08/addressing" xmlns:tns="http://tempuri.org/">
  ${opts.iwa === true ? `<wsp:Policy wsu:Id="IWA"><wsp:ExactlyOne><wsp:All><http:NegotiateAuthentication/><sp2005:TransportBinding/></wsp:All></wsp:ExactlyOne></wsp:Policy>` : ''}
  ${opts.policy13 === false ? '' : `<wsp:Policy wsu:Id="UP13"><wsp:ExactlyOne><wsp:All><sp:TransportBinding/><sp:SignedEncryptedSupportingTokens><wsp:Policy><sp:UsernameToken><wsp:Policy><sp:WssUsernameToken10/></wsp:Policy></sp:UsernameToken></wsp:Policy></sp:SignedEncryptedSupportingTokens></wsp:All></wsp:ExactlyOne></wsp:Policy>`}
  ${opts.policy2005 === true ? `<wsp:Policy wsu:Id="UP2005"><wsp:ExactlyOne><wsp:All><sp2005:TransportBinding/><sp2005:SignedSupportingTokens><wsp:Policy><sp2005:UsernameToken><wsp:Policy><sp2005:WssUsernameToken10/></wsp:Policy></sp2005:UsernameToken></wsp:Policy></sp2005:SignedSupportingTokens></wsp:All></wsp:ExactlyOne></wsp:Policy>` : ''}
  <wsdl:binding name="B13" type="tns:IWSTrust13"><wsp:PolicyReference URI="#Missing"/><wsp:PolicyReference URI="${opts.refs13 ?? '#UP13'}"/><soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Trust13Issue"><soap12:operation soapAction="${ACTION_13}"/></wsdl:operation></wsdl:binding>
  <wsdl:binding name="B2005" type="tns:IWSTrustFeb2005"><wsp:PolicyReference URI="#UP2005"/><soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Issue"><soap12:operation soapAction="${ACTION_2005}"/></wsdl:operation></wsdl:binding>
  <wsdl:binding name="BIWA" type="tns:IWSTrustFeb2005"><wsp:PolicyReference URI="#IWA"/><soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Issue"><soap12:operation soapAction="${ACTION_2005}"/></wsdl:operation></wsdl:binding>
  <wsdl:service name="S">
    <wsdl:port name="PIWA" binding="tns:BIWA"><wsa10:EndpointReference><wsa10:Address>https://sts.test/adfs/services/trust/2005/windowstransport</wsa10:Address></wsa10:EndpointReference></wsdl:port>
    <wsdl:port name="P2005" binding="tns:B2005"><wsa10:EndpointReference><wsa10:Address>https://sts.test/adfs/services/trust/2005/usernamemixed</wsa10:Address></wsa10:EndpointReference></wsdl:port>
    <wsdl:port name="P13" binding="tns:B13"><wsa10:EndpointReference><wsa10:Address>${opts.address13 ?? 'https://sts.test/adfs/services/trust/13/usernamemixed'}</wsa10:Address></wsa10:EndpointReference></wsdl:port>
  </wsdl:service>
</wsdl:definitions>`

describe('readMex, liberal in what it reads', () => {
  it('prefers WS-Trust 1.3 even when 2005 comes first; skips a missing policy among several references', () => {
    expect(readMex(mex({ policy2005: true }))).toEqual({ _tag: 'Right', right: { address: 'https://sts.test/adfs/services/trust/13/usernamemixed', action: ACTION_13 } })
  })
  it('takes 2005 when 1.3 has no usable policy; never the Windows-integrated port', () => {
    expect(readMex(mex({ policy13: false, policy2005: true, iwa: true }))).toEqual({ _tag: 'Right', right: { address: 'https://sts.test/adfs/services/trust/2005/usernamemixed', action: ACTION_2005 } })
  })
  it('trims whitespace and newlines around an address', () => {
    expect(readMex(mex({ address13: '\n   https://sts.test/adfs/services/trust/13/usernamemixed \n ' }))).toMatchObject({ right: { address: 'https://sts.test/adfs/services/trust/13/usernamemixed' } })
  })
  it('an http (not https) address is not used', () => {
    const r = readMex(mex({ address13: 'http://sts.test/adfs/services/trust/13/usernamemixed' }))
    expect(r._tag).toBe('Left')
  })
  it('no usable policy (only Windows-integrated): a DecodeError saying there is no username/password endpoint', () => {
    const r = readMex(mex({ policy13: false, iwa: true }))
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', code: 'invalid_shape', subject: 'MEX document' } })
    if (r._tag === 'Left') expect(r.left.message).toMatch(/no username\/password \(usernamemixed\) endpoint/)
  })
  it('malformed XML and HTML: a DecodeError naming where', () => {
    for (const bad of ['<wsdl:definitions><oops></wsdl:definitions>', '<html><body>Sign in<br></body></html>', '', 'not xml']) {
      const r = readMex(bad)
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'DecodeError', subject: 'MEX document' } })
    }
  })
})
