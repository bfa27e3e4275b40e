import * as https from 'node:https'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFaultQueue, faultEndpointOf } from './faults.js'
import { startIdentityProvider, type IdentityProvider } from './server.js'

const SECRET = 'faults-secret-value-1'
const SCOPE = 'api://faults/.default'

let idp: IdentityProvider

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'app', secret: SECRET })
})
afterAll(async () => idp.stop())

interface RawAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: Buffer
  /** The answer broke off before its end (reset, truncated). */
  readonly broken: boolean
  /** Milliseconds from the request to the end of the body. */
  readonly ms: number
}

/** A bare HTTPS exchange with no cap and no timeout but `stopAfter` bytes, to see exactly what the IdP sends. */
const raw = (options: { readonly path: string; readonly form?: Readonly<Record<string, string>>; readonly stopAfter?: number }): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const started = Date.now()
    const body = options.form === undefined ? undefined : new URLSearchParams(options.form).toString()
    const req = https.request(
      `${idp.url}${options.path}`,
      {
        method: body === undefined ? 'GET' : 'POST',
        ca: idp.ca,
        headers: body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Array<Buffer> = []
        let size = 0
        let settled = false
        const done = (broken: boolean): void => {
          if (settled) return
          settled = true
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), broken, ms: Date.now() - started })
        }
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk)
          size += chunk.length
          if (options.stopAfter !== undefined && size >= options.stopAfter) {
            req.destroy()
            done(false)
          }
        })
        res.on('end', () => done(false))
        res.on('aborted', () => done(true))
        res.on('error', () => done(true))
        res.on('close', () => done(!res.complete))
      },
    )
    req.on('error', reject)
    req.end(body)
  })

const tokenPath = (): string => `/${idp.tenantId}/oauth2/v2.0/token`
const configPath = (): string => `/${idp.tenantId}/v2.0/.well-known/openid-configuration`
const tokenForm = { grant_type: 'client_credentials', client_id: 'app', client_secret: SECRET, scope: SCOPE }
const postToken = (stopAfter?: number): Promise<RawAnswer> =>
  raw({ path: tokenPath(), form: tokenForm, ...(stopAfter === undefined ? {} : { stopAfter }) })
const json = (a: RawAnswer): Record<string, unknown> => JSON.parse(a.body.toString('utf8')) as Record<string, unknown>

describe('the fault queue', () => {
  it('sorts paths into token, discovery, device code, user realm and other endpoints', () => {
    expect(faultEndpointOf('/tenant/oauth2/v2.0/token')).toBe('token')
    expect(faultEndpointOf('/common/discovery/instance')).toBe('discovery')
    expect(faultEndpointOf('/tenant/v2.0/.well-known/openid-configuration')).toBe('discovery')
    expect(faultEndpointOf('/adfs/.well-known/openid-configuration')).toBe('discovery')
    expect(faultEndpointOf('/tenant/discovery/v2.0/keys')).toBe('discovery')
    expect(faultEndpointOf('/tenant/discovery/keys')).toBe('discovery')
    expect(faultEndpointOf('/common/userrealm/a@b.c')).toBe('userrealm')
    expect(faultEndpointOf('/tenant/oauth2/v2.0/devicecode')).toBe('devicecode')
    expect(faultEndpointOf('/tenant/userrealm/a@b.c')).toBe('other')
    expect(faultEndpointOf('/managedidentity/imds/metadata/identity/oauth2/token')).toBe('managedidentity')
    expect(faultEndpointOf('/managedidentity/appservice/msi/token')).toBe('managedidentity')
    expect(faultEndpointOf('/common/oauth2/deviceauth')).toBe('other')
    expect(faultEndpointOf('/tenant/oauth2/v2.0/authorize')).toBe('other')
  })

  it('gives each request the first queued fault whose target serves it, and counts uses', () => {
    const q = createFaultQueue()
    q.push('html', 1)
    q.push('reset', 2, 'discovery')
    q.push('endless', 1, 'any')
    expect(q.pending()).toBe(4)
    expect(q.take('/t/v2.0/.well-known/openid-configuration')).toBe('reset')
    expect(q.take('/t/oauth2/v2.0/token')).toBe('html')
    expect(q.take('/t/oauth2/v2.0/token')).toBe('endless')
    expect(q.take('/t/oauth2/v2.0/token')).toBeUndefined()
    expect(q.take('/common/discovery/instance')).toBe('reset')
    expect(q.take('/common/discovery/instance')).toBeUndefined()
    expect(() => q.push('html', 0)).toThrow(RangeError)
  })

  it('plays a fault scoped by a header only on requests that carry that value', () => {
    const q = createFaultQueue()
    q.push('reset', 1, { endpoint: 'any', header: ['x-app-name', 'case-2'] })
    q.push('html', 1, { header: ['x-app-name', 'case-1'] })
    expect(q.take('/t/oauth2/v2.0/token', { 'x-app-name': 'case-3' })).toBeUndefined()
    expect(q.take('/t/oauth2/v2.0/token')).toBeUndefined()
    expect(q.take('/t/oauth2/v2.0/token', { 'x-app-name': 'case-1' })).toBe('html')
    expect(q.take('/t/v2.0/.well-known/openid-configuration', { 'x-app-name': 'case-1' })).toBeUndefined()
    expect(q.take('/t/v2.0/.well-known/openid-configuration', { 'x-app-name': 'case-2' })).toBe('reset')
    expect(q.pending()).toBe(0)
  })

  it("plays a fault scoped by a header's presence or absence only on those requests (Azure Arc's two rounds)", () => {
    const q = createFaultQueue()
    q.push('html', 1, { endpoint: 'managedidentity', carrying: 'authorization' })
    q.push('reset', 1, { endpoint: 'managedidentity', lacking: 'authorization' })
    const path = '/managedidentity/arc/metadata/identity/oauth2/token'
    expect(q.take(path, { authorization: 'Basic k' })).toBe('html')
    expect(q.take(path, { authorization: 'Basic k' })).toBeUndefined()
    expect(q.take(path, { metadata: 'true' })).toBe('reset')
    expect(q.pending()).toBe(0)
  })
})

