import { formPost, type HttpClient } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEVICE_CODE_GRANT } from './deviceCode.js'
import { startIdentityProvider, type IdentityProvider } from './server.js'

const PASSWORD = 'correct horse battery staple'
const START = Date.UTC(2030, 0, 1, 12, 0, 0)

let idp: IdentityProvider
let clock = START
let http: HttpClient

const post = async (url: string, fields: Readonly<Record<string, string | undefined>>) => {
  const r = await http(formPost(url, fields, {}))()
  if (r._tag === 'Left') throw new Error(`transport failed: ${r.left.message}`)
  return r.right
}
const json = async (url: string, fields: Readonly<Record<string, string | undefined>>) => {
  const r = await post(url, fields)
  return { status: r.status, body: JSON.parse(r.body) as Record<string, unknown> }
}
const start = async (clientId = 'public-app') => {
  const r = await json(`${idp.url}/${idp.tenantId}/oauth2/v2.0/devicecode`, { client_id: clientId, scope: 'User.Read openid profile offline_access' })
  return r.body as { user_code: string; device_code: string; verification_uri: string; expires_in: number; interval: number; message: string }
}
const poll = (deviceCode: string, clientId = 'public-app') =>
  json(idp.tokenEndpoint(), { client_id: clientId, grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, code: deviceCode, client_info: '1' })
const later = (seconds: number) => {
  clock += seconds * 1000
}

beforeAll(async () => {
  idp = await startIdentityProvider({ now: () => clock })
  http = nodeHttpClient({ ca: idp.ca, timeoutMs: 5_000 })
  idp.registerClient({ clientId: 'public-app' })
  idp.registerClient({ clientId: 'other-app' })
  idp.registerUser({ username: 'alice@authfold.test', password: PASSWORD, name: 'Alice Liddell' })
})
afterAll(async () => {
  await idp.stop()
})

describe('device code endpoint', () => {
  it('answers user_code, device_code, the device page, 900 s, 5 s and Entra\'s message', async () => {
    const flow = await start()
    expect(flow).toEqual({
      user_code: expect.stringMatching(/^[A-Z2-9]{9}$/),
      device_code: expect.any(String),
      verification_uri: `${idp.url}/common/oauth2/deviceauth`,
      expires_in: 900,
      interval: 5,
      message: `To sign in, use a web browser to open the page ${idp.url}/common/oauth2/deviceauth and enter the code ${flow.user_code} to authenticate.`,
    })
  })

  it('refuses an unknown client and a missing scope as Entra does', async () => {
    expect(await json(`${idp.url}/${idp.tenantId}/oauth2/v2.0/devicecode`, { client_id: 'nobody', scope: 'User.Read' })).toMatchObject({ status: 400, body: { error: 'unauthorized_client', error_codes: [700016] } })
    expect(await json(`${idp.url}/common/oauth2/v2.0/devicecode`, { client_id: 'public-app' })).toMatchObject({ status: 400, body: { error: 'invalid_request', error_codes: [900144] } })
  })
})

