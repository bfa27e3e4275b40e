// One-file app: a middle tier exchanging the token it was called with (on-behalf-of, with a
// client secret) through the confidential client context and its one method module.
import { acquireTokenOnBehalfOf, confidentialContext, orThrow, toPromise } from '@authfold/client'
import { clientSecret } from '@authfold/core'

const ctx = orThrow(
  confidentialContext({ clientId: 'app-id', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', credential: clientSecret('secret') }),
)
const acquire = acquireTokenOnBehalfOf(ctx)
export const downstreamToken = async (incomingJwt: string): Promise<string> =>
  (await toPromise(acquire(incomingJwt, ['api://downstream/read']))).access_token
