/**
 * Fuzzes every source's answer decoder: any status, body and headers give a typed Either,
 * never a throw, and a Right always has a non-blank token and a positive whole lifetime.
 */
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { HttpResponse } from '@authfold/core'
import { readImdsAnswer } from './imds.js'
import { readAppServiceAnswer } from './appService.js'
import { readServiceFabricAnswer } from './serviceFabric.js'
import { readMachineLearningAnswer } from './machineLearning.js'
import { readCloudShellAnswer } from './cloudShell.js'
import { readArcAnswer } from './arc.js'

const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.constant('09/14/2017 00:00:00 PM +00:00'), fc.constant('1999999999'))
const body = fc.oneof(
  fc.string(),
  fc.constant('<html><body>proxy</body></html>'),
  fc.record({ access_token: value, expires_in: value, expires_on: value, token_type: value, resource: value, error: fc.oneof(value, fc.record({ code: value, message: value })) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
)
const response = fc.record({ status: fc.integer({ min: 100, max: 599 }), body, headers: fc.constant({}) }) as fc.Arbitrary<HttpResponse>

describe('managed identity answer decoders (fuzz)', () => {
  for (const [name, read] of [
    ['IMDS', readImdsAnswer('http://169.254.169.254/x')],
    ['App Service', readAppServiceAnswer('http://a/x')],
    ['Service Fabric', readServiceFabricAnswer('http://s/x')],
    ['Azure ML', readMachineLearningAnswer('http://m/x')],
    ['Cloud Shell', readCloudShellAnswer('http://c/x')],
    ['Azure Arc', readArcAnswer('http://localhost:40342/x')],
  ] as const)
    it(`${name}: a typed answer for anything`, () => {
      fc.assert(
        fc.property(response, fc.integer({ min: 1_500_000_000, max: 1_900_000_000 }), (r, now) => {
          const out = read(r, now)
          if (out._tag === 'Right') {
            expect(out.right.access_token.trim()).not.toBe('')
            expect(Number.isInteger(out.right.expires_in) && (out.right.expires_in ?? 0) > 0).toBe(true)
            expect(r.status).toBeLessThan(400)
          } else expect(['HttpError', 'DecodeError', 'ProtocolError']).toContain(out.left._tag)
        }),
        { numRuns: 500 },
      )
    })
})
