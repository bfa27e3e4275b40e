import { describe, expect, it } from 'vitest'
import { formEncode } from '@authfold/core'
import { clientCredentialsRequest } from '../clientCredentials/request.js'
import { checkSshCertificate, sshCertificateFields } from './sshCert.js'

const jwk = '{"kty":"RSA","n":"wO7e8w","e":"AQAB","kid":"key1"}'

describe('checkSshCertificate (MSAL Python _validate_ssh_cert_input_data)', () => {
  it('asks for req_cnf first, then key_id, as MSAL Python raises them', () => {
    expect(checkSshCertificate({})).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', field: 'sshCertificate.reqCnf' } })
    expect(checkSshCertificate({ keyId: 'key1', reqCnf: '' })).toMatchObject({ left: { field: 'sshCertificate.reqCnf' } })
    expect(checkSshCertificate({ reqCnf: jwk })).toMatchObject({ left: { field: 'sshCertificate.keyId' } })
    expect(checkSshCertificate({ keyId: '', reqCnf: jwk })).toMatchObject({ left: { field: 'sshCertificate.keyId' } })
    expect(checkSshCertificate({ keyId: 'key1', reqCnf: jwk })).toEqual({ _tag: 'Right', right: { keyId: 'key1', reqCnf: jwk } })
  })
})

describe('sshCertificateFields', () => {
  it("adds MSAL Python's data fields to the client-credentials form, and nothing without a request", () => {
    expect(sshCertificateFields(undefined)).toEqual({})
    expect(formEncode(clientCredentialsRequest({ scopes: ['https://pas.windows.net/CheckMyAccess/Linux/.default'], sshCertificate: { keyId: 'key1', reqCnf: jwk } }))).toBe(
      'grant_type=client_credentials&scope=https%3A%2F%2Fpas.windows.net%2FCheckMyAccess%2FLinux%2F.default&token_type=ssh-cert&key_id=key1&req_cnf=%7B%22kty%22%3A%22RSA%22%2C%22n%22%3A%22wO7e8w%22%2C%22e%22%3A%22AQAB%22%2C%22kid%22%3A%22key1%22%7D',
    )
  })
})
