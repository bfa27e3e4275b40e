// The same app written with msal-node.
import { ConfidentialClientApplication } from '@azure/msal-node'

const app = new ConfidentialClientApplication({
  auth: { clientId: 'app-id', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', clientSecret: 'secret' },
})
export const downstreamToken = async (incomingJwt: string): Promise<string | undefined> =>
  (await app.acquireTokenOnBehalfOf({ oboAssertion: incomingJwt, scopes: ['api://downstream/read'] }))?.accessToken
