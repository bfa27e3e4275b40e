import { beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt } from './build.js'
import { bundle as bundleOnce, targets, type BundleReport, type Target } from './bundle.js'

// What a bundle must NOT contain is a property of the design (DESIGN.md, "Tree-shaking"),
// whatever the bundler and whatever the platform it bundles for. The apps import the
// built packages as a user's bundler sees them (exports map, dist/), not the sources.
const bundles = new Map<string, Promise<BundleReport>>()
const bundle = (entry: string, target: Target): Promise<BundleReport> => {
  const key = `${entry} ${target.bundler} ${target.platform}`
  const r = bundles.get(key) ?? bundleOnce(entry, target)
  bundles.set(key, r)
  return r
}
/** The XML parser (saxes and its one dependency): only an app that hands in `wsTrustFederation` has it. */
const hasXmlParser = (r: BundleReport): boolean => r.modules.some((m) => /^(saxes|xmlchars)\//.test(m)) || /SaxesParser|undefined entity/.test(r.code)
const ours = (r: BundleReport): ReadonlyArray<string> => r.modules.filter((m) => m.startsWith('packages/') || m.startsWith('examples/'))

describe('bundles keep out what an app does not import', () => {
  beforeAll(() => ensureBuilt(), 180_000)

  describe.each(targets)('$bundler for $platform', (target) => {
    it('the confidential facade with a secret holds no jose, no certificate code, no XML, no classic io-ts', async () => {
      // The facade assembles every method (auth code, device-free user sign-ins); what it must
      // never hold is what its configuration did not ask for.
      const r = await bundle('examples/size-apps/authfold-secret.ts', target)
      expect(hasXmlParser(r)).toBe(false)
      expect(ours(r).some((m) => m.startsWith('packages/client/dist/'))).toBe(true)
      expect(r.modules.some((m) => m.startsWith('jose/'))).toBe(false)
      expect(ours(r).some((m) => /certificate|decryptPkcs8|pem\.[jt]s|wstrust/i.test(m))).toBe(false)
      expect(r.code).not.toMatch(/setProtectedHeader|PBKDF2|urn:oasis:names:tc:SAML/)
      expect(r.code).not.toMatch(/node:https|child_process/)
      // Size guards: classic io-ts (module-level codecs a bundler cannot drop; deserializeCache
      // checks entries with entityShapes), the JS SHA-256 (FMI keys use WebCrypto).
      expect(r.modules.some((m) => /^io-ts\/(es6|lib)\/index\.js$/.test(m))).toBe(false)
      expect(ours(r).some((m) => /cache\/(src|dist)\/entityCodecs\.[jt]s$/.test(m))).toBe(false)
      expect(r.code).not.toMatch(/1116352408|0x428a2f98/)
      expect(r.modules.some((m) => m.startsWith('node-forge/'))).toBe(false)
    }, 60_000)

    it('client credentials through the context and its method module holds no user-token fold, no PKCE, no device polling, no jose, no XML', async () => {
      const r = await bundle('examples/size-apps/authfold-secret-context.ts', target)
      expect(hasXmlParser(r)).toBe(false)
      expect(ours(r).some((m) => /certificate|decryptPkcs8|pem\.[jt]s|wstrust|pkce|deviceCode|authCode/i.test(m))).toBe(false)
      expect(r.code).not.toMatch(/setProtectedHeader|PBKDF2|urn:oasis:names:tc:SAML|S256|verification_uri/)
      expect(r.modules.some((m) => /^io-ts\/(es6|lib)\/index\.js$/.test(m))).toBe(false)
      expect(ours(r).some((m) => /cache\/(src|dist)\/(claims|entityCodecs|idTokens|refreshTokens)\.[jt]s$/.test(m))).toBe(false)
      expect(ours(r).some((m) => /grants\/(src|dist)\/(userToken|usernamePassword)\//.test(m))).toBe(false)
      expect(r.code).not.toMatch(/userrealm|X-AnchorMailbox/)
      expect(r.modules.some((m) => m.startsWith('jose/'))).toBe(false)
      expect(r.modules.some((m) => m.startsWith('node-forge/'))).toBe(false)
    }, 60_000)

    it('the lean entry (@authfold/grants/lean) holds the grant steps and the app-token table (not the full cache: no hamt, state, cacheFirst, Option), and no discovery, no HTTP policy (retry, throttle, HTTP cache), no telemetry headers, no client context, no jose, no XML', async () => {
      const r = await bundle('examples/size-apps/authfold-secret-lean.ts', target)
      expect(ours(r).some((m) => /grants\/dist\/lean\/appToken\.js$/.test(m))).toBe(true)
      // the app-token table, not the full cache: no persistent maps, no indexed state, no
      // cache-first step over it, no fp-ts Option (modules that put code in the bundle)
      expect(ours(r).some((m) => /cache\/dist\/appTokenTable\.js$/.test(m))).toBe(true)
      expect(r.moduleSizes.filter(([m, n]) => n > 0 && /cache\/dist\/(hamt|state)\.js$|grants\/dist\/steps\/(cacheFirst|cachedAccessToken)\.js$|^fp-ts\/es6\/Option\.js$/.test(m))).toEqual([])
      expect(ours(r).some((m) => /core\/dist\/(authority\/(discovery|oidc|region|regional|parse)|policy\/|http\/retry|claims\/)|client\/dist\//.test(m))).toBe(false)
      expect(r.code).not.toMatch(/openid-configuration|discovery\/instance|x-client-current-telemetry|x-ms-lib-capability/)
      expect(r.modules.some((m) => m.startsWith('jose/'))).toBe(false)
      expect(hasXmlParser(r)).toBe(false)
      expect(r.modules.some((m) => /^io-ts\/(es6|lib)\/index\.js$/.test(m))).toBe(false)
      // the lean cuts of issue 14: no io-ts at all, no TaskEither, no SSH certificate code, no cloud table
      expect(r.modules.filter((m) => /^io-ts\/|^fp-ts\/es6\/TaskEither\.js$/.test(m))).toEqual([])
      expect(ours(r).filter((m) => /sshCert|clientCredentials\//.test(m))).toEqual([])
      expect(r.code).not.toMatch(/sovcloud-identity/)
    }, 60_000)

    it('the lean facade (@authfold/client/lean) holds the lean grant, the app-token table and its own client, and not the full client (no context, no method modules, no full cache), no discovery, no HTTP policy, no telemetry, no jose, no XML, no io-ts', async () => {
      const r = await bundle('examples/size-apps/authfold-secret-lean-facade.ts', target)
      expect(ours(r).some((m) => /client\/dist\/lean\/confidentialClient\.js$/.test(m))).toBe(true)
      expect(ours(r).some((m) => /grants\/dist\/lean\/appToken\.js$/.test(m))).toBe(true)
      expect(ours(r).some((m) => /cache\/dist\/appTokenTable\.js$/.test(m))).toBe(true)
      expect(r.moduleSizes.filter(([m, n]) => n > 0 && /cache\/dist\/(hamt|state|rebase)\.js$|client\/dist\/(context|callLimits|singleFlight|runGrant|authorityResolver|methods\/)|grants\/dist\/steps\/(cacheFirst|cachedAccessToken)\.js$|^fp-ts\/es6\/(Option|TaskEither)\.js$/.test(m))).toEqual([])
      expect(ours(r).some((m) => /core\/dist\/(authority\/(discovery|oidc|region|regional|parse)|policy\/(throttle|httpCache)|http\/retry|claims\/|telemetry\/)/.test(m))).toBe(false)
      expect(r.code).not.toMatch(/openid-configuration|discovery\/instance|x-client-current-telemetry/)
      expect(r.modules.some((m) => m.startsWith('jose/'))).toBe(false)
      expect(hasXmlParser(r)).toBe(false)
      expect(r.modules.filter((m) => /^io-ts\//.test(m))).toEqual([])
    }, 60_000)

    it('takes the ESM files of fp-ts and io-ts, never their CommonJS lib/ (tree-shaken whatever the platform)', async () => {
      const r = await bundle('examples/size-apps/authfold-secret.ts', target)
      expect(r.modules.filter((m) => /^(fp-ts|io-ts)\//.test(m)).length).toBeGreaterThan(0)
      expect(r.modules.filter((m) => /^(fp-ts|io-ts)\/lib\//.test(m))).toEqual([])
      expect(r.modules.some((m) => m.startsWith('fp-ts/es6/'))).toBe(true)
      expect(r.modules.some((m) => /^packages\/[a-z]+\/dist\/node\//.test(m))).toBe(false)
    }, 60_000)

    it('the device code app holds the device polling and the user-token fold, and no PKCE, no XML, no jose signing', async () => {
      const r = await bundle('examples/size-apps/authfold-device-code.ts', target)
      expect(hasXmlParser(r)).toBe(false)
      expect(ours(r).some((m) => /grants\/dist\/deviceCode\/deviceCode\.js$/.test(m))).toBe(true)
      expect(r.code).toMatch(/urn:ietf:params:oauth:grant-type:device_code/)
      expect(r.modules.some((m) => m.startsWith('jose/'))).toBe(false)
      expect(ours(r).some((m) => /certificate|decryptPkcs8|pem\.[jt]s|wstrust|pkce|clientCredentials/i.test(m))).toBe(false)
      expect(r.code).not.toMatch(/setProtectedHeader|urn:oasis:names:tc:SAML|code_challenge_method|code_verifier|S256/)
    }, 60_000)

    it('client credentials with a certificate pulls in jose signing, and still no XML or PKCE', async () => {
      const r = await bundle('examples/size-apps/authfold-certificate.ts', target)
      expect(r.modules.some((m) => m.startsWith('jose/'))).toBe(true)
      expect(r.code).not.toMatch(/urn:oasis:names:tc:SAML|verification_uri|code_challenge_method/)
      expect(r.modules.some((m) => m.startsWith('node-forge/'))).toBe(false)
    }, 60_000)

    it('client credentials with a .pfx takes the PKCS#12 reader (node-forge) from @authfold/core/pfx', async () => {
      const r = await bundle('examples/size-apps/authfold-pfx.ts', target)
      expect(r.modules.some((m) => m.startsWith('node-forge/lib/pkcs12'))).toBe(true)
      expect(ours(r).some((m) => /core\/dist\/credentials\/pfx\.js$/.test(m))).toBe(true)
    }, 60_000)

    it('the auth code flow with a secret holds PKCE and the user-token fold, and no jose signing, no XML, no device polling', async () => {
      const r = await bundle('examples/size-apps/authfold-auth-code.ts', target)
      expect(hasXmlParser(r)).toBe(false)
      expect(r.code).toMatch(/code_challenge_method/)
      expect(r.modules.some((m) => m.startsWith('jose/'))).toBe(false)
      expect(ours(r).some((m) => /certificate|decryptPkcs8|pem\.[jt]s|wstrust|deviceCode/i.test(m))).toBe(false)
      expect(r.code).not.toMatch(/setProtectedHeader|PBKDF2|urn:oasis:names:tc:SAML|verification_uri/)
    }, 60_000)

    it('the username/password app holds user realm discovery and the password grant, and no PKCE, no device polling, no XML, no jose', async () => {
      const r = await bundle('examples/size-apps/authfold-username-password.ts', target)
      expect(hasXmlParser(r)).toBe(false)
      expect(ours(r).some((m) => /grants\/dist\/usernamePassword\/userRealm\.js$/.test(m))).toBe(true)
      expect(r.code).toMatch(/userrealm/)
      expect(r.modules.some((m) => m.startsWith('jose/'))).toBe(false)
      expect(ours(r).some((m) => /certificate|decryptPkcs8|pem\.[jt]s|wstrust|pkce|deviceCode|authCode|clientCredentials/i.test(m))).toBe(false)
      // (the device-code grant type itself is in the throttle policy every app has: its polls' 400s are not throttled)
      expect(r.code).not.toMatch(/setProtectedHeader|urn:oasis:names:tc:SAML|code_challenge_method|code_verifier|verification_uri|slow_down|authorization_pending/)
    }, 60_000)

    it('the federated username/password app holds the WS-Trust pipeline and the XML parser (saxes), and no PKCE, no device polling, no jose', async () => {
      const r = await bundle('examples/size-apps/authfold-username-password-federated.ts', target)
      expect(hasXmlParser(r)).toBe(true)
      expect(ours(r).some((m) => /wstrust\/dist\/(mex|rstr|rst|federation)\.js$/.test(m))).toBe(true)
      expect(r.code).toMatch(/urn:ietf:params:oauth:grant-type:saml1_1-bearer/)
      expect(r.modules.some((m) => m.startsWith('jose/'))).toBe(false)
      expect(ours(r).some((m) => /certificate|pkce|deviceCode|authCode|clientCredentials/i.test(m))).toBe(false)
    }, 60_000)

    it('the silent flow app holds the silent decision and the refresh grant, and no PKCE, no device polling, no user realm, no XML, no jose signing', async () => {
      const r = await bundle('examples/size-apps/authfold-silent.ts', target)
      expect(ours(r).some((m) => /grants\/dist\/silent\/decide\.js$/.test(m))).toBe(true)
      expect(r.code).toMatch(/refresh_token/)
      expect(r.modules.some((m) => m.startsWith('jose/'))).toBe(false)
      expect(ours(r).some((m) => /certificate|decryptPkcs8|pem\.[jt]s|wstrust|pkce|deviceCode|usernamePassword|clientCredentials/i.test(m))).toBe(false)
      expect(r.code).not.toMatch(/setProtectedHeader|urn:oasis:names:tc:SAML|code_challenge_method|verification_uri|userrealm/)
    }, 60_000)

    it('the managed identity app holds the source picker and IMDS, and none of the user-flow code (no PKCE, device polling, user realm, id_token checks, XML, jose)', async () => {
      const r = await bundle('examples/size-apps/authfold-managed-identity.ts', target)
      expect(ours(r).some((m) => /grants\/dist\/managedIdentity\/environment\.js$/.test(m))).toBe(true)
      expect(r.code).toMatch(/169\.254\.169\.254/)
      expect(r.modules.some((m) => m.startsWith('jose/') || m.includes('saxes'))).toBe(false)
      expect(ours(r).some((m) => /certificate|decryptPkcs8|pem\.[jt]s|wstrust|pkce|deviceCode|authCode|usernamePassword|userToken|silent|onBehalfOf|userFic/i.test(m))).toBe(false)
      expect(r.code).not.toMatch(/setProtectedHeader|urn:oasis:names:tc:SAML|code_challenge_method|code_verifier|verification_uri|authorization_pending|userrealm|on_behalf_of/)
    }, 60_000)

    it('the on-behalf-of app holds the jwt-bearer grant and the user-token fold, and no PKCE, no device polling, no user realm, no XML, no jose', async () => {
      const r = await bundle('examples/size-apps/authfold-on-behalf-of.ts', target)
      expect(ours(r).some((m) => /grants\/dist\/onBehalfOf\/onBehalfOf\.js$/.test(m))).toBe(true)
      expect(r.code).toMatch(/on_behalf_of/)
      expect(r.modules.some((m) => m.startsWith('jose/'))).toBe(false)
      expect(ours(r).some((m) => /certificate|decryptPkcs8|pem\.[jt]s|wstrust|pkce|deviceCode|authCode|usernamePassword|userFic/i.test(m))).toBe(false)
      expect(r.code).not.toMatch(/setProtectedHeader|urn:oasis:names:tc:SAML|code_challenge_method|code_verifier|verification_uri|slow_down|authorization_pending|userrealm/)
    }, 60_000)
  })
})
