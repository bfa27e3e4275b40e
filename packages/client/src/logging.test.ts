/**
 * The `logger` option takes `console` and a pino logger as they are, beside a plain
 * function; lines carrying personal data reach none of them unless `piiLoggingEnabled`.
 * The facade calls go to the local IdP over real HTTPS.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { pino } from 'pino'
import { clientSecret, toLogger, type LogSink } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient } from './confidentialClient.js'
import { buildEnv } from './env.js'

const SECRET = 'logging-secret-Pp2!'
const SCOPE = 'api://logging/.default'
let idp: IdentityProvider

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'logging-app', secret: SECRET })
})
afterAll(async () => idp.stop())
afterEach(() => {
  vi.restoreAllMocks()
})

/** A pino logger at debug level writing its JSON lines into `lines`. */
const pinoInto = (lines: Array<{ readonly level: number; readonly msg: string }>) =>
  pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) })

const twoCalls = async (logger: LogSink): Promise<void> => {
  const app = createConfidentialClient({
    clientId: 'logging-app',
    authority: idp.authority(),
    credential: clientSecret(SECRET),
    http: nodeHttpClient({ ca: idp.ca, timeoutMs: 5000 }),
    validateAuthority: false,
    logger,
  })
  await app.acquireTokenForClient([SCOPE])
  await app.acquireTokenForClient([SCOPE]) // from the cache
}

describe('logger: console and pino as they are', () => {
  it('console: discovery at debug, the cache hit at info, no secret', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined)
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined)
    await twoCalls(console)
    expect(debug.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringMatching(/^Authority discovery: GET https:\/\/127\.0\.0\.1:\d+\//))
    expect(info.mock.calls).toContainEqual(['Answered from the token cache'])
    expect(JSON.stringify([debug.mock.calls, info.mock.calls])).not.toContain(SECRET)
  })

  it('pino: the same lines at pino levels 20 (debug) and 30 (info)', async () => {
    const lines: Array<{ level: number; msg: string }> = []
    await twoCalls(pinoInto(lines))
    expect(lines).toContainEqual(expect.objectContaining({ level: 30, msg: 'Answered from the token cache' }))
    expect(lines.some((l) => l.level === 20 && l.msg.startsWith('Authority discovery: GET https://127.0.0.1:'))).toBe(true)
    expect(JSON.stringify(lines)).not.toContain(SECRET)
  })

  it('a plain function still gets (level, message, pii)', async () => {
    const seen: string[] = []
    await twoCalls((level, message, pii) => void seen.push(`${level}|${message}|${String(pii)}`))
    expect(seen).toContain('info|Answered from the token cache|false')
  })
})

describe('toLogger', () => {
  it('maps our levels to the methods: warning → warn, verbose → debug, each called on its object', () => {
    const calls: string[] = []
    const sink = {
      prefix: 'p',
      error(this: { prefix: string }, m: string) { calls.push(`${this.prefix} error ${m}`) },
      warn(this: { prefix: string }, m: string) { calls.push(`${this.prefix} warn ${m}`) },
      info(this: { prefix: string }, m: string) { calls.push(`${this.prefix} info ${m}`) },
      debug(this: { prefix: string }, m: string) { calls.push(`${this.prefix} debug ${m}`) },
    }
    const log = toLogger(sink)
    log('error', 'e', false)
    log('warning', 'w', false)
    log('info', 'i', false)
    log('verbose', 'v', false)
    expect(calls).toEqual(['p error e', 'p warn w', 'p info i', 'p debug v'])
  })

  it('keeps personal data away from console and pino unless piiLoggingEnabled', () => {
    const lines: Array<{ level: number; msg: string }> = []
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    for (const logger of [console, pinoInto(lines)] as const) {
      buildEnv({ logger, disableHttpPolicy: true }, 5).log('warning', 'user ada@authfold.test', true)
      buildEnv({ logger, disableHttpPolicy: true }, 5).log('warning', 'no personal data', false)
      buildEnv({ logger, piiLoggingEnabled: true, disableHttpPolicy: true }, 5).log('warning', 'opted in: ada@authfold.test', true)
    }
    expect(warn.mock.calls).toEqual([['no personal data'], ['opted in: ada@authfold.test']])
    expect(lines.map((l) => l.msg)).toEqual(['no personal data', 'opted in: ada@authfold.test'])
  })
})
