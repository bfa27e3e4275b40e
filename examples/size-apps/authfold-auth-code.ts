// One-file app: a web app's sign-in (authorization code flow with a client secret): the
// client context and the two methods of the flow.
import { acquireTokenByAuthCodeFlow, confidentialContext, initiateAuthCodeFlow, orThrow, toPromise } from '@authfold/client'
import type { AuthCodeFlow } from '@authfold/grants'
import { clientSecret } from '@authfold/core'

const ctx = orThrow(
  confidentialContext({
    clientId: 'app-id',
    authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    credential: clientSecret('secret'),
  }),
)
export const signIn = () => toPromise(initiateAuthCodeFlow(ctx)(['User.Read'], { redirectUri: 'https://app.example/callback' }))
export const callback = (flow: AuthCodeFlow, query: Record<string, string>) => toPromise(acquireTokenByAuthCodeFlow(ctx)(flow, query))
