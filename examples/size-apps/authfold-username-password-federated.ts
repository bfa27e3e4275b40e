// One-file app: username and password for managed AND federated (AD FS) users: user realm
// discovery, then the password grant, or MEX + WS-Trust + the SAML bearer grant through
// `wsTrustFederation` from @authfold/wstrust (the only app here that bundles an XML parser).
import { acquireTokenByUsernamePassword, orThrow, publicContext, toPromise } from '@authfold/client'
import { wsTrustFederation } from '@authfold/wstrust'

const ctx = orThrow(publicContext({ clientId: 'app-id', authority: 'https://login.microsoftonline.com/organizations', federation: wsTrustFederation }))
const acquire = acquireTokenByUsernamePassword(ctx)
export const signIn = async (username: string, password: string): Promise<string> =>
  (await toPromise(acquire(username, password, ['User.Read']))).access_token
