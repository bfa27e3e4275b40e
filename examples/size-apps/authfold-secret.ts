// One-file app: client credentials with a client secret: the client context and that one
// method (the facade assembles every method, user sign-ins included; an app that wants the
// smallest bundle imports what it calls).
import { acquireTokenForClient, confidentialContext, orThrow, toPromise } from '@authfold/client'
import { clientSecret } from '@authfold/core'

const ctx = orThrow(
  confidentialContext({
    clientId: 'app-id',
    authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    credential: clientSecret('secret'),
  }),
)
export const token = () => toPromise(acquireTokenForClient(ctx)(['https://graph.microsoft.com/.default']))