describe('faults on the wire', () => {
  it('a discovery fault leaves the token endpoint alone, and a token fault leaves discovery alone', async () => {
    idp.inject('html', 1, 'discovery')
    expect((await postToken()).status).toBe(200)
    const page = await raw({ path: configPath() })
    expect(page.headers['content-type']).toContain('text/html')
    idp.inject('html')
    expect(json(await raw({ path: configPath() }))['token_endpoint']).toBe(idp.tokenEndpoint())
    expect((await postToken()).headers['content-type']).toContain('text/html')
  })

  it('slow drip: the normal headers at once, then the real body a few bytes per tick', async () => {
    const normal = await raw({ path: configPath() })
    idp.inject({ dripMs: 10, bytes: Math.ceil(normal.body.length / 20) }, 1, 'discovery')
    const dripped = await raw({ path: configPath() })
    expect(dripped.status).toBe(200)
    expect(dripped.body.toString('utf8')).toBe(normal.body.toString('utf8'))
    expect(dripped.ms).toBeGreaterThanOrEqual(19 * 10)
  })

  it('truncated_json: half the real answer as a complete answer; truncated_body: the full length announced, half sent, then a reset', async () => {
    idp.inject('truncated_json')
    const half = await postToken()
    expect(half.status).toBe(200)
    expect(Number(half.headers['content-length'])).toBe(half.body.length)
    expect(half.body.toString('utf8')).toMatch(/^\{"token_type":"Bearer"/)
    expect(() => JSON.parse(half.body.toString('utf8'))).toThrow()
    idp.inject('truncated_body')
    const cut = await postToken()
    expect(cut.broken).toBe(true)
    expect(cut.body.length).toBeLessThan(Number(cut.headers['content-length']))
    expect(cut.body.length).toBeGreaterThan(0)
  })

  it('malformed_json: the real answer with its first ":" turned into "="', async () => {
    idp.inject('malformed_json')
    const text = (await postToken()).body.toString('utf8')
    expect(text).toMatch(/^\{"token_type"="Bearer"/)
    expect(() => JSON.parse(text)).toThrow()
  })

  it('jwt faults: opaque and malformed access tokens; a wrongly signed one keeps header and claims and fails verification', async () => {
    const jwks = createLocalJWKSet(idp.signingKeys)
    const normal = json(await postToken())['access_token'] as string
    await expect(jwtVerify(normal, jwks)).resolves.toBeDefined()
    idp.inject({ jwt: 'opaque' })
    expect(json(await postToken())['access_token']).toMatch(/^opaque-[0-9a-f]{32}$/)
    idp.inject({ jwt: 'malformed' })
    const malformed = json(await postToken())['access_token'] as string
    expect(malformed.split('.')).toHaveLength(3)
    expect(() => JSON.parse(Buffer.from(malformed.split('.')[0] ?? '', 'base64url').toString('utf8'))).toThrow()
    idp.inject({ jwt: 'bad_signature' })
    const forged = json(await postToken())['access_token'] as string
    const [h, p, s] = forged.split('.')
    expect(h).toBe(normal.split('.')[0])
    expect(s).not.toBe(normal.split('.')[2])
    expect(p?.length).toBeGreaterThan(0)
    await expect(jwtVerify(forged, jwks)).rejects.toThrow()
  })

  it('oversized declared: a 10 GiB Content-Length and a few bytes', async () => {
    idp.inject({ oversized: 'declared' })
    const a = await postToken(10)
    expect(a.headers['content-length']).toBe(String(10 * 1024 ** 3))
  })

  it('oversized chunked: a whole, valid JSON token answer of exactly the bytes asked, with no Content-Length', async () => {
    idp.inject({ oversized: 'chunked', bytes: 300_000 })
    const a = await postToken()
    expect(a.headers['content-length']).toBeUndefined()
    expect(a.headers['transfer-encoding']).toBe('chunked')
    expect(a.body.length).toBe(300_000)
    expect(json(a)).toMatchObject({ token_type: 'Bearer', expires_in: 3599 })
  })

  it('endless: keeps sending past 8 MiB, and stops when the client goes away (the server still answers at once)', async () => {
    idp.inject('endless')
    const a = await postToken(8 * 1024 * 1024)
    expect(a.body.length).toBeGreaterThanOrEqual(8 * 1024 * 1024)
    expect(a.headers['transfer-encoding']).toBe('chunked')
    const next = await postToken()
    expect(next.status).toBe(200)
    expect(next.ms).toBeLessThan(2_000)
  })

  it('logs the status of streamed answers, and no status for a reset', async () => {
    idp.clearRequests()
    idp.inject({ dripMs: 1, bytes: 4096 })
    await postToken()
    idp.inject('reset')
    await postToken().catch(() => undefined)
    expect(idp.requests.map((r) => r.status)).toEqual([200, undefined])
  })
})
