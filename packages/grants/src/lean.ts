/**
 * `@authfold/grants/lean`: an app token (client credentials) in the fewest bytes, for an
 * app whose bundle size matters (an edge function, a browser extension's backend, a CLI):
 * the {@link appToken} grant, an Entra authority without discovery
 * ({@link staticEntraAuthority}), the app-token cache it writes (`AppTokenCache`: MSAL's
 * unified-schema document itself, read and written as JSON with {@link appTokenCacheFromJson} and
 * {@link appTokenCacheToJson}, byte for byte what the full cache writes), and the effects it
 * needs (`leanFetchHttpClient`: `fetchHttpClient`'s cap, timeout and error codes, with
 * network errors named by the host and the codes of what fetch threw). The same pipeline
 * steps as the full grant, and the same answers, cache entries and JSON (README, "Bundle size").
 *
 * @example
 * ```ts
 * import { appToken, emptyAppTokenCache, leanFetchHttpClient, silentLogger, staticEntraAuthority, systemClock, timerSleep, webCryptoRandom } from '@authfold/grants/lean'
 * import { clientSecret } from '@authfold/core'
 *
 * declare const clientId: string, tenantId: string, secret: string
 * const env = { http: leanFetchHttpClient(), now: systemClock, random: webCryptoRandom, sleep: timerSleep, log: silentLogger }
 * const outcome = await appToken({ clientId, authority: staticEntraAuthority(tenantId), credential: clientSecret(secret), scopes: ['https://graph.microsoft.com/.default'] })(emptyAppTokenCache)(env)()
 * ```
 * @module @authfold/grants/lean
 */
export { appToken, peekAppToken, type AppTokenGrant, type AppTokenParams } from './lean/appToken.js'
export type { AuthResult, Grant } from './grant.js'
export { appTokenCacheFromJson, appTokenCacheToJson, emptyAppTokenCache, type AppTokenCache } from '@authfold/cache'
export {
  fetchHttpClient,
  leanFetchHttpClient,
  silentLogger,
  staticEntraAuthority,
  systemClock,
  timerSleep,
  webCryptoRandom,
  type AuthError,
  type GrantEnv,
  type ResolvedAuthority,
} from '@authfold/core'
