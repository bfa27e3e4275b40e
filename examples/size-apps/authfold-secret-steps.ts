// One-file app: client credentials with a client secret from the exported steps alone, no
// cache (authenticate -> send -> processTokenResponse -> shapeResult, over the lean fetch
// transport and an Entra authority without discovery): what the lean entry's app costs
// without its app-token cache, MSAL's unified-schema document.
import { clientSecret, leanFetchHttpClient, processTokenResponse, silentLogger, staticEntraAuthority, systemClock, timerSleep, uuidFrom, webCryptoRandom } from '@authfold/core'
import { authenticate, send, shapeResult } from '@authfold/grants'

const env = { http: leanFetchHttpClient(), now: systemClock, random: webCryptoRandom, sleep: timerSleep, log: silentLogger }
const tokenEndpoint = staticEntraAuthority('contoso.onmicrosoft.com').metadata.token_endpoint
export const token = async (): Promise<string | undefined> => {
  const request = await authenticate(clientSecret('secret'))({
    tokenEndpoint,
    clientId: 'app-id',
    fields: { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' },
    headers: { 'client-request-id': uuidFrom(env.random) },
  })(env)()
  if (request._tag === 'Left') return undefined
  const response = await send(request.right)(env)()
  if (response._tag === 'Left') return undefined
  const answer = processTokenResponse(tokenEndpoint)(response.right)
  return answer._tag === 'Left' ? undefined : shapeResult(answer.right, Math.floor(Date.now() / 1000), 'identity_provider').access_token
}
