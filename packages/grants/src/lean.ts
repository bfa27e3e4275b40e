/**
 * `@authfold/grants/lean`: an app token (client credentials) in the fewest bytes, for an
 * app whose bundle size matters (an edge function, a browser extension's backend, a CLI):
 * the {@link appToken} grant, an Entra authority without discovery
 * ({@link staticEntraAuthority}), the empty unified cache it folds into, and the effects it
 * needs. About a third of the confidential client facade gzipped (README, "Bundle size"); the same
 * pipeline steps and the same cache as the full grant.
 *
 * @example
 * ```ts
 * import { appToken, emptyCache, fetchHttpClient, silentLogger, staticEntraAuthority, systemClock, timerSleep, webCryptoRandom } from '@authfold/grants/lean'
 * import { clientSecret } from '@authfold/core'
 *
 * declare const clientId: string, tenantId: string, secret: string
 * const env = { http: fetchHttpClient(), now: systemClock, random: webCryptoRandom, sleep: timerSleep, log: silentLogger }
 * const outcome = await appToken({ clientId, authority: staticEntraAuthority(tenantId), credential: clientSecret(secret), scopes: ['https://graph.microsoft.com/.default'] })(emptyCache)(env)()
 * ```
 * @module
 */
export { appToken, type AppTokenParams } from './lean/appToken.js'
export type { AuthResult, Grant } from './grant.js'
export { emptyCache, type CacheState } from '@authfold/cache'
export {
  fetchHttpClient,
  silentLogger,
  staticEntraAuthority,
  systemClock,
  timerSleep,
  webCryptoRandom,
  type AuthError,
  type GrantEnv,
  type ResolvedAuthority,
} from '@authfold/core'
