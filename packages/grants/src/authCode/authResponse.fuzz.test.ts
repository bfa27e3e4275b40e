/**
 * Fuzzing what the redirect URI receives (the authorize redirect, the one answer of the
 * auth code flow that does not come over the client's own HTTP): random and mutated query
 * strings and form_post bodies read as a web framework or the loopback listener reads them,
 * hostile JSON objects (a framework that nests `a[b]=c`), any JavaScript value. The check
 * (`codeFromAuthResponse`, `anchorMailboxHeader`, and the whole `acquireTokenByAuthCodeFlow`)
 * never throws, answers a typed error or a code, checks the state before anything else
 * (nothing is sent for a redirect with another state), keeps only `error`,
 * `error_description` and `error_uri` of an error, and pollutes nothing.
 */
import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import * as TE from 'fp-ts/TaskEither'
import type { GrantEnv, HttpRequest, ResolvedAuthority } from '@authfold/core'
import { emptyCache } from '@authfold/cache'
import { hostileDocumentTextArb, hostileStringArb, mutatedTextArb, prototypeSnapshot } from '@authfold/testing'
import { anchorMailboxHeader, codeFromAuthResponse } from './authResponse.js'
import { acquireTokenByAuthCodeFlow } from './authCodeFlow.js'
import { initiateAuthCodeFlow, type AuthCodeFlow } from './flow.js'

const STATE = 'KxMbqCLnHjWZtDpe'
const FIELDS = ['code', 'state', 'client_info', 'session_state', 'error', 'error_description', 'error_uri', 'error_codes', 'suberror']
const CLIENT_INFO = Buffer.from(JSON.stringify({ uid: 'o', utid: 't1' })).toString('base64url')
const VALID_QUERY = `code=1.AXYZ-code_value&client_info=${CLIENT_INFO}&state=${STATE}&session_state=9f2c`
const ERROR_QUERY = `error=access_denied&error_description=AADSTS65004%3A+User+declined.&state=${STATE}`

/** A query or form body read as the loopback listener reads it: the first value of each name. */
const firstValues = (text: string): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of new URLSearchParams(text)) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = v
  return out
}
/** A query read as many web frameworks read it: the last value wins, `Object.fromEntries`. */
const lastValues = (text: string): Record<string, string> => Object.fromEntries(new URLSearchParams(text))

/** Query and form text: mutated real redirects, random pairs with poison names, hostile strings. */
const pairArb = fc.tuple(fc.constantFrom(...FIELDS, '__proto__', 'constructor', 'prototype', 'constructor[prototype][polluted]', '__proto__[polluted]', ''), fc.oneof(hostileStringArb, fc.constant(STATE)))
const queryTextArb = fc.oneof(
  mutatedTextArb(VALID_QUERY),
  mutatedTextArb(ERROR_QUERY),
  fc.array(pairArb, { maxLength: 8 }).map((pairs) => new URLSearchParams(pairs.map(([k, v]) => [k, v])).toString()),
  fc.array(pairArb, { maxLength: 8 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')), // unencoded: & = % + as they come
  hostileStringArb,
)
/** Objects a framework that nests (`a[b]=c`, JSON bodies) could hand over. */
const objectArb = hostileDocumentTextArb(FIELDS, { state: JSON.stringify(STATE), code: '"1.A-code"', error: '"access_denied"' }).map((t) => JSON.parse(t) as unknown)
const anyValueArb = fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true, withObjectString: true, maxDepth: 3 })

const MESSAGE_SAFE = /^[^\u0000-\u001f\u007f-\u009f]*$/

/** One checked read of a redirect: no throw, a code or a typed error, state first, nothing polluted. */
const checkOne = (response: unknown, before: string): 'code' | 'state' | 'other' => {
  const r = codeFromAuthResponse(STATE, response as Record<string, unknown>)
  expect(prototypeSnapshot()).toBe(before)
  const fields = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {}
  if (fields['state'] !== STATE) {
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', code: 'state_mismatch' } })
    return 'state'
  }
  if (r._tag === 'Right') {
    expect(r.right).toBe(fields['code'])
    expect(r.right).not.toBe('')
    return 'code'
  }
  expect(['ValidationError', 'ProtocolError']).toContain(r.left._tag)
  expect(r.left.message).toMatch(MESSAGE_SAFE)
  if (r.left._tag === 'ProtocolError') {
    expect(r.left.error).toBe(fields['error'])
    // nothing but error, error_description and error_uri travels on
    expect(r.left.errorCodes ?? []).toEqual([])
    expect(r.left.suberror).toBeUndefined()
    expect(r.left.correlationId).toBeUndefined()
  }
  const anchor = anchorMailboxHeader(fields)
  expect(Object.keys(anchor).every((k) => k === 'X-AnchorMailbox')).toBe(true)
  return 'other'
}

