// The app under test: a web app's back end, configured as in production (its real Entra
// authority). It gets app tokens for a reports API and signs users in with the
// authorization code flow. Its tests hand it an HTTP effect routed to the local IdP.
import { createConfidentialClient } from '@authfold/client'
import type { ClientAuth, HttpClient } from '@authfold/core'
import type { AuthCodeFlow } from '@authfold/grants'

export interface AppConfig {
  readonly tenantId: string
  readonly clientId: string
  readonly credential: ClientAuth
  /** The HTTP effect; production leaves it out (the platform's fetch). */
  readonly http?: HttpClient
}

export const createApp = (config: AppConfig) => {
  const client = createConfidentialClient({
    clientId: config.clientId,
    authority: `https://login.microsoftonline.com/${config.tenantId}`,
    credential: config.credential,
    ...(config.http === undefined ? {} : { http: config.http }),
  })
  return {
    /** An app token for the reports API, from the cache while it is fresh. */
    reportsToken: async (): Promise<string> => (await client.acquireTokenForClient(['api://reports/.default'])).access_token,
    /** A user's sign-in starts: where to send the browser, and what to keep until the redirect. */
    startSignIn: (redirectUri: string): Promise<AuthCodeFlow> => client.initiateAuthCodeFlow(['User.Read'], { redirectUri }),
    /** The redirect came back: the signed-in user's name. */
    finishSignIn: async (flow: AuthCodeFlow, query: Record<string, string>): Promise<string | undefined> =>
      (await client.acquireTokenByAuthCodeFlow(flow, query)).account?.username ?? undefined,
  }
}