describe('device code grant', () => {
  it('authorization_pending until approved, slow_down when polled faster than the interval, then the tokens once', async () => {
    const flow = await start()
    expect(await poll(flow.device_code)).toMatchObject({ status: 400, body: { error: 'authorization_pending', error_codes: [70016] } })
    later(2)
    expect(await poll(flow.device_code)).toMatchObject({ status: 400, body: { error: 'slow_down' } })
    later(6) // the interval is now 10 s
    expect(await poll(flow.device_code)).toMatchObject({ body: { error: 'slow_down' } })
    later(15)
    expect(await poll(flow.device_code)).toMatchObject({ body: { error: 'authorization_pending' } })
    expect(idp.deviceCodes.approve(flow.user_code, 'ALICE@authfold.test')).toBe(true)
    later(15)
    const ok = await poll(flow.device_code)
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ token_type: 'Bearer', scope: 'User.Read openid profile', refresh_token: expect.any(String), client_info: expect.any(String) })
    expect(decodeJwt(String(ok.body['id_token']))).toMatchObject({ aud: 'public-app', preferred_username: 'alice@authfold.test', tid: idp.tenantId })
    later(15)
    expect(await poll(flow.device_code)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    expect(idp.deviceCodes.status(flow.user_code)).toBe('redeemed')
  })

  it('authorization_declined after a decline, expired_token after the code\'s life, bad_verification_code for a code it never issued or issued to another app', async () => {
    const declined = await start()
    expect(idp.deviceCodes.decline(declined.user_code)).toBe(true)
    expect(await poll(declined.device_code)).toMatchObject({ status: 400, body: { error: 'authorization_declined' } })
    const expiring = await start()
    later(901)
    expect(await poll(expiring.device_code)).toMatchObject({ status: 400, body: { error: 'expired_token', error_codes: [70020] } })
    expect(idp.deviceCodes.approve(expiring.user_code, 'alice@authfold.test')).toBe(false)
    expect(await poll('not-a-code')).toMatchObject({ status: 400, body: { error: 'bad_verification_code' } })
    const other = await start()
    expect(await poll(other.device_code, 'other-app')).toMatchObject({ status: 400, body: { error: 'bad_verification_code' } })
  })

  it('configure changes the lifetime and interval of new codes', async () => {
    idp.deviceCodes.configure({ lifetimeSeconds: 60, intervalSeconds: 1 })
    expect(await start()).toMatchObject({ expires_in: 60, interval: 1 })
    idp.deviceCodes.configure({ lifetimeSeconds: 900, intervalSeconds: 5 })
  })
})

describe('device page', () => {
  const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? ''

  it('takes the code, then the password, then the decision; a wrong code or password shows the form again', async () => {
    const flow = await start()
    const page = `${idp.url}/common/oauth2/deviceauth`
    const r = await http({ method: 'GET', url: page, headers: {} })()
    expect(r._tag === 'Right' && r.right.headers['content-type']).toMatch(/^text\/html/)
    expect(r._tag === 'Right' && r.right.body).toContain('<input id="otc" name="otc"')
    expect((await post(page, { otc: 'WRONGCODE' })).body).toContain('That code is not valid')
    const signIn = await post(page, { otc: flow.user_code.toLowerCase() })
    expect(signIn.body).toContain('id="password"')
    expect((await post(page, { otc: flow.user_code, step: 'signin', login: 'alice@authfold.test', passwd: 'nope' })).body).toContain('Your account or password is incorrect.')
    const consent = await post(page, { otc: flow.user_code, step: 'signin', login: 'alice@authfold.test', passwd: PASSWORD })
    expect(consent.body).toContain('id="approve"')
    expect(idp.deviceCodes.status(flow.user_code)).toBe('pending')
    const done = await post(page, { otc: flow.user_code, step: 'consent', ticket: hidden(consent.body, 'ticket'), decision: 'approve' })
    expect(done.body).toContain('You have signed in')
    expect(idp.deviceCodes.status(flow.user_code)).toBe('approved')
    later(10)
    expect((await poll(flow.device_code)).status).toBe(200)
  })

  it('a decline on the page is authorization_declined, and a ticket cannot be used twice', async () => {
    const flow = await start()
    const page = `${idp.url}/common/oauth2/deviceauth`
    const consent = await post(page, { otc: flow.user_code, step: 'signin', login: 'alice@authfold.test', passwd: PASSWORD })
    const ticket = hidden(consent.body, 'ticket')
    expect((await post(page, { otc: flow.user_code, step: 'consent', ticket, decision: 'decline' })).body).toContain('Sign-in declined')
    expect(await poll(flow.device_code)).toMatchObject({ body: { error: 'authorization_declined' } })
    expect((await post(page, { otc: flow.user_code, step: 'consent', ticket, decision: 'approve' })).body).toContain('not valid')
  })
})
