// One-file app: the username and password grant for a managed user (user realm discovery,
// then the password grant) through the public client context and its one method module.
import { acquireTokenByUsernamePassword, orThrow, publicContext, toPromise } from '@authfold/client'

const ctx = orThrow(publicContext({ clientId: 'app-id', authority: 'https://login.microsoftonline.com/organizations' }))
const acquire = acquireTokenByUsernamePassword(ctx)
export const signIn = async (username: string, password: string): Promise<string> =>
  (await toPromise(acquire(username, password, ['User.Read']))).access_token
