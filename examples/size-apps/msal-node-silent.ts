// One-file app: a signed-in user's token from the cache, refreshed when needed, with msal-node.
import { PublicClientApplication } from '@azure/msal-node'

const app = new PublicClientApplication({ auth: { clientId: 'app-id', authority: 'https://login.microsoftonline.com/organizations' } })
export const token = async (username: string): Promise<string | undefined> => {
  const account = (await app.getTokenCache().getAllAccounts()).find((a) => a.username === username)
  if (account === undefined) return undefined
  return (await app.acquireTokenSilent({ scopes: ['User.Read'], account })).accessToken
}
