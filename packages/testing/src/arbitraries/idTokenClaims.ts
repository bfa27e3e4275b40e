/**
 * id_token claims and unsigned id_tokens built from them (the cache decodes claims
 * without verifying, so an unsigned token is enough to exercise it).
 *
 * @module
 */
import * as fc from 'fast-check'
import { uidUtidArb } from './pools.js'

/**
 * Base64url of the UTF-8 JSON of a value.
 *
 * @category utils
 * @since 0.1.0
 */
export const base64urlJson = (v: unknown): string => {
  const bytes = new TextEncoder().encode(JSON.stringify(v))
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * An unsigned compact JWT (`header.payload.signature`) carrying `claims`.
 *
 * @category utils
 * @since 0.1.0
 */
export const unsignedIdToken = (claims: Readonly<Record<string, unknown>>): string =>
  `${base64urlJson({ alg: 'none', typ: 'JWT' })}.${base64urlJson(claims)}.sig`

/**
 * id_token claims as Entra (or ADFS) issues them: `iss`, `sub`, `aud`, `exp`, `iat`,
 * and some of `oid`, `tid`, `preferred_username`, `upn`, `email`, `name`.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const idTokenClaimsArb: fc.Arbitrary<Readonly<Record<string, unknown>>> = fc
  .tuple(
    fc.record({
      iss: fc.constant('https://login.example.com/contoso/v2.0'),
      sub: fc.constantFrom('subject-1', 'subject-2'),
      aud: fc.constantFrom('client-a', 'client-b'),
      exp: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
      iat: fc.integer({ min: 1_500_000_000, max: 1_600_000_000 }),
    }),
    fc.record(
      {
        oid: uidUtidArb.map(([u]) => u),
        tid: uidUtidArb.map(([, t]) => t),
        preferred_username: fc.constantFrom('john@contoso.com', 'JOHN@contoso.com', 'jane@contoso.com'),
        upn: fc.constantFrom('jane@fabrikam.com'),
        email: fc.constantFrom('jd@example.com'),
        name: fc.string({ maxLength: 8 }),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([a, b]) => ({ ...a, ...b }))

/**
 * An id_token: usually a well-formed unsigned JWT, sometimes garbage (the fold must
 * survive broken id_tokens).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const idTokenArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: idTokenClaimsArb.map(unsignedIdToken) },
  { weight: 1, arbitrary: fc.constantFrom('not-a-jwt', 'a.b.c', 'a.!!!.c', `x.${base64urlJson([1, 2])}.y`) },
)
