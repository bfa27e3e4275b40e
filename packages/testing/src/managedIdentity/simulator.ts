/**
 * Simulators of the managed identity sources (IMDS, App Service, Service Fabric, Azure Arc,
 * Cloud Shell, Azure Machine Learning) on one plain-HTTP server on 127.0.0.1, each on its own
 * path, each checking the headers and parameters the real service checks and answering in
 * its own format.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

/**
 * The simulated sources.
 *
 * @category managed identity
 * @since 0.1.0
 */
export type SimulatedSource = 'imds' | 'appService' | 'serviceFabric' | 'arc' | 'cloudShell' | 'machineLearning'

/**
 * A request a simulator received.
 *
 * @category managed identity
 * @since 0.1.0
 */
export interface SimulatedRequest {
  readonly source: SimulatedSource
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * A scripted answer, played instead of the simulator's own.
 *
 * @category managed identity
 * @since 0.1.0
 */
export interface ScriptedAnswer {
  readonly status: number
  readonly body: string
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * Options of {@link startManagedIdentitySimulator}.
 *
 * @category managed identity
 * @since 0.1.0
 */
export interface SimulatorOptions {
  /** `X-IDENTITY-HEADER` (App Service) and `Secret` (Service Fabric) expected. */
  readonly identityHeader?: string
  /** `secret` expected by Azure ML. */
  readonly msiSecret?: string
  /** The folder Azure Arc writes its key files to (required to serve Arc). */
  readonly arcKeyFolder?: string
  /** Token lifetime in seconds (default 3600). */
  readonly lifetimeSeconds?: number
  /** The clock, epoch ms (default `Date.now`). */
  readonly now?: () => number
}

/**
 * A running simulator.
 *
 * @category managed identity
 * @since 0.1.0
 */
export interface ManagedIdentitySimulator {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string
  /** Each source's endpoint URL on this server. */
  readonly endpoints: Readonly<Record<SimulatedSource, string>>
  readonly identityHeader: string
  readonly msiSecret: string
  /** Every request received, oldest first. */
  readonly requests: ReadonlyArray<SimulatedRequest>
  /** Answers to play for the next requests of `source`, in order. */
  readonly script: (source: SimulatedSource, ...answers: ReadonlyArray<ScriptedAnswer>) => void
  /** Sets the token lifetime of later answers. */
  readonly setLifetime: (seconds: number) => void
  /** Tokens issued, newest last. */
  readonly issued: ReadonlyArray<{ readonly source: SimulatedSource; readonly token: string; readonly query: Readonly<Record<string, string>> }>
  readonly close: () => Promise<void>
}

const PATHS: Readonly<Record<SimulatedSource, string>> = {
  imds: '/imds/metadata/identity/oauth2/token',
  appService: '/appservice/msi/token',
  serviceFabric: '/servicefabric/metadata/identity/oauth2/token',
  arc: '/arc/metadata/identity/oauth2/token',
  cloudShell: '/cloudshell/oauth2/token',
  machineLearning: '/azureml/msi/token',
}

const json = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): ScriptedAnswer => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
})

const pad = (n: number): string => String(n).padStart(2, '0')

/** App Service 2017 / Azure ML date format: "MM/DD/YYYY hh:mm:ss AM|PM +00:00". */
const asDate = (epochSeconds: number): string => {
  const d = new Date(epochSeconds * 1000)
  const h = d.getUTCHours()
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(h % 12 === 0 ? 12 : h % 12)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'} +00:00`
}

const lower = (h: http.IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h)) if (typeof v === 'string') out[k.toLowerCase()] = v
  return out
}

/**
 * Starts the simulators on 127.0.0.1 (random port).
 *
 * @category managed identity
 * @since 0.1.0
 */
