// One-file app: client credentials with a client secret, through the context and one
// method module (the smallest route: no facade, so no user sign-in methods).
import { acquireTokenForClient, confidentialContext } from '@authfold/client'
import { clientSecret } from '@authfold/core'

const ctx = confidentialContext({
  clientId: 'app-id',
  authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
  credential: clientSecret('secret'),
})
export const token = async (): Promise<string | undefined> => {
  if (ctx._tag === 'Left') return undefined
  const outcome = await acquireTokenForClient(ctx.right)(['https://graph.microsoft.com/.default'])()
  return outcome._tag === 'Right' ? outcome.right.access_token : undefined
}
