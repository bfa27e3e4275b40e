// The same app written with msal-node.
import { ConfidentialClientApplication } from '@azure/msal-node'

const app = new ConfidentialClientApplication({
  auth: { clientId: 'app-id', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', clientSecret: 'secret' },
})
export const token = () => app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })
