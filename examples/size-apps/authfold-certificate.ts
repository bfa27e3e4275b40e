// One-file app: client credentials with a certificate: the client context and that one method.
import { acquireTokenForClient, confidentialContext, orThrow, toPromise } from '@authfold/client'
import { certificate } from '@authfold/core'

const ctx = orThrow(
  confidentialContext({
    clientId: 'app-id',
    authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    credential: certificate({ privateKey: 'PEM', thumbprint: 'A1B2' }),
  }),
)
export const token = () => toPromise(acquireTokenForClient(ctx)(['https://graph.microsoft.com/.default']))
