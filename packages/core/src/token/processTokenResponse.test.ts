import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { processTokenResponse } from './processTokenResponse.js'

const url = 'https://login.example/t/oauth2/v2.0/token'
const res = (status: number, body: string, headers: Record<string, string> = {}) => processTokenResponse(url)({ status, headers, body })

describe('processTokenResponse', () => {
  it('accepts a token answer and reads string numbers', () => {
    expect(res(200, JSON.stringify({ access_token: 'at', token_type: 'Bearer', expires_in: '3599', refresh_in: 1800 }))).toEqual({
      _tag: 'Right',
      right: { access_token: 'at', token_type: 'Bearer', expires_in: 3599, refresh_in: 1800 },
    })
  })

  it('turns an OAuth error into a ProtocolError with the IdP fields as data', () => {
    const r = res(400, JSON.stringify({ error: 'invalid_grant', error_description: 'AADSTS50126: bad\r\nTrace ID: x', error_codes: [50126], suberror: 'bad_token', correlation_id: 'c-1', claims: '{"x":1}' }))
    expect(r).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'ProtocolError', error: 'invalid_grant', errorCodes: [50126], suberror: 'bad_token', classification: '', correlationId: 'c-1', claims: '{"x":1}', status: 400 },
    })
    expect(r._tag === 'Left' && r.left.message).toMatch(/invalid_grant \(AADSTS50126: bad\)/)
  })

  it('keeps every field of the error answer: error_uri and fields it does not know (the dict MSAL returns)', () => {
    const answer = { error: 'invalid_client', error_description: 'AADSTS7000215', error_uri: 'https://login.example/error?code=7000215', error_codes: [7000215], xms_extra: { retry: false }, new_field: 'kept' }
    const r = res(401, JSON.stringify(answer))
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ProtocolError', errorUri: 'https://login.example/error?code=7000215' } })
    expect(r._tag === 'Left' && r.left._tag === 'ProtocolError' && r.left.response).toEqual(answer)
  })

  it('refuses a blank access_token and an expires_in of zero or less; keeps lifetimes whole and bounded', () => {
    for (const blank of ['', '   ', '\n'])
      expect(res(200, JSON.stringify({ access_token: blank, expires_in: 3600 }))).toMatchObject({ left: { _tag: 'DecodeError', path: 'access_token', expected: 'a non-empty string' } })
    for (const bad of [0, -5, '0', '-1', 0.5])
      expect(res(200, JSON.stringify({ access_token: 'at', expires_in: bad }))).toMatchObject({ left: { _tag: 'DecodeError', path: 'expires_in', expected: 'a positive number of seconds' } })
    expect(res(200, JSON.stringify({ access_token: 'at', expires_in: 3599.7, refresh_in: '1800' }))).toMatchObject({ right: { expires_in: 3599, refresh_in: 1800 } })
    for (const huge of [1e21, 1e308, '99999999999'])
      expect(res(200, JSON.stringify({ access_token: 'at', expires_in: huge, ext_expires_in: huge }))).toMatchObject({ right: { expires_in: 31_536_000, ext_expires_in: 31_536_000 } })
  })

  it('strips ANSI escapes and control characters from server text in the message (the data keeps it as sent)', () => {
    const description = 'AADSTS700016: app not found\u001b[2J\u001b[31m FAKE PROMPT\u0007\u202e'
    const r = res(400, JSON.stringify({ error: 'unauthorized_client\u001b[0m', error_description: description }))
    expect(r._tag === 'Left' && r.left.message).toBe('The identity provider refused the request: unauthorized_client (AADSTS700016: app not found FAKE PROMPT). See errorDescription.')
    expect(r._tag === 'Left' && r.left._tag === 'ProtocolError' && r.left.errorDescription).toBe(description)
  })

  it('names HTML, invalid JSON and a missing access_token', () => {
    expect(res(200, '<html>proxy</html>')).toMatchObject({ left: { _tag: 'DecodeError', code: 'not_json' } })
    expect(res(200, '{"access_token": ')).toMatchObject({ left: { _tag: 'DecodeError', code: 'invalid_json' } })
    expect(res(200, '{"token_type":"Bearer"}')).toMatchObject({ left: { _tag: 'DecodeError', path: 'access_token', actual: 'nothing (missing)' } })
  })

  it('keeps unknown fields and names the field, expected type and kind of a wrong value', () => {
    expect(res(200, JSON.stringify({ access_token: 'at', expires_in: '60', xms_extra: { a: 1 } }))).toEqual({
      _tag: 'Right',
      right: { access_token: 'at', expires_in: 60, xms_extra: { a: 1 } },
    })
    expect(res(200, JSON.stringify({ access_token: 'at', expires_in: 'soon' }))).toMatchObject({
      left: { _tag: 'DecodeError', path: 'expires_in', expected: 'NumberLike', actual: 'a string' },
    })
    expect(res(400, JSON.stringify({ error: 'x', error_codes: [1, 'two'] }))).toMatchObject({
      left: { _tag: 'DecodeError', path: 'error_codes', expected: 'number', actual: 'a string' },
    })
  })

  it('makes a 5xx without an OAuth body an HttpError with Retry-After', () => {
    expect(res(503, 'down', { 'retry-after': '7' })).toMatchObject({ left: { _tag: 'HttpError', code: 'status', status: 503, retryAfter: 7 } })
  })

  it('never echoes a token or secret from the body in a DecodeError', () => {
    const r = res(200, JSON.stringify({ access_token: 12345, refresh_token: 'rt-secret-value' }))
    expect(r._tag).toBe('Left')
    expect(JSON.stringify(r)).not.toContain('rt-secret-value')
    expect(JSON.stringify(r)).not.toContain('12345')
  })

  it('never throws, whatever the status and body', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.oneof(fc.string(), fc.json()), (status, body) => {
        const r = res(status, body)
        expect(['Left', 'Right']).toContain(r._tag)
      }),
      { numRuns: 300 },
    )
  })
})