describe('the authorize redirect under fuzzing', () => {
  it('query and form_post text (4,000 runs, read first-value and last-value): a code or a typed error, state first, no pollution', () => {
    const before = prototypeSnapshot()
    const seen = { code: 0, state: 0, other: 0 }
    fc.assert(
      fc.property(queryTextArb, (text) => {
        const started = performance.now()
        for (const read of [firstValues, lastValues]) seen[checkOne(read(text), before)]++
        expect(performance.now() - started).toBeLessThan(1_000)
      }),
      { numRuns: 4_000 },
    )
    expect(seen.code).toBeGreaterThan(20) // mutated real redirects still carry a code
    expect(seen.state).toBeGreaterThan(500)
    expect(seen.other).toBeGreaterThan(20)
  })

  it('hostile objects and any value (2,000 + 1,000 runs): never a throw, state first, no pollution', () => {
    const before = prototypeSnapshot()
    fc.assert(
      fc.property(objectArb, (o) => void checkOne(o, before)),
      { numRuns: 2_000 },
    )
    fc.assert(
      fc.property(anyValueArb, (u) => {
        const r = codeFromAuthResponse(STATE, u as Record<string, unknown>)
        expect(r._tag === 'Left' || typeof r.right === 'string').toBe(true)
        expect(() => anchorMailboxHeader((typeof u === 'object' && u !== null ? u : {}) as Record<string, unknown>)).not.toThrow()
        expect(prototypeSnapshot()).toBe(before)
      }),
      { numRuns: 1_000 },
    )
  })

  it('client_info of any text: X-AnchorMailbox only from a uid and a utid that are strings, never a throw', () => {
    const infoArb = fc.oneof(
      hostileStringArb,
      mutatedTextArb(CLIENT_INFO),
      hostileDocumentTextArb(['uid', 'utid'], { uid: '"o"', utid: '"t1"' }).map((t) => Buffer.from(t).toString('base64url')),
    )
    fc.assert(
      fc.property(infoArb, (clientInfo) => {
        const h = anchorMailboxHeader({ client_info: clientInfo })
        const value = h['X-AnchorMailbox']
        if (value !== undefined) expect(value).toMatch(/^Oid:[\s\S]*@[\s\S]*$/)
      }),
      { numRuns: 2_000 },
    )
  })

  it('the whole flow (500 runs of mutated redirects): a redirect with another state is refused before any request, the cache untouched', async () => {
    const authority: ResolvedAuthority = {
      authority: { kind: 'entra', url: 'https://login.example/t1/', host: 'login.example', tenant: 't1', path: 't1' },
      metadata: { issuer: 'https://login.example/t1/v2.0', authorization_endpoint: 'https://login.example/t1/oauth2/v2.0/authorize', token_endpoint: 'https://login.example/t1/oauth2/v2.0/token' },
      environment: 'login.example',
      aliases: ['login.example'],
      realm: 't1',
    }
    const sent: HttpRequest[] = []
    const env: GrantEnv = {
      http: (req) => {
        sent.push(req)
        return TE.right({ status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"invalid_grant","error_description":"AADSTS70008: The code has expired."}' })
      },
      now: () => 1_700_000_000_000,
      random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
      sleep: () => async () => undefined,
      log: () => undefined,
    }
    const made = await initiateAuthCodeFlow({ clientId: 'cid', authority, scopes: ['User.Read'], redirectUri: 'http://localhost:3000/cb', state: STATE })(env)()
    if (made._tag === 'Left') throw new Error(made.left.message)
    const flow: AuthCodeFlow = made.right
    const before = prototypeSnapshot()
    await fc.assert(
      fc.asyncProperty(queryTextArb, async (text) => {
        const response = firstValues(text)
        const count = sent.length
        const r = await acquireTokenByAuthCodeFlow({ clientId: 'cid', authority, flow, authResponse: response })(emptyCache)(env)()
        expect(prototypeSnapshot()).toBe(before)
        expect(r._tag).toBe('Left') // the scripted token endpoint refuses every code
        if (response['state'] !== STATE) {
          expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ValidationError', code: 'state_mismatch' } })
          expect(sent.length).toBe(count)
        } else if ((response['code'] ?? '') === '') expect(sent.length).toBe(count)
      }),
      { numRuns: 500 },
    )
  })
})
