// One-file app: the device code flow with msal-node.
import { PublicClientApplication } from '@azure/msal-node'

const app = new PublicClientApplication({ auth: { clientId: 'app-id', authority: 'https://login.microsoftonline.com/organizations' } })
export const signIn = (show: (message: string) => void) =>
  app.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: (response) => show(response.message) })
