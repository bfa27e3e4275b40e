// One-file app: client credentials with a client secret through the lean entry point
// (@authfold/grants/lean: the appToken grant, an Entra authority without discovery, the
// app-token cache, MSAL's unified-schema document). The app keeps the cache between calls.
import { appToken, emptyAppTokenCache, leanFetchHttpClient, silentLogger, staticEntraAuthority, systemClock, timerSleep, webCryptoRandom } from '@authfold/grants/lean'
import { clientSecret } from '@authfold/core'

const env = { http: leanFetchHttpClient(), now: systemClock, random: webCryptoRandom, sleep: timerSleep, log: silentLogger }
const grant = appToken({
  clientId: 'app-id',
  authority: staticEntraAuthority('contoso.onmicrosoft.com'),
  credential: clientSecret('secret'),
  scopes: ['https://graph.microsoft.com/.default'],
})
let cache = emptyAppTokenCache
export const token = async (): Promise<string | undefined> => {
  const outcome = await grant(cache)(env)()
  if (outcome._tag === 'Left') return undefined
  cache = outcome.right[1]
  return outcome.right[0].access_token
}
