// One-file app: client credentials with a PKCS#12 (.pfx) certificate: the client context, that one method and the pfx reader.
import { acquireTokenForClient, confidentialContext, orThrow, toPromise } from '@authfold/client'
import { pfxCertificate } from '@authfold/core/pfx'

declare const pfxBytes: Uint8Array // the .pfx file, read by the app

const ctx = orThrow(
  confidentialContext({
    clientId: 'app-id',
    authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    credential: pfxCertificate({ pfx: pfxBytes, passphrase: 'from your secret store' }),
  }),
)
export const token = () => toPromise(acquireTokenForClient(ctx)(['https://graph.microsoft.com/.default']))
