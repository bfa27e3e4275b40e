import { describe, expect, it } from 'vitest'
import { ApiId, RefreshReason, emptyTelemetryBuffer, hitAnAccessToken, telemetryContext, telemetryHeaders, updateTelemetry } from './telemetry.js'

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
})