export const startManagedIdentitySimulator = async (options: SimulatorOptions = {}): Promise<ManagedIdentitySimulator> => {
  const identityHeader = options.identityHeader ?? randomBytes(12).toString('hex')
  const msiSecret = options.msiSecret ?? randomBytes(12).toString('hex')
  const now = options.now ?? Date.now
  let lifetime = options.lifetimeSeconds ?? 3600
  const requests: SimulatedRequest[] = []
  const issued: { source: SimulatedSource; token: string; query: Readonly<Record<string, string>> }[] = []
  const scripts = new Map<SimulatedSource, ScriptedAnswer[]>()
  const arcKeys = new Set<string>()

  const issue = (source: SimulatedSource, query: Readonly<Record<string, string>>): { token: string; expiresOn: number } => {
    const token = `mi-${source}-${issued.length + 1}-${randomBytes(9).toString('hex')}`
    issued.push({ source, token, query })
    return { token, expiresOn: Math.floor(now() / 1000) + lifetime }
  }

  const answer = (r: SimulatedRequest): ScriptedAnswer => {
    const q = r.query
    const h = r.headers
    switch (r.source) {
      case 'imds': {
        if (r.method !== 'GET') return json(405, { error: 'invalid_request', error_description: 'GET only' })
        if (h['metadata'] !== 'true') return json(400, { error: 'invalid_request', error_description: 'Required metadata header not specified' })
        if (q['api-version'] !== '2018-02-01') return json(400, { error: 'invalid_request', error_description: 'Invalid api-version' })
        if (q['resource'] === undefined || q['resource'] === '') return json(400, { error: 'invalid_request', error_description: 'Required audience parameter not specified' })
        const named = ['client_id', 'msi_res_id', 'object_id'].filter((k) => q[k] !== undefined)
        if (named.length > 1) return json(400, { error: 'invalid_request', error_description: 'Only one identity parameter may be given' })
        const { token, expiresOn } = issue('imds', q)
        return json(200, { access_token: token, client_id: q['client_id'] ?? 'system', expires_in: String(lifetime), expires_on: String(expiresOn), ext_expires_in: String(lifetime), not_before: String(expiresOn - lifetime), resource: q['resource'], token_type: 'Bearer' })
      }
      case 'appService': {
        if (h['x-identity-header'] !== identityHeader) return json(401, { statusCode: 401, message: 'Unauthorized request, missing or invalid X-IDENTITY-HEADER' })
        if (q['api-version'] !== '2019-08-01') return json(400, { statusCode: 400, message: 'Invalid api-version' })
        if (q['resource'] === undefined || q['resource'] === '') return json(400, { statusCode: 400, message: 'resource is required' })
        if (q['msi_res_id'] !== undefined) return json(400, { statusCode: 400, message: 'Unrecognized parameter msi_res_id; App Service takes mi_res_id' })
        const { token, expiresOn } = issue('appService', q)
        return json(200, { access_token: token, expires_on: String(expiresOn), resource: q['resource'], token_type: 'Bearer', client_id: q['client_id'] ?? 'system' })
      }
      case 'serviceFabric': {
        if (h['secret'] !== identityHeader) return json(401, { error: { code: 'SecretHeaderNotFound', message: 'Secret is not found in the request headers.' } })
        if (q['api-version'] !== '2019-07-01-preview') return json(400, { error: { code: 'InvalidApiVersion', message: 'api-version is not supported' } })
        if (q['resource'] === undefined || q['resource'] === '') return json(400, { error: { code: 'ArgumentNullOrEmpty', message: 'resource is null or empty' } })
        const { token, expiresOn } = issue('serviceFabric', q)
        return json(200, { token_type: 'Bearer', access_token: token, expires_on: expiresOn, resource: q['resource'] })
      }
      case 'arc': {
        if (h['metadata'] !== 'true') return json(400, { error: 'invalid_request', error_description: 'Metadata header required' })
        if (q['api-version'] !== '2020-06-01') return json(400, { error: 'invalid_request', error_description: 'Invalid api-version' })
        const auth = h['authorization']
        if (auth === undefined) {
          if (options.arcKeyFolder === undefined) return json(500, { error: 'server_error', error_description: 'no key folder' })
          const name = `${randomBytes(8).toString('hex')}.key`
          const key = randomBytes(24).toString('hex')
          writeFileSync(join(options.arcKeyFolder, name), key)
          arcKeys.add(key)
          return { status: 401, body: '', headers: { 'www-authenticate': `Basic realm=${join(options.arcKeyFolder, name)}` } }
        }
        const key = /^Basic (.+)$/.exec(auth)?.[1]
        if (key === undefined || !arcKeys.has(key)) return json(401, { error: 'invalid_request', error_description: 'The key is not valid' })
        arcKeys.delete(key)
        const { token, expiresOn } = issue('arc', q)
        return json(200, { access_token: token, expires_in: String(lifetime), expires_on: String(expiresOn), not_before: String(expiresOn - lifetime), resource: q['resource'], token_type: 'Bearer' })
      }
      case 'cloudShell': {
        if (r.method !== 'POST') return json(405, { error: 'invalid_request', error_description: 'POST only' })
        if (h['metadata'] !== 'true') return json(400, { error: 'invalid_request', error_description: 'Metadata header required' })
        const resource = new URLSearchParams(r.body).get('resource')
        if (resource === null || resource === '') return json(400, { error: 'invalid_request', error_description: 'resource is required' })
        const { token, expiresOn } = issue('cloudShell', { resource })
        return json(200, { access_token: token, refresh_token: '', expires_in: String(lifetime), expires_on: String(expiresOn), not_before: String(expiresOn - lifetime), resource, token_type: 'Bearer' })
      }
      case 'machineLearning': {
        if (h['secret'] !== msiSecret) return json(401, { message: 'Missing or invalid secret' })
        if (q['api-version'] !== '2017-09-01') return json(400, { message: 'Invalid api-version' })
        if (q['client_id'] !== undefined) return json(400, { message: 'Unrecognized parameter client_id; the 2017 API takes clientid' })
        if (q['resource'] === undefined || q['resource'] === '') return json(400, { message: 'resource is required' })
        const { token, expiresOn } = issue('machineLearning', q)
        return json(200, { access_token: token, expires_on: asDate(expiresOn), resource: q['resource'], token_type: 'Bearer' })
      }
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const source = (Object.keys(PATHS) as SimulatedSource[]).find((s) => PATHS[s] === url.pathname)
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      if (source === undefined) {
        res.writeHead(404, { 'content-type': 'text/html' })
        res.end('<html><body>Not found</body></html>')
        return
      }
      const r: SimulatedRequest = { source, method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: lower(req.headers), body }
      requests.push(r)
      const scripted = scripts.get(source)?.shift()
      const a = scripted ?? answer(r)
      res.writeHead(a.status, { ...a.headers })
      res.end(a.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const endpoints = Object.fromEntries((Object.keys(PATHS) as SimulatedSource[]).map((s) => [s, `${base}${PATHS[s]}`])) as Record<SimulatedSource, string>
  return {
    url: base,
    endpoints,
    identityHeader,
    msiSecret,
    requests,
    issued,
    script: (source, ...answers) => scripts.set(source, [...(scripts.get(source) ?? []), ...answers]),
    setLifetime: (seconds) => {
      lifetime = seconds
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/**
 * The fixed addresses of IMDS (`http://169.254.169.254`) and the Azure Arc agent
 * (`http://localhost:40342`), to route to a simulator.
 *
 * @category managed identity
 * @since 0.1.0
 */
export const FIXED_MANAGED_IDENTITY_HOSTS = { imds: 'http://169.254.169.254', arc: 'http://localhost:40342' } as const

/**
 * A URL rewrite sending the fixed IMDS and Arc addresses to the simulator (the rest as is):
 * use it in a routing `HttpClient` wrapper in tests.
 *
 * @category managed identity
 * @since 0.1.0
 */
export const routeToSimulator =
  (sim: Pick<ManagedIdentitySimulator, 'url'>) =>
  (url: string): string =>
    url.startsWith(`${FIXED_MANAGED_IDENTITY_HOSTS.imds}/`)
      ? `${sim.url}/imds${url.slice(FIXED_MANAGED_IDENTITY_HOSTS.imds.length)}`
      : url.startsWith(`${FIXED_MANAGED_IDENTITY_HOSTS.arc}/`)
        ? `${sim.url}/arc${url.slice(FIXED_MANAGED_IDENTITY_HOSTS.arc.length)}`
        : url
