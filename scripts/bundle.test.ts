import { describe, expect, it } from 'vitest'
import { bundle } from './bundle.js'

// What a bundle must NOT contain is a property of the design (DESIGN.md, "Tree-shaking").
describe('bundles keep out what an app does not import', () => {
  it('client credentials with a secret holds no jose, no certificate code, no XML, no PKCE, no device polling', async () => {
    const r = await bundle('examples/size-apps/authfold-secret.ts')
    const ours = r.modules.filter((m) => m.startsWith('packages/') || !m.startsWith('/'))
    expect(ours.some((m) => m.startsWith('jose/'))).toBe(false)
    expect(ours.some((m) => /certificate|decryptPkcs8|pem\.ts|wstrust|pkce|deviceCode/i.test(m))).toBe(false)
    expect(r.code).not.toMatch(/setProtectedHeader|PBKDF2|urn:oasis:names:tc:SAML|S256|verification_uri/)
    expect(r.code).not.toMatch(/node:https|child_process/)
    // Size guards: classic io-ts (module-level codecs rollup cannot drop), the JS SHA-256
    // (FMI keys use WebCrypto), the user-token fold (id_token, account, refresh token).
    expect(ours).not.toContain('io-ts/es6/index.js')
    expect(ours.some((m) => /cache\/src\/(claims|entityCodecs|deserialize|idTokens|refreshTokens)\.ts$/.test(m))).toBe(false)
    expect(r.code).not.toMatch(/1116352408|0x428a2f98/)
  }, 60_000)

  it('client credentials with a certificate pulls in jose signing, and still no XML or PKCE', async () => {
    const r = await bundle('examples/size-apps/authfold-certificate.ts')
    expect(r.modules.some((m) => m.startsWith('jose/'))).toBe(true)
    expect(r.code).not.toMatch(/urn:oasis:names:tc:SAML|verification_uri|code_challenge_method/)
  }, 60_000)
})
