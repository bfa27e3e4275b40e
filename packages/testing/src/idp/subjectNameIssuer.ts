/**
 * Subject name / issuer (SN/I) client authentication, as Entra does it for apps whose
 * registration trusts a certificate subject (`trustedCertificateSubjects`) rather than one
 * certificate: the client assertion carries its certificate chain in `x5c` (RFC 7515
 * §4.1.6, the signing certificate first), the first certificate's subject must be the
 * trusted subject name, each certificate must be signed by the next one, and the last must
 * be the trusted issuer or be signed by it; every certificate must be within its validity.
 * The assertion is then verified with the first certificate's key.
 *
 * @module
 */
import { X509Certificate } from 'node:crypto'
import { importX509, type CryptoKey as JoseKey } from 'jose'

/**
 * A trusted subject name and the certificate of its trusted issuer (a CA).
 *
 * @category idp
 * @since 0.1.0
 */
export interface SubjectNameIssuer {
  /** The subject's common name, e.g. `app.contoso.example` (matched as `CN=<name>`). */
  readonly subjectName: string
  /** The issuing CA's certificate (PEM): the chain must end at it. */
  readonly trustedIssuerPem: string
}

const toPem = (b64: string): string => `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`

const within = (cert: X509Certificate, nowMs: number): boolean =>
  Date.parse(cert.validFrom) <= nowMs && nowMs <= Date.parse(cert.validTo)

/**
 * Checks the `x5c` chain of an assertion header against a trusted subject name and issuer.
 * Resolves to the key that must verify the assertion, or to the reason it is refused.
 *
 * @category idp
 * @since 0.1.0
 */
export const keyFromX5c = async (
  x5c: unknown,
  trust: SubjectNameIssuer,
  alg: 'RS256' | 'PS256',
  nowMs: number,
): Promise<{ readonly key: JoseKey } | { readonly reason: string }> => {
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c): c is string => typeof c === 'string'))
    return { reason: 'No x5c certificate chain in the client assertion header; subject name / issuer authentication needs one.' }
  let chain: ReadonlyArray<X509Certificate>
  let issuer: X509Certificate
  try {
    chain = x5c.map((c) => new X509Certificate(Buffer.from(c, 'base64')))
    issuer = new X509Certificate(trust.trustedIssuerPem)
  } catch {
    return { reason: 'The x5c chain holds a certificate that cannot be parsed.' }
  }
  const leaf = chain[0]
  if (leaf === undefined) return { reason: 'The x5c chain is empty.' }
  if (!leaf.subject.split('\n').includes(`CN=${trust.subjectName}`))
    return { reason: `The certificate subject is not the trusted subject name '${trust.subjectName}'.` }
  if (!chain.every((c) => within(c, nowMs))) return { reason: 'A certificate of the x5c chain is expired or not yet valid.' }
  const linked = chain.every((c, i) => {
    const next = chain[i + 1]
    return next === undefined ? c.fingerprint256 === issuer.fingerprint256 || c.verify(issuer.publicKey) : c.verify(next.publicKey)
  })
  if (!linked) return { reason: 'The x5c chain does not lead to the trusted issuer.' }
  return { key: await importX509(toPem(x5c[0] ?? ''), alg) }
}
