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
import { arcKeyPath, readArcAnswer } from './arc.js'

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

describe('Azure Arc challenge reader (fuzz)', () => {
  const FOLDER = '/var/opt/azcmagent/tokens'
  const piece = fc.oneof(fc.constantFrom('..', '.', '', 'a.key', 'tokens', 'azcmagent', 'var', 'opt', '%2e%2e', 'a.key\u0000', 'x.key/'), fc.string({ maxLength: 12 }))
  const path = fc.tuple(fc.constantFrom('', '/', '\\', 'C:\\'), fc.array(piece, { maxLength: 6 }), fc.constantFrom('/', '\\')).map(([root, parts, sep]) => root + parts.join(sep))
  const header = fc.oneof(
    fc.string(),
    path.map((p) => `Basic realm=${p}`),
    path.map((p) => `Basic realm=${FOLDER}/${p}`),
    fc.tuple(fc.stringMatching(/^[A-Za-z0-9._-]{0,10}\.key$/), fc.constantFrom('', '/', '//')).map(([name, slash]) => `Basic realm=${FOLDER}${slash}/${name}`),
    fc.tuple(fc.constantFrom('Basic realm', 'basic REALM', 'Bearer realm', 'Basic  realm'), path).map(([s, p]) => `${s}=${p}`),
  )
  it('any challenge gives an Either, and a Right is always a .key file directly in the folder', () => {
    let accepted = 0
    fc.assert(
      fc.property(header, fc.integer({ min: 100, max: 599 }), (value, status) => {
        const out = arcKeyPath({ status, body: '', headers: { 'www-authenticate': value } }, FOLDER)
        if (out._tag === 'Left') {
          expect(out.left._tag).toBe('ValidationError')
          return
        }
        accepted += 1
        const name = out.right.slice(FOLDER.length + 1)
        expect(out.right.startsWith(`${FOLDER}/`)).toBe(true)
        expect(name).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*\.key$/)
        expect(name.includes('..')).toBe(false)
      }),
      { numRuns: 2_000 },
    )
    expect(accepted).toBeGreaterThan(20) // the generator reaches the accepting path, not only refusals
  })
})
