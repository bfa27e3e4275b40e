/**
 * `@authfold/grants/lean`: an app token (client credentials) in the fewest bytes, for an
 * app whose bundle size matters (an edge function, a browser extension's backend, a CLI):
 * the {@link appToken} grant, an Entra authority without discovery
 * ({@link staticEntraAuthority}), the empty unified cache it folds into, and the effects it
 * needs. About a third of the confidential client facade gzipped (README, "Bundle size"); the same
 * pipeline steps and the same cache as the full grant.
 *
 * @example
 * import { appToken, emptyCache, fetchHttpClient, staticEntraAuthority } from '@authfold/grants/lean'
 * import { clientSecret } from '@authfold/core'
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
