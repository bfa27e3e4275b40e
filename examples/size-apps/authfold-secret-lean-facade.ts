// One-file app: client credentials with a client secret through the lean facade
// (@authfold/client/lean: createConfidentialClient with the app-token methods, an Entra
// authority without discovery, the app-token table).
import { createConfidentialClient } from '@authfold/client/lean'
import { clientSecret } from '@authfold/core'

const app = createConfidentialClient({
  clientId: 'app-id',
  authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
  credential: clientSecret('secret'),
})
export const token = () => app.acquireTokenForClient(['https://graph.microsoft.com/.default'])
