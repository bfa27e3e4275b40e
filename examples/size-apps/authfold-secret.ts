// One-file app: client credentials with a client secret, through the facade (which
// assembles every method of a confidential client, user sign-ins included, as MSAL's does).
import { createConfidentialClient } from '@authfold/client'
import { clientSecret } from '@authfold/core'

const app = createConfidentialClient({
  clientId: 'app-id',
  authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
  credential: clientSecret('secret'),
})
export const token = () => app.acquireTokenForClient(['https://graph.microsoft.com/.default'])
