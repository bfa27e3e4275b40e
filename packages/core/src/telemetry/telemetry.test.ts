import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  ApiId,
  RefreshReason,
  emptyTelemetryBuffer,
  hitAnAccessToken,
  hitsOnAccessTokens,
  telemetryContext,
  telemetryHeaders,
  telemetryRecorder,
  updateTelemetry,
  type TelemetryBuffer,
} from './telemetry.js'

const random = (n: number) => new Uint8Array(n).fill(0xab)

describe('server telemetry (schema 4)', () => {
  it('headers of a first call', () => {
    const ctx = telemetryContext(ApiId.acquireTokenForClient, random)
    expect(ctx.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(telemetryHeaders(emptyTelemetryBuffer, ctx)).toEqual({
      'client-request-id': ctx.correlationId,
      'x-client-current-telemetry': '4|730,0|',
      'x-client-last-telemetry': '4|0|||',
    })
  })
  it('remembers failures and cache hits until a success', () => {
    const c1 = telemetryContext(ApiId.acquireTokenSilent, random, { correlationId: 'id1', refreshReason: RefreshReason.atExpired })
    let b = hitAnAccessToken(hitAnAccessToken(emptyTelemetryBuffer))
    b = updateTelemetry(b, c1, { error: 'invalid_grant' })
    const c2 = telemetryContext(ApiId.acquireTokenByDeviceFlow, random, { correlationId: 'id2' })
    b = updateTelemetry(b, c2, { error: 'authorization_pending' })
    expect(telemetryHeaders(b, c2)).toEqual({
      'client-request-id': 'id2',
      'x-client-current-telemetry': '4|622,0|',
      'x-client-last-telemetry': '4|2|84,id1,622,id2|invalid_grant,authorization_pending|',
    })
    expect(updateTelemetry(b, c2, undefined)).toBe(b)
    expect(updateTelemetry(b, c2, {})).toEqual(emptyTelemetryBuffer)
  })
  it('keeps the last header under 350 characters', () => {
    let b = emptyTelemetryBuffer
    for (let i = 0; i < 50; i++) b = updateTelemetry(b, telemetryContext('84', random, { correlationId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }), { error: 'interaction_required' })
    expect(b.failureSize).toBeLessThan(350)
    expect(b.failed.length).toBeGreaterThan(0)
  })

  it('hitsOnAccessTokens(b, n) is hitAnAccessToken applied n times', () => {
    fc.assert(
      fc.property(fc.nat(5), fc.nat(20), fc.array(fc.constantFrom('invalid_grant', 'interaction_required'), { maxLength: 4 }), (before, n, errors) => {
        let b: TelemetryBuffer = emptyTelemetryBuffer
        for (let i = 0; i < before; i++) b = hitAnAccessToken(b)
        for (const [i, e] of errors.entries()) b = updateTelemetry(b, telemetryContext('84', random, { correlationId: `id${i}` }), { error: e })
        let expected = b
        for (let i = 0; i < n; i++) expected = hitAnAccessToken(expected)
        expect(hitsOnAccessTokens(b, n)).toEqual(expected)
      }),
    )
  })
  it('a recorder sends the headers of the buffer folded step by step, hits counted one at a time', () => {
    type Step = { readonly _tag: 'hit' } | { readonly _tag: 'record'; readonly error: string | undefined; readonly answered: boolean } | { readonly _tag: 'headers' }
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.constant<Step>({ _tag: 'hit' }),
      fc.record({ _tag: fc.constant('record' as const), error: fc.option(fc.constantFrom('invalid_grant', 'authorization_pending'), { nil: undefined }), answered: fc.boolean() }),
      fc.constant<Step>({ _tag: 'headers' }),
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const recorder = telemetryRecorder()
        let reference: TelemetryBuffer = emptyTelemetryBuffer
        for (const [i, s] of steps.entries()) {
          const context = telemetryContext(ApiId.acquireTokenSilent, random, { correlationId: `id${i}` })
          if (s._tag === 'hit') {
            recorder.hit()
            reference = hitAnAccessToken(reference)
          } else if (s._tag === 'record') {
            const outcome = s.answered ? (s.error === undefined ? {} : { error: s.error }) : undefined
            recorder.record(context, outcome)
            reference = updateTelemetry(reference, context, outcome)
          } else expect(recorder.headers(context)).toEqual(telemetryHeaders(reference, context))
        }
        const last = telemetryContext(ApiId.acquireTokenSilent, random, { correlationId: 'last' })
        expect(recorder.headers(last)).toEqual(telemetryHeaders(reference, last))
      }),
    )
  })
})
