// One-file app: client credentials with a certificate, through the facade.
import { createConfidentialClient } from '@authfold/client'
import { certificate } from '@authfold/core'

const app = createConfidentialClient({
  clientId: 'app-id',
  authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
  credential: certificate({ privateKey: 'PEM', thumbprint: 'A1B2' }),
})
export const token = () => app.acquireTokenForClient(['https://graph.microsoft.com/.default'])
