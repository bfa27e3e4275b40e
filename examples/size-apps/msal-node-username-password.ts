// One-file app: the username and password grant with msal-node.
import { PublicClientApplication } from '@azure/msal-node'

const app = new PublicClientApplication({ auth: { clientId: 'app-id', authority: 'https://login.microsoftonline.com/organizations' } })
export const signIn = async (username: string, password: string): Promise<string> =>
  (await app.acquireTokenByUsernamePassword({ scopes: ['User.Read'], username, password }))?.accessToken ?? ''
