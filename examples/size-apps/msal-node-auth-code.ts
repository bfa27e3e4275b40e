// One-file app: a web app's sign-in (authorization code flow with PKCE and a client secret) with msal-node.
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node'

const app = new ConfidentialClientApplication({
  auth: { clientId: 'app-id', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', clientSecret: 'secret' },
})
const crypto = new CryptoProvider()
export const signIn = async () => {
  const { verifier, challenge } = await crypto.generatePkceCodes()
  const url = await app.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri: 'https://app.example/callback', codeChallenge: challenge, codeChallengeMethod: 'S256' })
  return { url, verifier }
}
export const callback = (code: string, verifier: string) =>
  app.acquireTokenByCode({ code, scopes: ['User.Read'], redirectUri: 'https://app.example/callback', codeVerifier: verifier })
