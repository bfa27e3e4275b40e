/**
 * The lean client against a failing identity provider, over its own transport
 * (`leanFetchHttpClient`, here on cross-fetch with the IdP's CA, whose bodies are async
 * iterables): every fault the lean client can meet on its one request (it has no retries,
 * call deadlines, signals or throttling to test) ends in a typed failure with a whole
 * sentence, sent once, nothing leaked in the failure or the log, and the cache as it was;
 * the next call is served.
 */
import { Agent } from 'node:https'
import crossFetch from 'cross-fetch'
import { describe, expect, it } from 'vitest'
import { clientSecret, leanFetchHttpClient, type FetchLike } from '@authfold/core'
import type { Fault } from '@authfold/testing'
import { createConfidentialClient } from './confidentialClient.js'
import { SCOPE, SECRET, expectSuccess, expectTypedFailure, runFaultCase, useFaultWorld, type FaultGrant } from '../faults/harness.testkit.js'

const world = useFaultWorld()
const TRANSPORT_TIMEOUT_MS = 1_000

const leanGrant: FaultGrant = {
  name: 'the lean client, acquireTokenForClient with a client secret',
  on: 'token',
  retried: false,
  jwts: ['access_token'],
  faultedPath: (idp) => `/${idp.tenantId}/oauth2/v2.0/token`,
  setup: async (w, kase) => {
    const agent = new Agent({ ca: w.idp.ca })
    const fetch: FetchLike = (url, init) => crossFetch(url, { ...init, agent } as RequestInit)
    const app = createConfidentialClient({
      clientId: 'app-secret',
      authority: w.idp.authority(),
      credential: w.recorded(clientSecret(SECRET)),
      http: leanFetchHttpClient({ fetch, timeoutMs: TRANSPORT_TIMEOUT_MS }),
      libraryInfo: { appName: kase.tag },
      logger: kase.logger,
      piiLoggingEnabled: true,
    })
    await app.deserializeCache(w.seedCache)
    return {
      call: async () => {
        const result = await app.acquireTokenForClient([SCOPE])
        return { accessToken: result.access_token, source: result.token_source }
      },
      serializeCache: app.serializeCache,
    }
  },
}

const oauthBody = JSON.stringify({ error: 'temporarily_unavailable', error_description: 'AADSTS90000: busy', error_codes: [90000] })

const cases: ReadonlyArray<readonly [string, Fault, Readonly<Record<string, unknown>>]> = [
  ['a 200 HTML page', 'html', { _tag: 'DecodeError', code: 'not_json' }],
  ['text that is not JSON', 'invalid_json', { _tag: 'DecodeError', code: 'invalid_json' }],
  ['the real answer cut in half', 'truncated_json', { _tag: 'DecodeError', code: 'invalid_json' }],
  ['the real answer with a ":" turned into "="', 'malformed_json', { _tag: 'DecodeError', code: 'invalid_json' }],
  ['an answer without access_token', 'missing_access_token', { _tag: 'DecodeError', code: 'invalid_shape', path: 'access_token' }],
  ['a connection reset', 'reset', { _tag: 'HttpError', code: 'network' }],
  // node-fetch (cross-fetch on Node) leaves a body whose socket closed before Content-Length
  // bytes pending, neither ended nor failed: the transport's timeout ends the read
  ['a body cut off mid-way', 'truncated_body', { _tag: 'HttpError', code: 'timeout' }],
  ['an endless body', 'endless', { _tag: 'HttpError', code: 'too_large' }],
  ['a declared Content-Length of 10 GiB', { oversized: 'declared' }, { _tag: 'HttpError', code: 'too_large' }],
  ['a chunked answer of 5 MiB', { oversized: 'chunked' }, { _tag: 'HttpError', code: 'too_large' }],
  ['a 503 with an OAuth error body', { status: 503, body: oauthBody }, { _tag: 'ProtocolError', error: 'temporarily_unavailable', status: 503, errorCodes: [90000] }],
  ['a 429 with Retry-After and an OAuth error body', { status: 429, retryAfter: 30, body: oauthBody }, { _tag: 'ProtocolError', error: 'temporarily_unavailable', status: 429 }],
  ['a 502 with an empty body', { status: 502, body: '' }, { _tag: 'HttpError', code: 'status', status: 502 }],
  ['headers later than the transport timeout', { delayMs: 3_000 }, { _tag: 'HttpError', code: 'timeout' }],
  ['a body dripping past the transport timeout', { dripMs: 200 }, { _tag: 'HttpError', code: 'timeout' }],
]

describe.concurrent('the lean client on leanFetchHttpClient against a failing identity provider', () => {
  it.each(cases)('%s: a typed failure, sent once, nothing leaked, the cache as it was; the next call is served', async (_, fault, expected) => {
    const c = await runFaultCase(world(), leanGrant, fault)
    expectTypedFailure(world(), c, expected)
    expect(c.attempts).toBe(1)
    expect(c.elapsedMs).toBeLessThan(TRANSPORT_TIMEOUT_MS + 4_000)
    const next = await c.client.call()
    expect(next.source).toBe('identity_provider')
    expectSuccess(world(), { result: next, lines: c.lines })
  })
})
