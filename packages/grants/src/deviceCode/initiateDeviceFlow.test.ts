/**
 * Starting a device flow: the form MSAL Python 1.21 posts (measured: `client_id`, and
 * `scope` decorated with `offline_access openid profile`, `client-request-id` kept in the flow
 * as `_correlation_id`), and the answer read as MSAL reads it (numeric strings, defaults
 * 5 s and 1800 s, `expires_at` = now + `expires_in`).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as TE from 'fp-ts/TaskEither'
import type { GrantEnv, HttpRequest, HttpResponse, ResolvedAuthority } from '@authfold/core'
import { deviceAuthorizationEndpoint, initiateDeviceFlow } from './initiateDeviceFlow.js'
import { DeviceCodeAnswer, toDeviceFlow } from './flow.js'
import { deviceCodeRequest } from './request.js'

const T0 = 1_700_000_000
const authority: ResolvedAuthority = {
  authority: { kind: 'entra', url: 'https://login.example/t1/', host: 'login.example', tenant: 't1', path: 't1' },
  metadata: { issuer: 'https://login.example/t1/v2.0', authorization_endpoint: 'https://login.example/t1/oauth2/v2.0/authorize', token_endpoint: 'https://login.example/t1/oauth2/v2.0/token' },
  environment: 'login.example',
  aliases: ['login.example'],
  realm: 't1',
}
const answering = (answer: HttpResponse) => {
  const sent: HttpRequest[] = []
  const env: GrantEnv = {
    http: (req) => {
      sent.push(req)
      return TE.right(answer)
    },
    now: () => T0 * 1000 + 400,
    random: (n) => new Uint8Array(n).fill(9),
    sleep: () => async () => undefined,
    log: () => undefined,
  }
  return { env, sent }
}
const json = (body: unknown, status = 200): HttpResponse => ({ status, headers: {}, body: JSON.stringify(body) })
const fields = (req: HttpRequest | undefined) => Object.fromEntries(new URLSearchParams(req?.body ?? ''))

describe('initiateDeviceFlow', () => {
  it('posts client_id and the decorated scopes to the devicecode endpoint beside the token endpoint, and makes the flow', async () => {
    const { env, sent } = answering(json({ user_code: 'ABCD-EFGH', device_code: 'dc-1', verification_uri: 'https://login.example/devicelogin', expires_in: 900, interval: 5, message: 'To sign in, ...' }))
    const r = await initiateDeviceFlow({ clientId: 'cid', authority, scopes: ['User.Read'], correlationId: 'corr-1' })(env)()
    expect(sent[0]?.url).toBe('https://login.example/t1/oauth2/v2.0/devicecode')
    expect(fields(sent[0])).toEqual({ client_id: 'cid', scope: 'User.Read openid profile offline_access' })
    expect(sent[0]?.headers['client-request-id']).toBe('corr-1')
    expect(r).toEqual({
      _tag: 'Right',
      right: { user_code: 'ABCD-EFGH', device_code: 'dc-1', verification_uri: 'https://login.example/devicelogin', expires_in: 900, interval: 5, message: 'To sign in, ...', expires_at: T0 + 900, _correlation_id: 'corr-1' },
    })
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  it('reads verification_url (older Entra, ADFS), numeric strings, and MSAL\'s defaults (interval 5, expires_in 1800)', async () => {
    const { env } = answering(json({ user_code: 'U', device_code: 'D', verification_url: 'https://adfs.example/adfs/oauth2/deviceauth', interval: '3' }))
    const r = await initiateDeviceFlow({ clientId: 'cid', authority, scopes: [] })(env)()
    expect(r).toMatchObject({ right: { verification_uri: 'https://adfs.example/adfs/oauth2/deviceauth', interval: 3, expires_in: 1800, expires_at: T0 + 1800 } })
    expect(r._tag === 'Right' && r.right._correlation_id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('uses the metadata\'s device_authorization_endpoint when it names one', () => {
    expect(deviceAuthorizationEndpoint({ ...authority, metadata: { ...authority.metadata, device_authorization_endpoint: 'https://login.example/t1/oauth2/v2.0/devicecode2' } })).toBe('https://login.example/t1/oauth2/v2.0/devicecode2')
  })

  it('an error answer is a ProtocolError, an answer without codes or URI a DecodeError, a reserved scope a ConfigError with nothing sent', async () => {
    expect(await initiateDeviceFlow({ clientId: 'cid', authority, scopes: ['x'] })(answering(json({ error: 'invalid_scope' }, 400)).env)()).toMatchObject({ left: { _tag: 'ProtocolError', error: 'invalid_scope' } })
    expect(await initiateDeviceFlow({ clientId: 'cid', authority, scopes: ['x'] })(answering(json({ device_code: 'D', verification_uri: 'https://v' })).env)()).toMatchObject({ left: { _tag: 'DecodeError', path: 'user_code' } })
    expect(await initiateDeviceFlow({ clientId: 'cid', authority, scopes: ['x'] })(answering(json({ user_code: 'U', device_code: 'D' })).env)()).toMatchObject({ left: { _tag: 'DecodeError', path: 'verification_uri' } })
    expect(await initiateDeviceFlow({ clientId: 'cid', authority, scopes: ['x'] })(answering({ status: 200, headers: {}, body: '<html>' }).env)()).toMatchObject({ left: { _tag: 'DecodeError', code: 'not_json' } })
    const { env, sent } = answering(json({}))
    expect(await initiateDeviceFlow({ clientId: 'cid', authority, scopes: ['openid'] })(env)()).toMatchObject({ left: { _tag: 'ConfigError', code: 'reserved_scope' } })
    expect(sent).toHaveLength(0)
  })

  it('deviceCodeRequest leaves claims out unless given', () => {
    expect(deviceCodeRequest({ clientId: 'c', scopes: ['a', 'b'], claims: '{}' })).toEqual({ client_id: 'c', scope: 'a b', claims: '{}' })
  })

  it('the flow is plain JSON that survives a round trip, expires_at = now + expires_in, interval at least 1', () => {
    fc.assert(
      fc.property(
        fc.record({ user_code: fc.stringMatching(/^\S+$/), device_code: fc.stringMatching(/^\S+$/), verification_uri: fc.stringMatching(/^https:\/\/[a-z]{1,10}\.example\/[a-z]{0,10}$/), expires_in: fc.integer({ min: 0, max: 86_400 }), interval: fc.integer({ min: 0, max: 60 }), message: fc.string() }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        (wire, now) => {
          const decoded = DeviceCodeAnswer.decode(JSON.parse(JSON.stringify(wire)))
          if (decoded._tag === 'Left') throw new Error('decode failed')
          const f = toDeviceFlow(decoded.right, now)
          if (f._tag === 'Left') throw new Error(f.left.message)
          expect(JSON.parse(JSON.stringify(f.right))).toEqual(f.right)
          expect(f.right.expires_at).toBe(now + wire.expires_in)
          expect(f.right.interval).toBe(Math.max(1, wire.interval))
        },
      ),
    )
  })
})
